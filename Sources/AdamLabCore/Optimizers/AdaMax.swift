// AdaMax: Adam with the infinity norm, u = max(β₂·u, |g|), under each convention.

enum AdaMaxRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.m, .u] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>, _ state: inout OptimizerState<T>) {
        let bc1 = Optimizer<T>.biasCorrection(h.beta1, c.t, saturatedAt: &state.beta1SaturatedAt)
        c.bc1 = T(bc1)
        c.stepSize = T(h.lr / bc1)
        c.lrT = c.stepSize
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), b1 = T(h.beta1), b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1)
        let convention = h.convention
        let theta = x.theta
        let m = x.slot(x.layout.m), u = x.slot(x.layout.u)
        // Keras decays the weights apart from the gradient, θ − θ·λ·lr, before the step.
        let kerasDecay = convention == .keras && wd != 0
        for i in x.range {
            let th0 = theta[i]
            if kerasDecay { theta[i] = th0 - th0 * wd * lr }
            let d = kerasDecay ? x.gradient(i) : withL2(x.gradient(i), th0, wd, fused: convention == .pytorch)
            sink.vector(.g, i, d)
            var update: T
            switch convention {
            case .pytorch:
                m[i] = lerp(m[i], d, w1)
                u[i] = Swift.max(u[i] * b2, abs(d) + eps)
                update = (-c.stepSize * m[i]) / u[i]
            case .optax:
                m[i] = w1 * d + b1 * m[i]
                u[i] = Swift.max(b2 * u[i], abs(d) + eps)
                // Optax's bias correction is jitted, and XLA divides by multiplying with the reciprocal.
                update = -lr * ((m[i] * (1 / c.bc1)) / u[i])
            case .keras:
                m[i] = m[i] + (d - m[i]) * w1
                u[i] = Swift.max(b2 * u[i], abs(d))
                update = -((lr * m[i]) / (c.bc1 * (u[i] + eps)))
            case .paper:
                m[i] = b1 * m[i] + w1 * d
                u[i] = Swift.max(b2 * u[i], abs(d))
                // u = 0 only while every gradient so far was 0, and then m = 0 too: no move.
                update = u[i] == 0 ? 0 : -c.stepSize * (m[i] / u[i])
            }
            sink.vector(.mHat, i, m[i] / c.bc1)
            let next = theta[i] + update
            sink.vector(.update, i, kerasDecay ? next - th0 : update)
            theta[i] = next
        }
    }
}
