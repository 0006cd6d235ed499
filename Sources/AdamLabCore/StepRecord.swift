// One optimizer step as a value: every quantity of that step, by name.

/// Everything an optimizer computed at step `t`. Vector quantities have one entry per coordinate.
public struct StepRecord<T: Scalar>: Sendable, Equatable {
    public var t: Int
    public var scalars: [Quantity: T] = [:]
    public var vectors: [Quantity: [T]] = [:]
    /// What a second-order step saw of the curvature (nil for first-order optimizers).
    public var curvature: CurvatureRecord<T>?

    public init(t: Int) {
        self.t = t
        scalars.reserveCapacity(6)
        vectors.reserveCapacity(12)
    }

    /// The quantity as a vector (a scalar becomes a one-element vector), or nil when this optimizer has none.
    public subscript(_ q: Quantity) -> [T]? {
        if q == .t { return [T(t)] }
        if let s = scalars[q] { return [s] }
        return vectors[q]
    }

    /// The quantities this record holds, in the canonical order of `Quantity.allCases`.
    public var quantities: [Quantity] {
        Quantity.allCases.filter { $0 == .t || scalars[$0] != nil || vectors[$0] != nil }
    }

    public var loss: T? { scalars[.loss] }
}

/// Receives the quantities of a step as the kernel computes them.
public protocol StepSink<Value> {
    associatedtype Value
    mutating func vector(_ q: Quantity, _ i: Int, _ x: Value)
    mutating func scalar(_ q: Quantity, _ x: Value)
}

/// Discards everything: the fast path used by `run` and the benchmark.
public struct DiscardingSink<Value>: StepSink {
    public init() {}
    @inlinable @inline(__always) public mutating func vector(_ q: Quantity, _ i: Int, _ x: Value) {}
    @inlinable @inline(__always) public mutating func scalar(_ q: Quantity, _ x: Value) {}
}

/// Collects every quantity into a `StepRecord`. Each coordinate's value goes to a buffer found by the
/// quantity's position (a dictionary look-up per coordinate made a recorded step of 10⁶ coordinates slow).
struct RecordingSink<T: Scalar>: StepSink {
    var record: StepRecord<T>
    let dimension: Int
    /// One buffer per quantity written, allocated at its first value (raw memory: an array's uniqueness
    /// check on every coordinate's store was most of a recorded step's cost).
    private var buffers: [UnsafeMutablePointer<T>?] = Array(repeating: nil, count: Quantity.allCases.count)

    init(record: StepRecord<T>, dimension: Int) {
        self.record = record
        self.dimension = dimension
    }

    @inline(__always) mutating func vector(_ q: Quantity, _ i: Int, _ x: T) {
        let k = q.position
        if let buffer = buffers[k] {
            buffer[i] = x
            return
        }
        let buffer = UnsafeMutablePointer<T>.allocate(capacity: dimension)
        buffer.initialize(repeating: T.nan, count: dimension)
        buffers[k] = buffer
        buffer[i] = x
    }

    mutating func scalar(_ q: Quantity, _ x: T) { record.scalars[q] = x }

    /// The record with every vector collected (and the buffers released).
    mutating func finished() -> StepRecord<T> {
        for (k, q) in Quantity.allCases.enumerated() {
            guard let buffer = buffers[k] else { continue }
            record.vectors[q] = Array(UnsafeBufferPointer(start: buffer, count: dimension))
            buffer.deallocate()
            buffers[k] = nil
        }
        return record
    }
}

extension Quantity {
    /// Hashed and compared by position, not by name: records are dictionaries keyed by quantity, and
    /// hashing the name's string was most of the cost of a recorded step.
    public func hash(into hasher: inout Hasher) { hasher.combine(position) }
    public static func == (a: Quantity, b: Quantity) -> Bool { a.position == b.position }

    /// Where the quantity stands in `allCases`, without hashing its name.
    @inline(__always) var position: Int {
        switch self {
        case .t: return 0
        case .theta: return 1
        case .loss: return 2
        case .g: return 3
        case .gradF: return 4
        case .m: return 5
        case .v: return 6
        case .mHat: return 7
        case .vHat: return 8
        case .u: return 9
        case .vMax: return 10
        case .s: return 11
        case .sMax: return 12
        case .buf: return 13
        case .sum: return 14
        case .squareAvg: return 15
        case .gradAvg: return 16
        case .accDelta: return 17
        case .lrT: return 18
        case .lrScheduled: return 19
        case .rhoT: return 20
        case .rT: return 21
        case .muT: return 22
        case .direction: return 23
        case .stepLength: return 24
        case .evaluations: return 25
        case .update: return 26
        case .thetaNext: return 27
        }
    }
}
