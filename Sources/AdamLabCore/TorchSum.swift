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
    if MemoryLayout<T>.stride == 8 && n >= 1 << 10 { return torchSumOfDoubles(count: n, term) }
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
        let (power, step, mask) = cascadeChunk(groups: groups, levels: levels)
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

/// `torchSum` of doubles (T is Double: 4 to a vector), the same additions in the same order, with the innermost four running sums held
/// as vectors in registers (the general loop keeps them in memory, and summed f of 10⁶ coordinates
/// slower than the optimizer's step).
@inline(__always)
func torchSumOfDoubles<T: Scalar>(count n: Int, _ term: (Int) -> T) -> T {
    let width = 4
    let items = n / width
    let rows = 4, levels = 4
    @inline(__always) func item(_ k: Int) -> SIMD4<T> {
        let b = k * width
        return SIMD4(term(b), term(b + 1), term(b + 2), term(b + 3))
    }
    var a0 = SIMD4<T>.zero, a1 = a0, a2 = a0, a3 = a0
    // acc[level][row] for levels 1 to 3, flattened.
    var upper = [SIMD4<T>](repeating: .zero, count: (levels - 1) * rows)
    let groups = items / rows
    let (power, step, mask) = cascadeChunk(groups: groups, levels: levels)
    var i = 0
    // Group i's four items into the four running sums.
    @inline(__always) func addGroup() {
        let base = i * rows
        a0 += item(base)
        a1 += item(base + 1)
        a2 += item(base + 2)
        a3 += item(base + 3)
        i += 1
    }
    while i + step <= groups {
        for _ in 0..<step {
            addGroup()
        }
        // Level 1 takes level 0 (the registers); each higher level takes the one below, as far as i says.
        upper[0] += a0
        upper[1] += a1
        upper[2] += a2
        upper[3] += a3
        a0 = .zero
        a1 = .zero
        a2 = .zero
        a3 = .zero
        for level in 1..<levels {
            if i & (mask << (level * power)) != 0 { break }
            guard level + 1 < levels else { break }
            for row in 0..<rows {
                upper[level * rows + row] += upper[(level - 1) * rows + row]
                upper[(level - 1) * rows + row] = .zero
            }
        }
    }
    while i < groups {
        addGroup()
    }
    for level in 1..<levels {
        a0 += upper[(level - 1) * rows]
        a1 += upper[(level - 1) * rows + 1]
        a2 += upper[(level - 1) * rows + 2]
        a3 += upper[(level - 1) * rows + 3]
    }
    for k in groups * rows..<items { a0 += item(k) }
    a0 += a1
    a0 += a2
    a0 += a3
    var total: T = 0
    for k in items * width..<n { total += term(k) }
    for lane in 0..<width { total += a0[lane] }
    return 0 + total
}

/// The cascade's chunk: 2^power groups are added before the sums move up a level (torch's choice of
/// power: at least 4, more past about 8 million elements), and the mask that tests for a chunk's end.
@inline(__always) func cascadeChunk(groups: Int, levels: Int) -> (power: Int, step: Int, mask: Int) {
    let power = Swift.max(4, ceilLog2(groups) / levels)
    return (power, 1 << power, (1 << power) - 1)
}

/// ⌈log₂ x⌉, 0 for x ≤ 1.
@inline(__always) func ceilLog2(_ x: Int) -> Int { x <= 1 ? 0 : Int.bitWidth - (x - 1).leadingZeroBitCount }
