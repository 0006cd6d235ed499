// AdaBelief: Adam whose second moment is the variance of g around m, with decoupled weight decay.

enum AdaBeliefRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.m, .s] }

    @inline(__always)
    static func constants(
        _ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>,
        recording: Bool
    ) {
        let bc1 = Optimizer<T>.biasCorrection(h.beta1, c.t, saturatedAt: &state.beta1SaturatedAt)
        let bc2 = Optimizer<T>.biasCorrection(h.beta2, c.t, saturatedAt: &state.beta2SaturatedAt)
        c.bc1 = T(bc1)
        c.bc2 = T(bc2)
        c.bc2Sqrt = T(bc2.squareRoot())
        c.stepSize = T(h.lr / bc1)
        if recording { c.lrT = T(h.lr * bc2.squareRoot() / bc1) }
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let theta = x.theta, g = x.g
        let m = x.slot(x.layout.m), s = x.slot(x.layout.s)
        for i in x.range {
            if wd != 0 { theta[i] = theta[i] * (1 - lr * wd) }
            let d = g[i]
            sink.vector(.g, i, d)
            m[i] = lerp(m[i], d, w1)
            let r = d - m[i]
            s[i] = torchSquareAverage(s[i], r, b2, w2) + eps
            sink.vector(.mHat, i, m[i] / c.bc1)
            sink.vector(.vHat, i, s[i] / c.bc2)
            let update = (-c.stepSize * m[i]) / (s[i].squareRoot() / c.bc2Sqrt + eps)
            sink.vector(.update, i, update)
            theta[i] = theta[i] + update
        }
    }
}
