// The optimizer: its state, one step's constants and the dispatch to the update rules in `Optimizers/`.

import Dispatch
import RealModule

/// The state an optimizer carries between steps, one vector per state quantity.
public struct OptimizerState<T: Scalar>: Sendable, Equatable {
    /// Steps taken so far.
    public internal(set) var t: Int = 0
    /// The state quantities, in storage order.
    public let slots: [Quantity]
    /// All state vectors back to back: slot k is `storage[k*n ..< (k+1)*n]`.
    var storage: [T]
    /// NAdam's running product of μ.
    var muProduct: T = 1
    /// The scheduled lr of the last step (nil before the first, or after a `set` that changed the schedule).
    var scheduledLR: Double?
    /// The first t at which β₁ᵗ (β₂ᵗ) fell to 2⁻⁵⁴ or below: from then on 1 − βᵗ rounds to exactly 1.
    var beta1SaturatedAt = Int.max, beta2SaturatedAt = Int.max
    /// L-BFGS's memory (empty for the other optimizers).
    var lbfgs = LBFGSMemory<T>()
    public let dimension: Int
    let layout: SlotLayout

    init(kind: OptimizerKind, hyper: Hyperparameters, dimension n: Int) {
        let slots: [Quantity]
        switch kind {
        case .sgd, .momentum, .nesterov: slots = SGDRule<T>.slots(hyper)
        case .adagrad: slots = AdagradRule<T>.slots(hyper)
        case .rmsprop: slots = RMSpropRule<T>.slots(hyper)
        case .adadelta: slots = AdadeltaRule<T>.slots(hyper)
        case .adam, .adamw: slots = AdamRule<T>.slots(hyper)
        case .adamax: slots = AdaMaxRule<T>.slots(hyper)
        case .nadam: slots = NAdamRule<T>.slots(hyper)
        case .radam: slots = RAdamRule<T>.slots(hyper)
        case .adabelief: slots = AdaBeliefRule<T>.slots(hyper)
        case .newton, .lbfgs, .natural: slots = []
        }
        self.slots = slots
        self.layout = SlotLayout(slots: slots)
        self.dimension = n
        self.storage = Array(repeating: 0, count: slots.count * n)
        // torch.optim.Adagrad's `initial_accumulator_value`: the sum starts there, not at 0.
        if kind == .adagrad, hyper.initialAccumulatorValue != 0 {
            let k = slots.firstIndex(of: .sum)!
            for i in k * n..<(k + 1) * n { storage[i] = T(hyper.initialAccumulatorValue) }
        }
    }

    /// The state vector `q` after the last step, or nil when this optimizer keeps none.
    public func vector(_ q: Quantity) -> [T]? {
        guard let k = slots.firstIndex(of: q) else { return nil }
        return Array(storage[k * dimension..<(k + 1) * dimension])
    }

    func slot(_ q: Quantity) -> Int { slots.firstIndex(of: q)! }
}

/// An optimizer: its spec and its state. A value: copy it to keep a snapshot (the REPL's `back`).
public struct Optimizer<T: Scalar>: Sendable, Equatable {
    public private(set) var spec: OptimizerSpec
    public private(set) var state: OptimizerState<T>

    public init(spec: OptimizerSpec, dimension: Int) {
        self.spec = spec
        self.state = OptimizerState(kind: spec.kind, hyper: spec.hyper, dimension: dimension)
    }

    public var dimension: Int { state.dimension }
    public var t: Int { state.t }

    /// Changes hyperparameters mid-run. State that both specs keep is carried over; state the new
    /// spec adds (say `amsgrad=on`) starts at zero. Changing the optimizer kind is a `use`, not a `set`.
    public mutating func update(spec newSpec: OptimizerSpec) {
        precondition(newSpec.kind == spec.kind)
        var fresh = OptimizerState<T>(kind: newSpec.kind, hyper: newSpec.hyper, dimension: dimension)
        fresh.t = state.t
        fresh.muProduct = state.muProduct
        fresh.lbfgs = state.lbfgs
        // The schedule goes on from the last step's lr while it and the base lr are unchanged; else it
        // starts over from its closed form at the next step.
        if newSpec.hyper.lr == spec.hyper.lr, newSpec.hyper.schedule == spec.hyper.schedule {
            fresh.scheduledLR = state.scheduledLR
        }
        if newSpec.hyper.beta1 == spec.hyper.beta1 { fresh.beta1SaturatedAt = state.beta1SaturatedAt }
        if newSpec.hyper.beta2 == spec.hyper.beta2 { fresh.beta2SaturatedAt = state.beta2SaturatedAt }
        let n = dimension
        for (k, q) in fresh.slots.enumerated() {
            if let old = state.slots.firstIndex(of: q) {
                fresh.storage.replaceSubrange(k * n..<(k + 1) * n, with: state.storage[old * n..<(old + 1) * n])
            }
        }
        spec = newSpec
        state = fresh
    }

    /// Takes one step in place without recording: the fast path.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func step(theta: inout [T], gradient: [T]) {
        precondition(theta.count == dimension && gradient.count == dimension)
        theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeBufferPointer { g in
                step(theta: th.baseAddress!, gradient: UnsafeMutablePointer(mutating: g.baseAddress!))
            }
        }
    }

    /// One step in place on raw memory (θ and g of `dimension` elements), without recording: the fast
    /// path, also for loops that hold the pointers across many steps.
    @inline(__always)
    mutating func step(theta: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>) {
        let (c, h) = prepare(recording: false)
        let kind = spec.kind
        let layout = state.layout
        let n = dimension
        let slotCount = state.slots.count
        state.storage.withUnsafeMutableBufferPointer { st in
            guard n >= Optimizer.parallelFrom else {
                var sink = DiscardingSink<T>()
                Kernel<T>.run(
                    kind: kind, h: h, c: c, layout: layout, n: n, range: 0..<n,
                    theta: theta, g: gradient, state: st.baseAddress, sink: &sink)
                return
            }
            // Each coordinate's update is independent: two halves on two cores give the same bits.
            let thBase = UnsafeSendable(theta), gBase = UnsafeSendable(gradient)
            let stBase = UnsafeSendable(slotCount > 0 ? st.baseAddress! : nil)
            DispatchQueue.concurrentPerform(iterations: 2) { k in
                var sink = DiscardingSink<T>()
                Kernel<T>.run(
                    kind: kind, h: h, c: c, layout: layout, n: n, range: (n * k / 2)..<(n * (k + 1) / 2),
                    theta: thBase.value, g: gBase.value, state: stBase.value, sink: &sink)
            }
        }
    }

    /// From this many coordinates a step is split over two threads.
    static var parallelFrom: Int { 1 << 16 }

    /// Takes one step and returns every quantity of it. `loss` is recorded as given.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func step(theta: [T], gradient: [T], loss: T?) -> StepRecord<T> {
        var sink = RecordingSink<T>(record: StepRecord(t: state.t + 1), dimension: dimension)
        if let loss { sink.record.scalars[.loss] = loss }
        var next = theta
        advance(theta: &next, gradient: gradient, sink: &sink)
        var record = sink.finished()
        record.vectors[.theta] = theta
        for q in state.slots { record.vectors[q] = state.vector(q) }
        record.vectors[.thetaNext] = next
        return record
    }

    private mutating func advance<S: StepSink<T>>(theta: inout [T], gradient: [T], sink: inout S) {
        precondition(theta.count == dimension && gradient.count == dimension)
        let (c, h) = prepare(recording: S.self != DiscardingSink<T>.self)
        c.report(to: &sink)
        if h.schedule != .none { sink.scalar(.lrScheduled, T(h.lr)) }
        let n = dimension
        let kind = spec.kind
        let layout = state.layout
        theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeBufferPointer { g in
                state.storage.withUnsafeMutableBufferPointer { st in
                    Kernel<T>.run(
                        kind: kind, h: h, c: c, layout: layout, n: n, range: 0..<n,
                        theta: th.baseAddress!, g: UnsafeMutablePointer(mutating: g.baseAddress!),
                        state: st.baseAddress, sink: &sink)
                }
            }
        }
    }

    /// One step of Newton, L-BFGS or the natural gradient, which look at the objective beyond this
    /// step's gradient. `first` is f(θ) and the gradient the step starts from.
    mutating func curvatureStep(theta: [T], first: (T, [T]), objective: Objective) throws -> StepRecord<T> {
        state.t += 1
        let t = state.t
        switch spec.kind {
        case .lbfgs:
            return LBFGSRule.step(
                spec.hyper, memory: &state.lbfgs, t: t, theta: theta, first: first,
                evaluate: { objective.valueAndGradient($0, step: t) })
        default:
            return try CurvatureRule.step(
                spec.hyper, kind: spec.kind, t: t, theta: theta, loss: first.0, gradient: first.1,
                objective: objective)
        }
    }

    /// βᵗ as Python's `beta ** t` (libm pow) computes it, except that once it has fallen to 2⁻⁵⁴ or below
    /// (where 1 − βᵗ rounds to exactly 1) it returns 0: the same bias correction, without the pow call.
    static func power(_ beta: Double, _ t: Int, saturatedAt: inout Int) -> Double {
        if t >= saturatedAt { return 0 }
        let p = Double.pow(beta, Double(t))
        if p <= 0x1p-54 && beta >= 0 { saturatedAt = t }
        return p
    }

    /// 1 − βᵗ as the optimizers take it, βᵗ from `power` (the same value as `Reference.biasCorrection`).
    static func biasCorrection(_ beta: Double, _ t: Int, saturatedAt: inout Int) -> Double {
        1 - power(beta, t, saturatedAt: &saturatedAt)
    }

    /// Advances t and computes the per-step scalars, in the library's own order of operations.
    /// Scalars that only a record shows (αₜ for Adam) are computed only when `recording`.
    /// Also returns the hyperparameters of this step: the spec's, with lr as the schedule sets it.
    private mutating func prepare(recording: Bool) -> (StepConstants<T>, Hyperparameters) {
        state.t += 1
        var h = spec.hyper
        if h.schedule != .none {
            h.lr = h.scheduledLR(at: state.t, previous: state.scheduledLR)
            state.scheduledLR = h.lr
        }
        var c = StepConstants<T>(t: state.t)
        switch spec.kind {
        case .sgd, .momentum, .nesterov: SGDRule.constants(h, &c)
        case .adagrad: AdagradRule.constants(h, &c)
        case .rmsprop: RMSpropRule.constants(h, &c)
        case .adadelta: AdadeltaRule.constants(h, &c)
        case .adam, .adamw: AdamRule.constants(h, &c, &state, recording: recording)
        case .adamax: AdaMaxRule.constants(h, &c, &state)
        case .nadam: NAdamRule.constants(h, &c, &state)
        case .radam: RAdamRule.constants(h, &c, recording: recording)
        case .adabelief: AdaBeliefRule.constants(h, &c, &state, recording: recording)
        case .newton, .lbfgs, .natural: break
        }
        return (c, h)
    }
}

