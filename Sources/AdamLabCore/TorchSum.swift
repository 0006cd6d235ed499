// A sum in the order PyTorch's CPU kernel adds a contiguous tensor (`tensor.sum()`, float64 or float32),
// so an objective's value agrees with torch's bit for bit in any dimension, not only in two.

/// Σ term(i) for i in 0..<n, added as torch's cascade sum adds a contiguous one-dimensional tensor.
///
/// The kernel works in vectors of 32 bytes (4 doubles or 8 floats, on every x86 capability level torch
/// dispatches to): from `lanes` elements on, the full vectors are summed lane by lane, the leftover
/// elements are added to 0 one by one, and then the lanes in order. Either way the items (vectors, or
/// elements below `lanes`) are taken four at a time into four running sums, in chunks of 16 (longer past
/// about 8 million elements) that are summed in turn; the items left over go into the first sum, and
/// the four are added first to last. Past 32,768 elements torch splits the sum across its
/// threads, and the order then depends on how many it has.
@inline(__always)
func torchSum<T: Scalar>(count n: Int, _ term: (Int) -> T) -> T {
    let lanes = 32 / MemoryLayout<T>.stride
    let width = n >= lanes ? lanes : 1
    let items = n / width
    let rows = 4, levels = 4
    return withUnsafeTemporaryAllocation(of: T.self, capacity: levels * rows * width) { acc in
        acc.initialize(repeating: 0)
        /// acc[level][row][lane], flattened.
        @inline(__always) func at(_ level: Int, _ row: Int, _ lane: Int) -> Int { (level * rows + row) * width + lane }
        @inline(__always) func addItem(_ item: Int, into row: Int) {
            for lane in 0..<width { acc[at(0, row, lane)] += term(item * width + lane) }
        }
        let groups = items / rows
        let power = Swift.max(4, ceilLog2(groups) / levels)
        let step = 1 << power, mask = step - 1
        var i = 0
        while i + step <= groups {
            for _ in 0..<step {
                for row in 0..<rows { addItem(i * rows + row, into: row) }
                i += 1
            }
            for level in 1..<levels {
                for row in 0..<rows {
                    for lane in 0..<width {
                        acc[at(level, row, lane)] += acc[at(level - 1, row, lane)]
                        acc[at(level - 1, row, lane)] = 0
                    }
                }
                if i & (mask << (level * power)) != 0 { break }
            }
        }
        while i < groups {
            for row in 0..<rows { addItem(i * rows + row, into: row) }
            i += 1
        }
        for level in 1..<levels {
            for row in 0..<rows {
                for lane in 0..<width { acc[at(0, row, lane)] += acc[at(level, row, lane)] }
            }
        }
        for item in groups * rows..<items { addItem(item, into: 0) }
        for row in 1..<rows {
            for lane in 0..<width { acc[at(0, 0, lane)] += acc[at(0, row, lane)] }
        }
        guard width > 1 else { return 0 + acc[0] }
        var total: T = 0
        for k in items * width..<n { total += term(k) }
        for lane in 0..<width { total += acc[lane] }
        return 0 + total
    }
}

/// ⌈log₂ x⌉, 0 for x ≤ 1.
@inline(__always) func ceilLog2(_ x: Int) -> Int { x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount }
