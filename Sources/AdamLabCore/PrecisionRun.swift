// A run in the floating-point type its spec names (`dtype=float64` or `dtype=float32`), seen in Double.

/// The floating-point type an optimizer computes in.
public enum DType: String, CaseIterable, Sendable, Codable {
    case float64, float32
}

extension StepRecord {
    /// The record in Double: every Float widens exactly, so nothing is lost or rounded.
    public var inDouble: StepRecord<Double> {
        var r = StepRecord<Double>(t: t)
        r.scalars = scalars.mapValues(\.double)
        r.vectors = vectors.mapValues { $0.map(\.double) }
        r.curvature = curvature?.inDouble
        return r
    }
}

/// `Run<Double>` or `Run<Float>`, as the spec's `dtype` asks, with every value handed out as a Double.
/// A Float run computes every operation (gradient, moments, update) in single precision; its values
/// read back exactly, so printing one to 17 digits shows the digits single precision kept.
public enum PrecisionRun: Sendable, Equatable {
    case float64(Run<Double>)
    case float32(Run<Float>)

    public init(spec: OptimizerSpec, objective: Objective, start: [Double]) throws {
        switch spec.hyper.dtype {
        case .float64: self = .float64(try Run(spec: spec, objective: objective, start: start))
        case .float32:
            guard start.allSatisfy({ Float($0).isFinite }) else {
                throw CoreError("the start does not fit in float32 (its largest value is about 3.4e38)")
            }
            self = .float32(try Run(spec: spec, objective: objective, start: start))
        }
    }

    public var t: Int {
        switch self {
        case .float64(let r): return r.t
        case .float32(let r): return r.t
        }
    }

    public var spec: OptimizerSpec {
        switch self {
        case .float64(let r): return r.spec
        case .float32(let r): return r.spec
        }
    }

    public var objective: Objective {
        switch self {
        case .float64(let r): return r.objective
        case .float32(let r): return r.objective
        }
    }

    public var theta: [Double] {
        switch self {
        case .float64(let r): return r.theta
        case .float32(let r): return r.theta.map(\.double)
        }
    }

    /// f(θ), computed in the run's own precision.
    public var loss: Double {
        switch self {
        case .float64(let r): return r.loss
        case .float32(let r): return r.loss.double
        }
    }

    /// f(θ) and ∇f(θ), computed in the run's own precision.
    public var lossAndGradient: (Double, [Double]) {
        switch self {
        case .float64(let r): return r.objective.valueAndGradient(r.theta)
        case .float32(let r):
            let (f, g) = r.objective.valueAndGradient(r.theta)
            return (f.double, g.map(\.double))
        }
    }

    /// The optimizer's state vectors, in storage order.
    public var slots: [(Quantity, [Double])] {
        switch self {
        case .float64(let r):
            return r.optimizer.state.slots.map { ($0, r.optimizer.state.vector($0)!) }
        case .float32(let r):
            return r.optimizer.state.slots.map { ($0, r.optimizer.state.vector($0)!.map(\.double)) }
        }
    }

    /// Changes hyperparameters, keeping the state; the dtype is chosen with a new run, not changed.
    public mutating func update(spec newSpec: OptimizerSpec) throws {
        guard newSpec.hyper.dtype == spec.hyper.dtype else {
            throw CoreError(
                "set cannot change the dtype; use `use \(newSpec.kind.rawValue) dtype=\(newSpec.hyper.dtype.rawValue)` (it starts again)"
            )
        }
        switch self {
        case .float64(var r):
            try r.update(spec: newSpec)
            self = .float64(r)
        case .float32(var r):
            try r.update(spec: newSpec)
            self = .float32(r)
        }
    }

    /// One recorded step (see `Run.step`); a supplied gradient is rounded to the run's precision.
    public mutating func step(gradient supplied: [Double]? = nil) throws -> StepRecord<Double> {
        switch self {
        case .float64(var r):
            let record = try r.step(gradient: supplied)
            self = .float64(r)
            return record
        case .float32(var r):
            let record = try r.step(gradient: supplied?.map { Float($0) })
            self = .float32(r)
            return record.inDouble
        }
    }

    /// Fast steps (see `Run.advance`), appending f(θₜ₋₁) of each to `losses` when it is not nil.
    @discardableResult
    public mutating func advance(
        steps: Int, shouldStop: () -> Bool = { false }, losses: inout [Double]?
    ) throws -> Int {
        var none: [[Double]]? = nil
        return try advance(steps: steps, shouldStop: shouldStop, losses: &losses, gradients: &none)
    }

    /// Fast steps, appending each step's loss and gradient (∇f(θₜ₋₁)) where those logs are not nil.
    @discardableResult
    public mutating func advance(
        steps: Int, shouldStop: () -> Bool = { false }, losses: inout [Double]?, gradients: inout [[Double]]?
    ) throws -> Int {
        switch self {
        case .float64(var r):
            defer { self = .float64(r) }
            return try r.advance(steps: steps, shouldStop: shouldStop, losses: &losses, gradients: &gradients)
        case .float32(var r):
            defer { self = .float32(r) }
            var floats: [Float]? = losses == nil ? nil : []
            var floatGradients: [[Float]]? = gradients == nil ? nil : []
            defer {
                if let floats { losses?.append(contentsOf: floats.map(\.double)) }
                if let floatGradients { gradients?.append(contentsOf: floatGradients.map { $0.map(\.double) }) }
            }
            return try r.advance(steps: steps, shouldStop: shouldStop, losses: &floats, gradients: &floatGradients)
        }
    }

    @discardableResult
    public mutating func advance(steps: Int, shouldStop: () -> Bool = { false }) throws -> Int {
        var none: [Double]? = nil
        return try advance(steps: steps, shouldStop: shouldStop, losses: &none)
    }
}