/// Per-step scalars: computed once, read by every coordinate.
struct StepConstants<T: Scalar>: Sendable {
    var t: Int
    var lrT: T = 0
    var bc1: T = 1
    var bc2: T = 1
    var bc2Sqrt: T = 1
    var stepSize: T = 0
    var alpha: T = 0
    var mu: T? = nil
    var gradCoefficient: T = 0
    var momentumCoefficient: T = 0
    var nesterovGradWeight: T = 0
    var nesterovMomentumWeight: T = 0
    var rho: T? = nil
    var rect: T? = nil
    /// Optax's Nesterov Adam: 1 − β₁ᵗ⁺¹, the correction of the look-ahead momentum.
    var bc1Next: T = 1
    /// Keras's NAdam: μₜ₊₁, 1 − ∏μ up to t, and the reciprocal of 1 − ∏μ up to t + 1.
    var muNext: T = 0
    var productComplement: T = 1
    var productNextComplement: T = 1
    /// RAdam's foreach path: the step while unrectified, and the scale of the rectified one.
    var unrectifiedStep: T = 0
    var rectifiedScale: T = 0

    init(t: Int) { self.t = t }

    func report<S: StepSink<T>>(to sink: inout S) {
        sink.scalar(.lrT, lrT)
        if let mu { sink.scalar(.muT, mu) }
        if let rho { sink.scalar(.rhoT, rho) }
        if let rect { sink.scalar(.rT, rect) }
    }
}

/// Where each state vector starts, as an offset in units of n.
struct SlotLayout: Sendable, Equatable {
    var m = -1, v = -1, vMax = -1, sMax = -1, u = -1, s = -1, buf = -1, sum = -1, squareAvg = -1, gradAvg = -1,
        accDelta = -1
    init(slots: [Quantity]) {
        for (k, q) in slots.enumerated() {
            switch q {
            case .m: m = k
            case .v: v = k
            case .vMax: vMax = k
            case .sMax: sMax = k
            case .u: u = k
            case .s: s = k
            case .buf: buf = k
            case .sum: sum = k
            case .squareAvg: squareAvg = k
            case .gradAvg: gradAvg = k
            case .accDelta: accDelta = k
            default: break
            }
        }
    }
}

/// A pointer handed to the worker threads of `concurrentPerform`; each writes a disjoint range.
struct UnsafeSendable<P>: @unchecked Sendable {
    let value: P
    init(_ value: P) { self.value = value }
}

