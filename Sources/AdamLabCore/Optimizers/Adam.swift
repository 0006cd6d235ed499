// Adam and AdamW, under each convention: PyTorch's, Keras's, Optax's and the paper's operation order.

import CAdamKernel

/// Adam's named wrong versions (`variant=`), from the source material.
enum AdamVariant {
    case none, a1, uncorrectedMax
    init(_ name: String) { self = name == "a1" ? .a1 : name == "uncorrected-max" ? .uncorrectedMax : .none }
}

enum AdamRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { h.amsgrad ? [.m, .v, .vMax] : [.m, .v] }

    /// The bias corrections and the step size; αₜ (shown, never used by the update) only when `recording`.
    @inline(__always)
    static func constants(
        _ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>,
        recording: Bool
    ) {
        let bc1 = Optimizer<T>.biasCorrection(h.beta1, c.t, saturatedAt: &state.beta1SaturatedAt)
        let bc2 = Optimizer<T>.biasCorrection(h.beta2, c.t, saturatedAt: &state.beta2SaturatedAt)
        c.bc1 = T(bc1)
        c.bc2 = T(bc2)
        // torch.optim takes (1 − β₂ᵗ) ** 0.5 in Python, the fused kernel std::sqrt; pow is not always
        // correctly rounded, so they can differ by an ulp.
        c.bc2Sqrt = bc2 == 1 ? 1 : T(h.impl == .fused ? bc2.squareRoot() : Double.pow(bc2, 0.5))
        c.stepSize = T(h.lr / bc1)
        // Optax's Nesterov form looks ahead with the momentum corrected as at t + 1.
        if h.nesterov {
            c.bc1Next = T(Optimizer<T>.biasCorrection(h.beta1, c.t + 1, saturatedAt: &state.beta1SaturatedAt))
        }
        if recording { c.lrT = h.biasCorrection ? T(h.lr * bc2.squareRoot() / bc1) : T(h.lr) }
        // The named wrong versions' own step sizes: (A.1)'s lr/√(1 − β₂ᵗ), an uncorrected maximum's lr/(1 − β₁ᵗ).
        if recording, h.biasCorrection, h.variant == "a1" { c.lrT = T(h.lr / bc2.squareRoot()) }
        if recording, h.biasCorrection, h.variant == "uncorrected-max" { c.lrT = T(h.lr / bc1) }
        if !h.biasCorrection {
            c.bc1 = 1
            c.bc2 = 1
            c.bc2Sqrt = 1
        }
        if h.convention == .keras { c.alpha = T(h.lr * bc2.squareRoot() / bc1) }
    }

    @inline(__always)
    static func step<S: StepSink<T>>(
        _ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>,
        decoupled: Bool, _ sink: inout S
    ) {
        let lr = T(h.lr), b1 = T(h.beta1), b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let epsRoot = T(h.epsRoot)
        let convention = h.convention
        let variant = AdamVariant(h.variant)
        // The fused kernel runs whole vectors of coordinates in one loop and the rest one by one in
        // another; its chunks start at cache lines, so the one-by-one loop takes the last n mod lanes.
        let scalarFrom = fusedScalarStart(x.n, T.self, h)
        // AdamW's 1 − lr·λ, computed in double as Python does; the fused kernel's is one contracted multiply-add.
        let keep = h.impl == .fused ? T((1.0).addingProduct(-h.lr, h.weightDecay)) : T(1 - h.lr * h.weightDecay)
        // Keras decays every optimizer's weights apart from the gradient, θ − θ·λ·lr, before the step.
        let decays = decoupled || (convention == .keras && wd != 0)
        let theta = x.theta
        let m = x.slot(x.layout.m), v = x.slot(x.layout.v)
        let vMax = x.layout.vMax >= 0 ? x.slot(x.layout.vMax) : nil
        for i in x.range {
            let th0 = theta[i]
            var d = x.gradient(i)
            var th = th0
            if decays {
                switch convention {
                case .optax: break
                case .keras: th = th - th * wd * lr
                default: th = th * keep
                }
            } else {
                d = withL2(d, th, wd, fused: convention == .pytorch)
            }
            sink.vector(.g, i, d)
            var update: T
            var next: T
            switch convention {
            case .pytorch:
                m[i] = lerp(m[i], d, w1)
                // The fused kernel's one-by-one loop contracts v·β₂ + ((1 − β₂)·g)·g at its first
                // product; its vector loop, like the other paths' addcmul, at the second.
                v[i] =
                    i >= scalarFrom ? ((w2 * d) * d).addingProduct(v[i], b2) : torchSquareAverage(v[i], d, b2, w2)
                var second = v[i]
                if let vMax {
                    vMax[i] = Swift.max(vMax[i], v[i])
                    second = vMax[i]
                }
                update = (-c.stepSize * m[i]) / (second.squareRoot() / c.bc2Sqrt + eps)
                next = th + update
            case .keras:
                m[i] = m[i] + (d - m[i]) * w1
                v[i] = v[i] + (d * d - v[i]) * w2
                var second = v[i]
                if let vMax {
                    vMax[i] = Swift.max(vMax[i], v[i])
                    second = vMax[i]
                }
                update = -((m[i] * c.alpha) / (second.squareRoot() + eps))
                next = th + update
            case .optax:
                m[i] = w1 * d + b1 * m[i]
                v[i] = w2 * (d * d) + b2 * v[i]
                // Optax's bias correction is jitted, and XLA divides by multiplying with the reciprocal.
                var mHat = m[i] * (1 / c.bc1)
                // Nesterov (optax.adam(nesterov=True)): β₁·m/(1 − β₁ᵗ⁺¹) + (1 − β₁)·g/(1 − β₁ᵗ).
                if h.nesterov { mHat = b1 * (m[i] * (1 / c.bc1Next)) + w1 * (d * (1 / c.bc1)) }
                var vHat = v[i] * (1 / c.bc2)
                // optax.amsgrad keeps the maximum of the bias-corrected v̂, and divides by it as it is.
                if let vMax {
                    vMax[i] = Swift.max(vMax[i], vHat)
                    vHat = vMax[i]
                }
                let direction = mHat / ((vHat + epsRoot).squareRoot() + eps)
                update = -lr * (decoupled ? direction + wd * th0 : direction)
                next = th + update
                // The m̂ and v̂ Optax divides with, as it computes them.
                sink.vector(.mHat, i, mHat)
                sink.vector(.vHat, i, v[i] * (1 / c.bc2))
            case .paper:
                m[i] = b1 * m[i] + w1 * d
                v[i] = b2 * v[i] + w2 * (d * d)
                var second = v[i]
                if let vMax {
                    vMax[i] = Swift.max(vMax[i], v[i])
                    second = vMax[i]
                }
                // The named wrong versions: (A.1)'s m/(1 − β₂ᵗ); seed 000's AMSGrad dividing by v_max itself.
                let mHat = m[i] / (variant == .a1 ? c.bc2 : c.bc1)
                let vHat = variant == .uncorrectedMax ? second : second / c.bc2
                update = -(lr * mHat / ((vHat + epsRoot).squareRoot() + eps))
                next = th + update
                if variant == .a1 { sink.vector(.mHat, i, mHat) }
            }
            if convention != .optax, variant != .a1 {
                sink.vector(.mHat, i, m[i] / c.bc1)
            }
            if convention != .optax {
                sink.vector(.vHat, i, v[i] / c.bc2)
            }
            sink.vector(.update, i, decays ? next - th0 : update)
            theta[i] = next
        }
    }

    /// Whether `plainPaper` takes this step: the paper's Adam in double without weight decay, AMSGrad or
    /// `maximize`, not recording.
    @inline(__always)
    static func isPlainPaper<S: StepSink<T>>(_ h: Hyperparameters, _ layout: SlotLayout, _ sink: S.Type) -> Bool {
        T.self == Double.self && h.convention == .paper && layout.vMax < 0 && h.weightDecay == 0 && !h.maximize
            && h.variant == "none" && S.self == DiscardingSink<T>.self
    }

    /// The paper's Adam, the general loop's operations in its order, in C (vectorised).
    @inline(__always)
    static func plainPaper(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>) {
        func double(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
            UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
        }
        adamlab_adam_paper_f64(
            double(x.theta), double(x.g), double(x.slot(x.layout.m)), double(x.slot(x.layout.v)),
            x.range.lowerBound, x.range.upperBound, Double(T(h.beta1)), Double(T(1 - h.beta1)), Double(T(h.beta2)),
            Double(T(1 - h.beta2)), Double(c.bc1), Double(c.bc2), Double(T(h.lr)), Double(T(h.epsRoot)),
            Double(T(h.eps)))
    }

    /// Whether `plainPyTorch` takes this step: PyTorch's Adam without weight decay or AMSGrad, not recording.
    @inline(__always)
    static func isPlainPyTorch<S: StepSink<T>>(_ h: Hyperparameters, _ layout: SlotLayout, _ sink: S.Type) -> Bool {
        h.convention == .pytorch && h.impl != .fused && layout.vMax < 0 && h.weightDecay == 0 && !h.maximize
            && Swift.abs(T(1 - h.beta1)) < 0.5 && S.self == DiscardingSink<T>.self
    }

    /// The common case: the same operations in the same order as the general loop, in C where T is
    /// Double (Swift's SIMD square root is not lowered to packed code).
    @inline(__always)
    static func plainPyTorch(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>) {
        let b2 = T(h.beta2), eps = T(h.eps)
        let theta = x.theta, g = x.g
        let m = x.slot(x.layout.m), v = x.slot(x.layout.v)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2), negStep = -c.stepSize, bc2Sqrt = c.bc2Sqrt
        var i = x.range.lowerBound
        if T.self == Double.self {
            func double(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
                UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
            }
            adamlab_adam_pytorch_f64(
                double(theta), double(g), double(m), double(v), x.range.lowerBound,
                x.range.upperBound, Double(w1), Double(w2), Double(b2), Double(negStep),
                Double(bc2Sqrt), Double(eps))
            i = x.range.upperBound
        }
        while i < x.range.upperBound {
            let d = x.gradient(i)
            let mi = m[i].addingProduct(w1, d - m[i])
            let vi = torchSquareAverage(v[i], d, b2, w2)
            m[i] = mi
            v[i] = vi
            theta[i] = theta[i] + (negStep * mi) / (vi.squareRoot() / bc2Sqrt + eps)
            i += 1
        }
    }
}
