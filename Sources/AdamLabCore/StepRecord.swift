// One optimizer step as a value: every quantity of that step, by name.

/// Everything an optimizer computed at step `t`. Vector quantities have one entry per coordinate.
public struct StepRecord<T: Scalar>: Sendable, Equatable {
    public var t: Int
    public var scalars: [Quantity: T] = [:]
    public var vectors: [Quantity: [T]] = [:]

    public init(t: Int) { self.t = t }

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

/// Collects every quantity into a `StepRecord`.
struct RecordingSink<T: Scalar>: StepSink {
    var record: StepRecord<T>
    let dimension: Int

    mutating func vector(_ q: Quantity, _ i: Int, _ x: T) {
        if record.vectors[q] == nil { record.vectors[q] = Array(repeating: T.nan, count: dimension) }
        record.vectors[q]![i] = x
    }

    mutating func scalar(_ q: Quantity, _ x: T) { record.scalars[q] = x }
}
