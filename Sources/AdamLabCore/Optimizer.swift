// The optimizers: each update rule written once, in the exact operation order of the library it follows.

import CAdamKernel
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
    /// The first t at which β₁ᵗ (β₂ᵗ) fell to 2⁻⁵⁴ or below: from then on 1 − βᵗ rounds to exactly 1.
    var beta1SaturatedAt = Int.max, beta2SaturatedAt = Int.max
    public let dimension: Int
    let layout: SlotLayout

    init(kind: OptimizerKind, hyper: Hyperparameters, dimension n: Int) {
        var slots: [Quantity]
        switch kind {
        case .sgd, .momentum, .nesterov: slots = hyper.momentum != 0 ? [.buf] : []
        case .adagrad: slots = [.sum]
        case .rmsprop:
            slots = [.squareAvg]
            if hyper.centered { slots.append(.gradAvg) }
            if hyper.momentum > 0 { slots.append(.buf) }
        case .adadelta: slots = [.squareAvg, .accDelta]
        case .adam, .adamw: slots = hyper.amsgrad ? [.m, .v, .vMax] : [.m, .v]
        case .adamax: slots = [.m, .u]
        case .nadam, .radam: slots = [.m, .v]
        case .adabelief: slots = [.m, .s]
        }
        self.slots = slots
        self.layout = SlotLayout(slots: slots)
        self.dimension = n
        self.storage = Array(repeating: 0, count: slots.count * n)
    }

    /// The state vector `q` after the last step, or nil when this optimizer keeps none.
    public func vector(_ q: Quantity) -> [T]? {
        guard let k = slots.firstIndex(of: q) else { return nil }
        return Array(storage[k * dimension ..< (k + 1) * dimension])
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
        if newSpec.hyper.beta1 == spec.hyper.beta1 { fresh.beta1SaturatedAt = state.beta1SaturatedAt }
        if newSpec.hyper.beta2 == spec.hyper.beta2 { fresh.beta2SaturatedAt = state.beta2SaturatedAt }
        let n = dimension
        for (k, q) in fresh.slots.enumerated() {
            if let old = state.slots.firstIndex(of: q) {
                fresh.storage.replaceSubrange(k * n ..< (k + 1) * n, with: state.storage[old * n ..< (old + 1) * n])
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
        if dimension >= 1 << 16 {
            stepParallel(theta: &theta, gradient: gradient)
        } else {
            theta.withUnsafeMutableBufferPointer { th in
                gradient.withUnsafeBufferPointer { g in
                    step(theta: th.baseAddress!, gradient: UnsafeMutablePointer(mutating: g.baseAddress!))
                }
            }
        }
    }

    /// One step in place on raw memory (θ and g of `dimension` elements), without recording: the fast
    /// path, also for loops that hold the pointers across many steps.
    mutating func step(theta: UnsafeMutablePointer<T>, gradient: UnsafeMutablePointer<T>) {
        let c = prepare(recording: false)
        let kind = spec.kind
        let h = spec.hyper
        let layout = state.layout
        let n = dimension
        var sink = DiscardingSink<T>()
        state.storage.withUnsafeMutableBufferPointer { st in
            Kernel<T>.run(kind: kind, h: h, c: c, layout: layout, n: n, range: 0..<n,
                          theta: theta, g: gradient, state: st.baseAddress, sink: &sink)
        }
    }

    /// Takes one step and returns every quantity of it. `loss` is recorded as given.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public mutating func step(theta: [T], gradient: [T], loss: T?) -> StepRecord<T> {
        var sink = RecordingSink<T>(record: StepRecord(t: state.t + 1), dimension: dimension)
        sink.record.vectors[.theta] = theta
        if let loss { sink.record.scalars[.loss] = loss }
        var next = theta
        advance(theta: &next, gradient: gradient, sink: &sink)
        for q in state.slots { sink.record.vectors[q] = state.vector(q) }
        sink.record.vectors[.thetaNext] = next
        return sink.record
    }

    /// Splits a long vector over the machine's cores; each coordinate's update is independent.
    private mutating func stepParallel(theta: inout [T], gradient: [T]) {
        let n = dimension
        let chunks = 2
        let c = prepare(recording: false)
        let kind = spec.kind
        let h = spec.hyper
        let slotCount = state.slots.count
        let layout = state.layout
        theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeBufferPointer { g in
                state.storage.withUnsafeMutableBufferPointer { st in
                    let thBase = UnsafeSendable(th.baseAddress!)
                    let gBase = UnsafeSendable(UnsafeMutablePointer(mutating: g.baseAddress!))
                    let stBase = UnsafeSendable(slotCount > 0 ? st.baseAddress! : nil)
                    DispatchQueue.concurrentPerform(iterations: chunks) { k in
                        let lo = n * k / chunks, hi = n * (k + 1) / chunks
                        var sink = DiscardingSink<T>()
                        Kernel<T>.run(kind: kind, h: h, c: c, layout: layout, n: n, range: lo..<hi,
                                      theta: thBase.value, g: gBase.value, state: stBase.value, sink: &sink)
                    }
                }
            }
        }
    }

    private mutating func advance<S: StepSink<T>>(theta: inout [T], gradient: [T], sink: inout S) {
        precondition(theta.count == dimension && gradient.count == dimension)
        let c = prepare(recording: S.self != DiscardingSink<T>.self)
        c.report(to: &sink)
        let n = dimension
        let kind = spec.kind
        let h = spec.hyper
        let layout = state.layout
        theta.withUnsafeMutableBufferPointer { th in
            gradient.withUnsafeBufferPointer { g in
                state.storage.withUnsafeMutableBufferPointer { st in
                    Kernel<T>.run(kind: kind, h: h, c: c, layout: layout, n: n, range: 0..<n,
                                  theta: th.baseAddress!, g: UnsafeMutablePointer(mutating: g.baseAddress!),
                                  state: st.baseAddress, sink: &sink)
                }
            }
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

    /// Advances t and computes the per-step scalars, in the library's own order of operations.
    /// Scalars that only a record shows (αₜ for Adam) are computed only when `recording`.
    private mutating func prepare(recording: Bool) -> StepConstants<T> {
        state.t += 1
        let t = state.t
        let h = spec.hyper
        var c = StepConstants<T>(t: t)
        let b1 = h.beta1, b2 = h.beta2
        let td = Double(t)
        switch spec.kind {
        case .sgd, .momentum, .nesterov:
            c.lrT = T(h.lr)
        case .adagrad:
            c.lrT = T(h.lr / (1 + (td - 1) * h.lrDecay))
        case .rmsprop, .adadelta:
            c.lrT = T(h.lr)
        case .adam, .adamw:
            let bc1 = 1 - Optimizer.power(b1, t, saturatedAt: &state.beta1SaturatedAt)
            let bc2 = 1 - Optimizer.power(b2, t, saturatedAt: &state.beta2SaturatedAt)
            c.bc1 = T(bc1); c.bc2 = T(bc2)
            c.bc2Sqrt = bc2 == 1 ? 1 : T(Double.pow(bc2, 0.5))
            c.stepSize = T(h.lr / bc1)
            if recording { c.lrT = h.biasCorrection ? T(h.lr * bc2.squareRoot() / bc1) : T(h.lr) }
            if !h.biasCorrection { c.bc1 = 1; c.bc2 = 1; c.bc2Sqrt = 1 }
            if h.convention == .keras { c.alpha = T(h.lr * bc2.squareRoot() / bc1) }
        case .adamax:
            let bc1 = 1 - Optimizer.power(b1, t, saturatedAt: &state.beta1SaturatedAt)
            c.bc1 = T(bc1)
            c.stepSize = T(h.lr / bc1)
            c.lrT = c.stepSize
        case .nadam:
            let bc2 = 1 - Optimizer.power(b2, t, saturatedAt: &state.beta2SaturatedAt)
            let mu = b1 * (1.0 - 0.5 * Double.pow(0.96, td * h.momentumDecay))
            let muNext = b1 * (1.0 - 0.5 * Double.pow(0.96, (td + 1) * h.momentumDecay))
            let product = state.muProduct.double * mu
            state.muProduct = T(product)
            let productNext = product * muNext
            c.bc2 = T(bc2)
            c.mu = T(mu)
            c.gradCoefficient = T(-h.lr * (1.0 - mu) / (1.0 - product))
            c.momentumCoefficient = T((-h.lr * muNext) / (1.0 - productNext))
            c.nesterovGradWeight = T((1.0 - mu) / (1.0 - product))
            c.nesterovMomentumWeight = T(muNext / (1.0 - productNext))
            c.lrT = T(h.lr)
        case .radam:
            let bc1 = 1 - Double.pow(b1, td)
            let bc2 = 1 - Double.pow(b2, td)
            let rhoInf = 2 / (1 - b2) - 1
            let rhoT = rhoInf - 2 * td * Double.pow(b2, td) / bc2
            c.bc1 = T(bc1); c.bc2 = T(bc2)
            c.bc2Sqrt = bc2 == 1 ? 1 : T(Double.pow(bc2, 0.5))
            c.rho = T(rhoT)
            if rhoT > 5 {
                let r = Double.pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5)
                c.rect = T(r)
                if recording { c.lrT = T(h.lr * r * bc2.squareRoot() / bc1) }
            } else {
                c.lrT = T(h.lr / bc1)
            }
        case .adabelief:
            let bc1 = 1 - Optimizer.power(b1, t, saturatedAt: &state.beta1SaturatedAt)
            let bc2 = 1 - Optimizer.power(b2, t, saturatedAt: &state.beta2SaturatedAt)
            c.bc1 = T(bc1); c.bc2 = T(bc2)
            c.bc2Sqrt = T(bc2.squareRoot())
            c.stepSize = T(h.lr / bc1)
            if recording { c.lrT = T(h.lr * bc2.squareRoot() / bc1) }
        }
        return c
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
    var m = -1, v = -1, vMax = -1, u = -1, s = -1, buf = -1, sum = -1, squareAvg = -1, gradAvg = -1, accDelta = -1
    init(slots: [Quantity]) {
        for (k, q) in slots.enumerated() {
            switch q {
            case .m: m = k
            case .v: v = k
            case .vMax: vMax = k
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

/// PyTorch's `lerp`: exactly how torch blends `start` towards `end` by `weight`, with one fused
/// multiply-add as its CPU kernel does.
@inline(__always) func lerp<T: Scalar>(_ start: T, _ end: T, _ weight: T) -> T {
    abs(weight) < 0.5 ? start.addingProduct(weight, end - start) : end.addingProduct(-(end - start), 1 - weight)
}

/// The coordinate loops. Each case mirrors its library's operation order, so that results agree to the
/// last bit where that library's kernels do not fuse multiply-adds.
enum Kernel<T: Scalar> {
    @inline(__always)
    static func run<S: StepSink<T>>(
        kind: OptimizerKind, h: Hyperparameters, c: StepConstants<T>, layout: SlotLayout, n: Int, range: Range<Int>,
        theta: UnsafeMutablePointer<T>, g: UnsafeMutablePointer<T>, state: UnsafeMutablePointer<T>?, sink: inout S
    ) {
        let lr = T(h.lr), b1 = T(h.beta1), b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        func slot(_ k: Int) -> UnsafeMutablePointer<T> { state! + k * n }
        let convention = h.convention
        switch kind {
        case .sgd, .momentum, .nesterov:
            let mom = T(h.momentum), damp = T(1 - h.dampening)
            let buf = layout.buf >= 0 ? slot(layout.buf) : nil
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                if let buf {
                    let b = c.t == 1 ? d : (buf[i] * mom).addingProduct(damp, d)
                    buf[i] = b
                    d = h.nesterov ? d.addingProduct(mom, b) : b
                }
                sink.vector(.update, i, -lr * d)
                theta[i] = theta[i].addingProduct(-lr, d)
            }
        case .adagrad:
            let sum = slot(layout.sum)
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                sum[i] = sum[i].addingProduct(d, d)
                let std = sum[i].squareRoot() + eps
                let update = (-c.lrT * d) / std
                sink.vector(.update, i, update)
                theta[i] = theta[i] + update
            }
        case .rmsprop:
            let alpha = T(h.alpha), mom = T(h.momentum)
            let sq = slot(layout.squareAvg)
            let ga = layout.gradAvg >= 0 ? slot(layout.gradAvg) : nil
            let buf = layout.buf >= 0 ? slot(layout.buf) : nil
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                sq[i] = (sq[i] * alpha).addingProduct((1 - alpha) * d, d)
                var avg: T
                if let ga {
                    ga[i] = lerp(ga[i], d, 1 - alpha)
                    avg = sq[i].addingProduct(-ga[i], ga[i]).squareRoot()
                } else {
                    avg = sq[i].squareRoot()
                }
                avg = avg + eps
                let update: T
                if let buf {
                    buf[i] = buf[i] * mom + d / avg
                    update = -lr * buf[i]
                    theta[i] = theta[i].addingProduct(-lr, buf[i])
                } else {
                    update = (-lr * d) / avg
                    theta[i] = theta[i] + update
                }
                sink.vector(.update, i, update)
            }
        case .adadelta:
            let rho = T(h.rho)
            let sq = slot(layout.squareAvg), acc = slot(layout.accDelta)
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                sq[i] = (sq[i] * rho).addingProduct((1 - rho) * d, d)
                let std = (sq[i] + eps).squareRoot()
                var delta = (acc[i] + eps).squareRoot()
                delta = delta / std
                delta = delta * d
                acc[i] = (acc[i] * rho).addingProduct((1 - rho) * delta, delta)
                sink.vector(.update, i, -lr * delta)
                theta[i] = theta[i].addingProduct(-lr, delta)
            }
        case .adam where convention == .pytorch && layout.vMax < 0 && wd == 0 && Swift.abs(1 - b1) < 0.5
                && S.self == DiscardingSink<T>.self:
            // The common case without recording: the same operations in the same order as the general
            // loop below, in C where T is Double (Swift's SIMD square root is not lowered to packed code).
            let m = slot(layout.m), v = slot(layout.v)
            let w1 = 1 - b1, w2 = 1 - b2, negStep = -c.stepSize, bc2Sqrt = c.bc2Sqrt
            var i = range.lowerBound
            if T.self == Double.self {
                func double(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
                    UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
                }
                adamlab_adam_pytorch_f64(double(theta), double(g), double(m), double(v), range.lowerBound, range.upperBound,
                                         Double(w1), Double(w2), Double(b2), Double(negStep), Double(bc2Sqrt), Double(eps))
                i = range.upperBound
            }
            while i < range.upperBound {
                let d = g[i]
                let mi = m[i].addingProduct(w1, d - m[i])
                let vi = (v[i] * b2).addingProduct(w2 * d, d)
                m[i] = mi
                v[i] = vi
                theta[i] = theta[i] + (negStep * mi) / (vi.squareRoot() / bc2Sqrt + eps)
                i += 1
            }
        case .adam, .adamw:
            let m = slot(layout.m), v = slot(layout.v)
            let vMax = layout.vMax >= 0 ? slot(layout.vMax) : nil
            let decoupled = kind == .adamw
            let epsRoot = T(h.epsRoot)
            for i in range {
                let th0 = theta[i]
                var d = g[i]
                var th = th0
                if decoupled {
                    switch convention {
                    case .optax: break
                    case .keras: th = th - th * wd * lr
                    default: th = th * (1 - lr * wd)
                    }
                } else if wd != 0 {
                    d = convention == .pytorch ? d.addingProduct(wd, th) : d + wd * th
                }
                sink.vector(.g, i, d)
                var update: T
                var next: T
                switch convention {
                case .pytorch:
                    m[i] = lerp(m[i], d, 1 - b1)
                    v[i] = (v[i] * b2).addingProduct((1 - b2) * d, d)
                    var second = v[i]
                    if let vMax { vMax[i] = Swift.max(vMax[i], v[i]); second = vMax[i] }
                    update = (-c.stepSize * m[i]) / (second.squareRoot() / c.bc2Sqrt + eps)
                    next = th + update
                case .keras:
                    m[i] = m[i] + (d - m[i]) * (1 - b1)
                    v[i] = v[i] + (d * d - v[i]) * (1 - b2)
                    var second = v[i]
                    if let vMax { vMax[i] = Swift.max(vMax[i], v[i]); second = vMax[i] }
                    update = -((m[i] * c.alpha) / (second.squareRoot() + eps))
                    next = th + update
                case .optax, .paper:
                    if convention == .optax {
                        m[i] = (1 - b1) * d + b1 * m[i]
                        v[i] = (1 - b2) * (d * d) + b2 * v[i]
                    } else {
                        m[i] = b1 * m[i] + (1 - b1) * d
                        v[i] = b2 * v[i] + (1 - b2) * (d * d)
                    }
                    var second = v[i]
                    if let vMax { vMax[i] = Swift.max(vMax[i], v[i]); second = vMax[i] }
                    let mHat = m[i] / c.bc1
                    let vHat = second / c.bc2
                    if convention == .optax {
                        let direction = mHat / ((vHat + epsRoot).squareRoot() + eps)
                        update = -lr * (decoupled ? direction + wd * th0 : direction)
                    } else {
                        update = -(lr * mHat / ((vHat + epsRoot).squareRoot() + eps))
                    }
                    next = th + update
                }
                sink.vector(.mHat, i, m[i] / c.bc1)
                sink.vector(.vHat, i, v[i] / c.bc2)
                sink.vector(.update, i, decoupled ? next - th0 : update)
                theta[i] = next
            }
        case .adamax:
            let m = slot(layout.m), u = slot(layout.u)
            for i in range {
                var d = g[i]
                if wd != 0 { d = convention == .pytorch ? d.addingProduct(wd, theta[i]) : d + wd * theta[i] }
                sink.vector(.g, i, d)
                var update: T
                var next: T
                switch convention {
                case .pytorch:
                    m[i] = lerp(m[i], d, 1 - b1)
                    u[i] = Swift.max(u[i] * b2, abs(d) + eps)
                    update = (-c.stepSize * m[i]) / u[i]
                    next = theta[i] + update
                case .optax:
                    m[i] = (1 - b1) * d + b1 * m[i]
                    u[i] = Swift.max(b2 * u[i], abs(d) + eps)
                    update = -lr * ((m[i] / c.bc1) / u[i])
                    next = theta[i] + update
                case .keras:
                    m[i] = m[i] + (d - m[i]) * (1 - b1)
                    u[i] = Swift.max(b2 * u[i], abs(d))
                    update = -((lr * m[i]) / (c.bc1 * (u[i] + eps)))
                    next = theta[i] + update
                case .paper:
                    m[i] = b1 * m[i] + (1 - b1) * d
                    u[i] = Swift.max(b2 * u[i], abs(d))
                    // u = 0 only while every gradient so far was 0, and then m = 0 too: no move.
                    update = u[i] == 0 ? 0 : -c.stepSize * (m[i] / u[i])
                    next = theta[i] + update
                }
                sink.vector(.mHat, i, m[i] / c.bc1)
                sink.vector(.update, i, update)
                theta[i] = next
            }
        case .nadam:
            let m = slot(layout.m), v = slot(layout.v)
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                m[i] = lerp(m[i], d, 1 - b1)
                v[i] = (v[i] * b2).addingProduct((1 - b2) * d, d)
                let vHat = v[i] / c.bc2
                let denom = vHat.squareRoot() + eps
                sink.vector(.mHat, i, c.nesterovMomentumWeight * m[i] + c.nesterovGradWeight * d)
                sink.vector(.vHat, i, vHat)
                let th0 = theta[i]
                let th1 = th0 + (c.gradCoefficient * d) / denom
                let th2 = th1 + (c.momentumCoefficient * m[i]) / denom
                sink.vector(.update, i, th2 - th0)
                theta[i] = th2
            }
        case .radam:
            let m = slot(layout.m), v = slot(layout.v)
            for i in range {
                var d = g[i]
                if wd != 0 { d = d.addingProduct(wd, theta[i]) }
                sink.vector(.g, i, d)
                m[i] = lerp(m[i], d, 1 - b1)
                v[i] = (v[i] * b2).addingProduct((1 - b2) * d, d)
                let mHat = m[i] / c.bc1
                sink.vector(.mHat, i, mHat)
                sink.vector(.vHat, i, v[i] / c.bc2)
                let update: T
                if let rect = c.rect {
                    let adaptive = c.bc2Sqrt / (v[i].squareRoot() + eps)
                    update = -(mHat * lr * adaptive * rect)
                } else {
                    update = -(mHat * lr)
                }
                sink.vector(.update, i, update)
                theta[i] = theta[i] + update
            }
        case .adabelief:
            let m = slot(layout.m), s = slot(layout.s)
            for i in range {
                if wd != 0 { theta[i] = theta[i] * (1 - lr * wd) }
                let d = g[i]
                sink.vector(.g, i, d)
                m[i] = lerp(m[i], d, 1 - b1)
                let r = d - m[i]
                s[i] = (s[i] * b2).addingProduct((1 - b2) * r, r) + eps
                sink.vector(.mHat, i, m[i] / c.bc1)
                sink.vector(.vHat, i, s[i] / c.bc2)
                let update = (-c.stepSize * m[i]) / (s[i].squareRoot() / c.bc2Sqrt + eps)
                sink.vector(.update, i, update)
                theta[i] = theta[i] + update
            }
        }
    }
}
