// NAdam: Adam with Nesterov momentum and a momentum schedule: PyTorch's μₜ = β₁(1 − ½·0.96^(t·ψ)), and
// Keras's μₜ = β₁(1 − ½·0.96ᵗ) with its own order of operations.

import RealModule

enum NAdamRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.m, .v] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>) {
        if h.convention == .keras { return kerasConstants(h, &c, &state) }
        let b1 = h.beta1, td = Double(c.t)
        let bc2 = Optimizer<T>.biasCorrection(h.beta2, c.t, saturatedAt: &state.beta2SaturatedAt)
        let mu = b1 * (1.0 - 0.5 * Double.pow(0.96, td * h.momentumDecay))
        let muNext = b1 * (1.0 - 0.5 * Double.pow(0.96, (td + 1) * h.momentumDecay))
        let product = state.muProduct.double * mu
        state.muProduct = T(product)
        let productNext = product * muNext
        c.bc2 = T(bc2)
        c.bc2Sqrt = T(Double.pow(bc2, 0.5))
        c.mu = T(mu)
        c.gradCoefficient = T(-h.lr * (1.0 - mu) / (1.0 - product))
        c.momentumCoefficient = T((-h.lr * muNext) / (1.0 - productNext))
        c.nesterovGradWeight = T((1.0 - mu) / (1.0 - product))
        c.nesterovMomentumWeight = T(muNext / (1.0 - productNext))
        c.lrT = T(h.lr)
    }

    /// keras.optimizers.Nadam: every scalar in the variable's type, the running product as Keras updates
    /// its variable ((∏·β₁)·(1 − ½·0.96ᵗ)), and μₜ, μₜ₊₁ as its update step computes them.
    @inline(__always)
    static func kerasConstants(_ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>) {
        let b1 = T(h.beta1), t = T(c.t)
        state.muProduct = state.muProduct * b1 * (1 - 0.5 * T.pow(0.96, t))
        let mu = b1 * (1 - 0.5 * T.pow(0.96, t))
        let muNext = b1 * (1 - 0.5 * T.pow(0.96, t + 1))
        c.mu = mu
        c.muNext = muNext
        c.gradCoefficient = 1 - mu
        c.productComplement = 1 - state.muProduct
        // XLA divides by 1 − ∏ₜ₊₁ and by 1 − β₂ᵗ by multiplying with the reciprocal (by 1 − ∏ₜ it divides),
        // as the reference runs show.
        c.productNextComplement = 1 / (1 - state.muProduct * muNext)
        c.bc2 = 1 - T.pow(T(h.beta2), t)
        c.lrT = T(h.lr)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        if h.convention == .keras { return kerasStep(x, h, c, &sink) }
        let b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let keep = T(1 - h.lr * h.weightDecay)
        let theta = x.theta
        let m = x.slot(x.layout.m), v = x.slot(x.layout.v)
        for i in x.range {
            let th0 = theta[i]
            var d = x.gradient(i)
            // torch's decoupled_weight_decay shrinks θ first; otherwise λθ joins the gradient.
            if h.decoupledWeightDecay, wd != 0 { theta[i] = th0 * keep } else { d = withL2(d, th0, wd) }
            sink.vector(.g, i, d)
            m[i] = lerp(m[i], d, w1)
            v[i] = torchSquareAverage(v[i], d, b2, w2)
            let vHat = v[i] / c.bc2
            // Single-tensor: √(v/bc₂) + ε; foreach: √v/√bc₂ + ε.
            let denom =
                h.impl == .foreach && h.convention == .pytorch
                ? v[i].squareRoot() / c.bc2Sqrt + eps : vHat.squareRoot() + eps
            sink.vector(.mHat, i, c.nesterovMomentumWeight * m[i] + c.nesterovGradWeight * d)
            sink.vector(.vHat, i, vHat)
            let th1 = theta[i] + (c.gradCoefficient * d) / denom
            let th2 = th1 + (c.momentumCoefficient * m[i]) / denom
            sink.vector(.update, i, th2 - th0)
            theta[i] = th2
        }
    }

    /// Keras's update: m and v as `m += (g − m)(1 − β₁)`, then m̂ = μₜ₊₁m/(1 − ∏ₜ₊₁) + (1 − μₜ)g/(1 − ∏ₜ).
    @inline(__always)
    static func kerasStep<S: StepSink<T>>(
        _ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S
    ) {
        let lr = T(h.lr), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let theta = x.theta
        let m = x.slot(x.layout.m), v = x.slot(x.layout.v)
        for i in x.range {
            let th0 = theta[i]
            // Keras decays the weights apart from the gradient, θ − θ·λ·lr, before the step.
            if wd != 0 { theta[i] = th0 - th0 * wd * lr }
            let d = x.gradient(i)
            sink.vector(.g, i, d)
            m[i] = m[i] + (d - m[i]) * w1
            v[i] = v[i] + (d * d - v[i]) * w2
            let momentumPart: T = (c.muNext * m[i]) * c.productNextComplement
            let gradientPart: T = (c.gradCoefficient * d) / c.productComplement
            let mHat = momentumPart + gradientPart
            let vHat = v[i] * (1 / c.bc2)
            sink.vector(.mHat, i, mHat)
            sink.vector(.vHat, i, vHat)
            let next = theta[i] - (mHat * lr) / (vHat.squareRoot() + eps)
            sink.vector(.update, i, next - th0)
            theta[i] = next
        }
    }
}
