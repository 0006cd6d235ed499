// An optimizer on an objective from a start: steps with records, fast runs, and divergence detection.

/// A value became NaN or infinite: the run stops at step `t`, before θ is changed.
public struct Divergence: Error, Sendable, Equatable, CustomStringConvertible {
    public var t: Int
    public var quantity: Quantity
    public var coordinate: Int
    public var value: Double

    public var description: String {
        "diverged at step \(t): \(quantity.machineName)[\(coordinate)] became \(value)"
    }
}

/// An optimization in progress. A value: copy it to keep a snapshot.
public struct Run<T: Scalar>: Sendable, Equatable {
    public private(set) var optimizer: Optimizer<T>
    public let objective: Objective
    public let start: [T]
    public private(set) var theta: [T]
    private var gradientBuffer: [T]

    public init(spec: OptimizerSpec, objective: Objective, start: [Double]) throws {
        try objective.validate(start: start)
        guard start.allSatisfy(\.isFinite) else { throw CoreError("the start must be finite numbers") }
        self.objective = objective
        self.start = start.map { T($0) }
        self.theta = self.start
        self.optimizer = Optimizer(spec: spec, dimension: start.count)
        self.gradientBuffer = Array(repeating: 0, count: start.count)
    }

    public var t: Int { optimizer.t }
    public var spec: OptimizerSpec { optimizer.spec }
    public var loss: T { objective.value(theta) }

    /// Changes hyperparameters, keeping the state (see `Optimizer.update(spec:)`).
    public mutating func update(spec: OptimizerSpec) throws {
        guard spec.kind == optimizer.spec.kind else { throw CoreError("set cannot change the optimizer; use `use \(spec.kind.rawValue)`") }
        optimizer.update(spec: spec)
    }

    /// One step with every quantity recorded. `gradient` replaces the objective's (a learner-typed gradient).
    /// On divergence nothing changes and the error names the first non-finite quantity.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func step(gradient supplied: [T]? = nil) throws -> StepRecord<T> {
        let (loss, computed) = objective.valueAndGradient(theta)
        let gradient = supplied ?? computed
        guard gradient.count == theta.count else {
            throw CoreError("the gradient has \(gradient.count) coordinates, θ has \(theta.count)")
        }
        var trial = optimizer
        let record = trial.step(theta: theta, gradient: gradient, loss: loss)
        if let bad = Run.firstNonFinite(in: record) { throw bad }
        optimizer = trial
        theta = record.vectors[.thetaNext]!
        return record
    }

    /// Takes up to `steps` steps without recording. Stops early, leaving the last good state, when a
    /// value becomes non-finite or `shouldStop` says so (checked every 1024 steps). Returns the steps taken.
    @discardableResult
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func advance(steps: Int, shouldStop: () -> Bool = { false }) throws -> Int {
        var taken = 0
        var checkpoint = self
        while taken < steps {
            if taken & 1023 == 0 && taken > 0 {
                if shouldStop() { return taken }
                checkpoint = self
            }
            objective.gradient(theta, into: &gradientBuffer)
            for g in gradientBuffer where !g.isFinite {
                _ = try step()  // this step has not happened yet, so the record names the culprit
            }
            optimizer.step(theta: &theta, gradient: gradientBuffer)
            if let i = theta.firstIndex(where: { !$0.isFinite }) {
                // Stepping happens in place, so go back to the checkpoint and replay (deterministically)
                // to the last good step; the recorded step then names the first non-finite quantity.
                let lastGood = t - 1
                let bad = theta[i]
                self = checkpoint
                _ = try advance(steps: lastGood - t)
                _ = try step()
                throw Divergence(t: lastGood + 1, quantity: .thetaNext, coordinate: i, value: bad.double)
            }
            taken += 1
        }
        return taken
    }

    /// Two runs are equal when optimizer, objective, start and θ are; the gradient scratch buffer is not state.
    public static func == (a: Run, b: Run) -> Bool {
        a.optimizer == b.optimizer && a.objective == b.objective && a.start == b.start && a.theta == b.theta
    }

    static func firstNonFinite(in record: StepRecord<T>) -> Divergence? {
        for q in Quantity.allCases {
            if let s = record.scalars[q], !s.isFinite {
                return Divergence(t: record.t, quantity: q, coordinate: 0, value: s.double)
            }
            if let v = record.vectors[q], let i = v.firstIndex(where: { !$0.isFinite }) {
                return Divergence(t: record.t, quantity: q, coordinate: i, value: v[i].double)
            }
        }
        return nil
    }
}
