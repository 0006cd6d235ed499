// An optimizer on an objective from a start: steps with records, fast runs, and divergence detection.

/// A value became NaN or infinite: the run stops at step `t`, before θ is changed.
public struct Divergence: Error, Sendable, Equatable, CustomStringConvertible {
    public var t: Int
    public var quantity: Quantity
    public var coordinate: Int
    public var value: Double

    public var description: String {
        let name =
            quantity == .loss
            ? "f(θ)" : quantity.isScalar ? quantity.machineName : "\(quantity.machineName)[\(coordinate)]"
        return "diverged at step \(t): \(name) became \(valueText)"
    }

    /// `NaN`, `+inf` or `-inf` (or the number, for a value that is finite after all).
    public var valueText: String { value.isNaN ? "NaN" : value.isInfinite ? (value > 0 ? "+inf" : "-inf") : "\(value)" }
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
        try Run.checkSecondOrder(spec.kind, objective: objective, dimension: start.count)
        self.objective = objective
        self.start = start.map { T($0) }
        self.theta = self.start
        self.optimizer = Optimizer(spec: spec, dimension: start.count)
        self.gradientBuffer = Array(repeating: 0, count: start.count)
    }

    public var t: Int { optimizer.t }

    /// The most coordinates a Hessian is formed for (n² numbers and an eigen-decomposition each step).
    public static var hessianLimit: Int { 200 }

    /// Whether `kind` can run on `objective`: Newton and the natural gradient need its Hessian.
    static func checkSecondOrder(_ kind: OptimizerKind, objective: Objective, dimension: Int) throws {
        guard kind.needsHessian else { return }
        guard objective.hasHessian else {
            throw CoreError(
                "\(kind.rawValue) needs f's Hessian, and the network objective has none written out; lbfgs needs only gradients"
            )
        }
        guard dimension <= hessianLimit else {
            throw CoreError(
                "\(kind.rawValue) forms the \(dimension)×\(dimension) Hessian every step; it takes at most \(hessianLimit) coordinates (lbfgs takes any number)"
            )
        }
    }
    public var spec: OptimizerSpec { optimizer.spec }
    public var loss: T { objective.value(theta) }

    /// Changes hyperparameters, keeping the state (see `Optimizer.update(spec:)`).
    public mutating func update(spec: OptimizerSpec) throws {
        guard spec.kind == optimizer.spec.kind else {
            throw CoreError("set cannot change the optimizer; use `use \(spec.kind.rawValue)`")
        }
        try Run.checkSecondOrder(spec.kind, objective: objective, dimension: theta.count)
        optimizer.update(spec: spec)
    }

    /// One step with every quantity recorded. `gradient` replaces the objective's (a learner-typed gradient).
    /// On divergence nothing changes and the error names the first non-finite quantity.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func step(gradient supplied: [T]? = nil) throws -> StepRecord<T> {
        let (loss, computed) = objective.valueAndGradient(theta, step: t + 1)
        let gradient = supplied ?? computed
        guard gradient.count == theta.count else {
            throw CoreError("the gradient has \(gradient.count) coordinates, θ has \(theta.count)")
        }
        var trial = optimizer
        var record =
            spec.kind.isSecondOrder
            ? try trial.curvatureStep(theta: theta, first: (loss, gradient), objective: objective)
            : trial.step(theta: theta, gradient: gradient, loss: loss)
        if objective.noise != nil { record.vectors[.gradF] = objective.exact.valueAndGradient(theta).1 }
        if let bad = Run.firstNonFinite(in: record) { throw bad }
        optimizer = trial
        theta = record.vectors[.thetaNext]!
        return record
    }

    /// Takes up to `steps` steps without recording. Stops early, leaving the last good state, when
    /// `shouldStop` says so (checked every 1024 steps) or at divergence. Divergence means what it means
    /// for a recorded step (`step()`): any quantity of the step, f(θ) included, is NaN or infinite. The
    /// fast loop watches f, g and θ every step and the state every chunk; when any is not finite it
    /// replays the chunk with recorded steps, so the step and quantity named are the ones `step()`
    /// would name, whatever is recorded. Returns the steps taken.
    @discardableResult
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func advance(steps: Int, shouldStop: () -> Bool = { false }) throws -> Int {
        var none: [T]? = nil
        return try advance(steps: steps, shouldStop: shouldStop, losses: &none)
    }

    /// `advance`, appending f(θₜ₋₁) of every step taken to `losses` (when it is not nil): a loss
    /// curve of every step, at no cost beyond the store, since the loop computes f anyway.
    @discardableResult
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func advance(steps: Int, shouldStop: () -> Bool = { false }, losses: inout [T]?) throws -> Int {
        var none: [[T]]? = nil
        return try advance(steps: steps, shouldStop: shouldStop, losses: &losses, gradients: &none)
    }

    /// `advance`, also appending each step's gradient ∇f(θₜ₋₁) to `gradients` (when it is not nil).
    @discardableResult
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func advance(
        steps: Int, shouldStop: () -> Bool = { false }, losses: inout [T]?, gradients: inout [[T]]?
    ) throws -> Int {
        var taken = 0
        var chunkLosses = [T](repeating: 0, count: losses == nil ? 0 : min(1024, steps))
        while taken < steps {
            if taken > 0 && shouldStop() { return taken }
            let checkpoint = self
            // Ctrl-C is looked at between chunks: a chunk is about the same work whatever a step costs
            // (1024 steps of a bowl, one step of a large network on many rows).
            let chunk = min(objective.stepsPerCheck, steps - taken)
            // An empty array's buffer may still have an address: without a log, no pointer at all.
            var chunkGradients: [[T]]? = gradients == nil ? nil : []
            let finite =
                losses == nil
                ? Run.fastSteps(
                    chunk, objective: objective, optimizer: &optimizer, theta: &theta, gradient: &gradientBuffer,
                    gradients: &chunkGradients)
                : chunkLosses.withUnsafeMutableBufferPointer { buffer in
                    Run.fastSteps(
                        chunk, objective: objective, optimizer: &optimizer, theta: &theta, gradient: &gradientBuffer,
                        losses: buffer.baseAddress, gradients: &chunkGradients)
                }
            if finite && optimizer.state.storage.allSatisfy(\.isFinite) {
                losses?.append(contentsOf: chunkLosses.prefix(chunk))
                if let chunkGradients { gradients?.append(contentsOf: chunkGradients) }
                taken += chunk
                continue
            }
            // Replay from the chunk's start one recorded step at a time: the first that fails names the culprit.
            self = checkpoint
            for _ in 0..<chunk {
                let before = theta
                let record = try step()
                if let f = record.scalars[.loss] { losses?.append(f) }
                if gradients != nil { gradients!.append(objective.valueAndGradient(before, step: record.t).1) }
            }
            taken += chunk
        }
        return taken
    }

    /// The hot loop: θ and the gradient buffer stay borrowed as raw memory for the whole chunk.
    /// Returns false as soon as f, a gradient or θ is not finite (θ and the state are then spoilt).
    private static func fastSteps(
        _ count: Int, objective: Objective, optimizer: inout Optimizer<T>,
        theta: inout [T], gradient: inout [T], losses: UnsafeMutablePointer<T>? = nil, gradients: inout [[T]]?
    ) -> Bool {
        if optimizer.spec.kind.isSecondOrder {
            for k in 0..<count {
                let first = objective.valueAndGradient(theta, step: optimizer.t + 1)
                losses?[k] = first.0
                guard first.0.isFinite,
                    let record = try? optimizer.curvatureStep(theta: theta, first: first, objective: objective),
                    let next = record.vectors[.thetaNext], next.allSatisfy(\.isFinite)
                else { return false }
                if gradients != nil { gradients!.append(first.1) }
                theta = next
            }
            return true
        }
        return theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeMutableBufferPointer { g in
                let w = UnsafeBufferPointer(th)
                // f is checked at every step; θ and the gradient once, at the end: a non-finite value in
                // either makes the next f (or that last check) fail, and the caller then replays the chunk
                // step by step to name the first culprit, so a late check changes nothing it reports.
                for k in 0..<count {
                    let f = objective.evaluate(w, gradient: g, step: optimizer.t + 1)
                    losses?[k] = f
                    guard f.isFinite else { return false }
                    if gradients != nil { gradients!.append(Array(g)) }
                    optimizer.step(theta: th.baseAddress!, gradient: g.baseAddress!)
                }
                return allFinite(UnsafeBufferPointer(g)) && allFinite(w)
            }
        }
    }

    /// Whether every element is finite, in one pass the compiler can vectorise (no early exit).
    private static func allFinite(_ values: UnsafeBufferPointer<T>) -> Bool {
        // x·0 is 0 for every finite x and NaN for ±∞ and NaN: eight running sums of it, which the
        // compiler can keep in vector registers, are 0 exactly when every element is finite.
        var sums = SIMD8<T>.zero
        var i = 0
        let n = values.count
        while i + 8 <= n {
            sums += SIMD8(values[i..<i + 8]) * 0
            i += 8
        }
        var rest: T = 0
        while i < n {
            rest += values[i] * 0
            i += 1
        }
        return sums.sum() + rest == 0
    }

    /// Two runs are equal when optimizer, objective, start and θ are; the gradient scratch buffer is not state.
    public static func == (a: Run, b: Run) -> Bool {
        a.optimizer == b.optimizer && a.objective == b.objective && a.start == b.start && a.theta == b.theta
    }

    /// The first quantity (in `allCases` order) with a value that is not finite, and where.
    static func firstNonFinite(in record: StepRecord<T>) -> Divergence? {
        var first: Divergence?
        func consider(_ q: Quantity, _ i: Int, _ x: T) {
            if first.map({ q.position < $0.quantity.position }) ?? true {
                first = Divergence(t: record.t, quantity: q, coordinate: i, value: x.double)
            }
        }
        for (q, s) in record.scalars where !s.isFinite { consider(q, 0, s) }
        for (q, v) in record.vectors where !v.withUnsafeBufferPointer(allFinite) {
            if let i = v.firstIndex(where: { !$0.isFinite }) { consider(q, i, v[i]) }
        }
        return first
    }
}