/// The memory one step works on: θ, g and the state vectors, and the coordinates this call updates.
struct Coordinates<T: Scalar> {
    let theta: UnsafeMutablePointer<T>
    let g: UnsafeMutablePointer<T>
    let state: UnsafeMutablePointer<T>?
    let n: Int
    let range: Range<Int>
    let layout: SlotLayout
    /// torch's `maximize=True`: every rule takes −g where it would take g.
    let maximize: Bool

    /// State vector `k` (its offset in the layout).
    @inline(__always) func slot(_ k: Int) -> UnsafeMutablePointer<T> { state! + k * n }

    /// Coordinate i of the gradient the rule descends along: g, or −g when maximizing.
    @inline(__always) func gradient(_ i: Int) -> T { maximize ? -g[i] : g[i] }
}

/// Where torch's fused kernel begins its one-by-one loop: after the whole vectors of `lanes` doubles (twice
/// as many floats); n, no coordinate, on the other code paths.
@inline(__always) func fusedScalarStart<T: Scalar>(_ n: Int, _: T.Type, _ h: Hyperparameters) -> Int {
    guard h.impl == .fused else { return n }
    let lanes = Swift.max(1, Int(h.lanes)) * 8 / MemoryLayout<T>.stride
    return n - n % lanes
}

/// PyTorch's `lerp`: exactly how torch blends `start` towards `end` by `weight`, with one fused
/// multiply-add as its CPU kernel does. Every PyTorch first moment is `lerp(m, g, 1 − β₁)`.
@inline(__always) func lerp<T: Scalar>(_ start: T, _ end: T, _ weight: T) -> T {
    abs(weight) < 0.5 ? start.addingProduct(weight, end - start) : end.addingProduct(-(end - start), 1 - weight)
}

/// PyTorch's `v.mul_(β).addcmul_(g, g, value: 1 − β)`: a decayed average of squares, its last
/// multiply-add fused as torch's CPU kernel fuses it. `weight` is 1 − β as Python computes it, in
/// Double, then rounded to T.
@inline(__always) func torchSquareAverage<T: Scalar>(_ v: T, _ g: T, _ beta: T, _ weight: T) -> T {
    (v * beta).addingProduct(weight * g, g)
}

/// L2 weight decay folded into the gradient, g + λθ: one fused multiply-add as PyTorch's
/// `grad.add(param, alpha: λ)`, or a product and a sum as the other libraries write it. Nothing when λ = 0.
@inline(__always) func withL2<T: Scalar>(_ g: T, _ theta: T, _ wd: T, fused: Bool = true) -> T {
    guard wd != 0 else { return g }
    return fused ? g.addingProduct(wd, theta) : g + wd * theta
}

/// The coordinate loops, one family per file (`Optimizers/`). Each mirrors its library's operation
/// order, so that results agree to the last bit where that library's kernels do not fuse multiply-adds.
enum Kernel<T: Scalar> {
    @inline(__always)
    static func run<S: StepSink<T>>(
        kind: OptimizerKind, h: Hyperparameters, c: StepConstants<T>, layout: SlotLayout, n: Int, range: Range<Int>,
        theta: UnsafeMutablePointer<T>, g: UnsafeMutablePointer<T>, state: UnsafeMutablePointer<T>?, sink: inout S
    ) {
        let x = Coordinates(
            theta: theta, g: g, state: state, n: n, range: range, layout: layout, maximize: h.maximize)
        switch kind {
        case .sgd, .momentum, .nesterov: SGDRule.step(x, h, c, &sink)
        case .adagrad: AdagradRule.step(x, h, c, &sink)
        case .rmsprop: RMSpropRule.step(x, h, c, &sink)
        case .adadelta: AdadeltaRule.step(x, h, c, &sink)
        case .adam where AdamRule.isPlainPyTorch(h, layout, S.self): AdamRule.plainPyTorch(x, h, c)
        case .adam where AdamRule.isPlainPaper(h, layout, S.self): AdamRule.plainPaper(x, h, c)
        case .adam: AdamRule.step(x, h, c, decoupled: h.decoupledWeightDecay, &sink)
        case .adamw: AdamRule.step(x, h, c, decoupled: true, &sink)
        case .adamax: AdaMaxRule.step(x, h, c, &sink)
        case .nadam: NAdamRule.step(x, h, c, &sink)
        case .radam: RAdamRule.step(x, h, c, &sink)
        case .adabelief: AdaBeliefRule.step(x, h, c, &sink)
        case .newton, .lbfgs, .natural: preconditionFailure("second-order steps go through Optimizer.curvatureStep")
        }
    }
}
