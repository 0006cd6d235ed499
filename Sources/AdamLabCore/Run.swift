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
        while taken < steps {
            if taken > 0 && shouldStop() { return taken }
            let checkpoint = self
            let chunk = min(1024, steps - taken)
            let outcome = Run.fastSteps(chunk, objective: objective, optimizer: &optimizer, theta: &theta, gradient: &gradientBuffer)
            switch outcome {
            case .completed:
                taken += chunk
            case .nonFiniteGradient:
                // That step has not been taken, so a recorded step (on a copy) names the culprit.
                var probe = self
                _ = try probe.step()
                let i = gradientBuffer.firstIndex { !$0.isFinite } ?? 0
                throw Divergence(t: t + 1, quantity: .g, coordinate: i, value: gradientBuffer[i].double)
            case .nonFiniteTheta(let done, let i, let bad):
                // The bad step changed θ and the state in place: go back to the chunk's start and replay
                // (deterministically) to the last good step; a recorded step on a copy names the culprit.
                self = checkpoint
                try advance(steps: done)
                var probe = self
                _ = try probe.step()
                throw Divergence(t: t + 1, quantity: .thetaNext, coordinate: i, value: bad.double)
            }
        }
        return taken
    }

    private enum FastOutcome {
        case completed
        case nonFiniteGradient
        case nonFiniteTheta(stepsDone: Int, coordinate: Int, value: T)
    }

    /// The hot loop: θ and the gradient buffer stay borrowed as raw memory for the whole chunk.
    private static func fastSteps(_ count: Int, objective: Objective, optimizer: inout Optimizer<T>,
                                  theta: inout [T], gradient: inout [T]) -> FastOutcome {
        theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeMutableBufferPointer { g in
                let w = UnsafeBufferPointer(th)
                for done in 0..<count {
                    _ = objective.evaluate(w, gradient: g, wantGradient: true)
                    for x in g where !x.isFinite { return .nonFiniteGradient }
                    optimizer.step(theta: th.baseAddress!, gradient: g.baseAddress!)
                    for i in 0..<th.count where !th[i].isFinite {
                        return .nonFiniteTheta(stepsDone: done, coordinate: i, value: th[i])
                    }
                }
                return .completed
            }
        }
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
