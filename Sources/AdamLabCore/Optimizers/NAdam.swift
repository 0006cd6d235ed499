// NAdam: Adam with Nesterov momentum and PyTorch's momentum schedule μₜ = β₁(1 − ½·0.96^(t·ψ)).

import RealModule

enum NAdamRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.m, .v] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>) {
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

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let theta = x.theta, g = x.g
        let m = x.slot(x.layout.m), v = x.slot(x.layout.v)
        for i in x.range {
            let d = withL2(g[i], theta[i], wd)
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
            let th0 = theta[i]
            let th1 = th0 + (c.gradCoefficient * d) / denom
            let th2 = th1 + (c.momentumCoefficient * m[i]) / denom
            sink.vector(.update, i, th2 - th0)
            theta[i] = th2
        }
    }
}
