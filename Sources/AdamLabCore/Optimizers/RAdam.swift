// RAdam: Adam whose adaptive step is switched on, and rectified, once the variance estimate is tractable.

import RealModule

enum RAdamRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { [.m, .v] }

    @inline(__always)
    static func constants(_ h: Hyperparameters, _ c: inout StepConstants<T>, recording: Bool) {
        let b1 = h.beta1, b2 = h.beta2, td = Double(c.t)
        let bc1 = Reference.biasCorrection(beta: b1, t: td)
        let bc2 = Reference.biasCorrection(beta: b2, t: td)
        let rhoInf = 2 / (1 - b2) - 1
        let rhoT = rhoInf - 2 * td * Double.pow(b2, td) / bc2
        c.bc1 = T(bc1)
        c.bc2 = T(bc2)
        let bc2Sqrt = Double.pow(bc2, 0.5)
        c.bc2Sqrt = bc2 == 1 ? 1 : T(bc2Sqrt)
        c.rho = T(rhoT)
        var r = 0.0
        if rhoT > h.threshold {
            r = Double.pow((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT), 0.5)
            c.rect = T(r)
            if recording { c.lrT = T(h.lr * r * bc2.squareRoot() / bc1) }
        } else {
            c.lrT = T(h.lr / bc1)
        }
        // torch's _multi_tensor_radam, in its own order.
        c.unrectifiedStep = T((h.lr * (r > 0 ? 0 : 1) / bc1) * -1)
        c.rectifiedScale = T((bc2Sqrt * (h.lr * r / bc1)) * -1)
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let lr = T(h.lr), b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
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
            let mHat = m[i] / c.bc1
            sink.vector(.mHat, i, mHat)
            sink.vector(.vHat, i, v[i] / c.bc2)
            let update: T
            if h.impl == .foreach && h.convention == .pytorch {
                // (√v + ε) / scale, its reciprocal, plus the unrectified step; then θ + m·that, one fused
                // multiply-add as torch's addcmul kernel does it.
                let buffer = 1 / ((v[i].squareRoot() + eps) / c.rectifiedScale) + c.unrectifiedStep
                let next = theta[i].addingProduct(m[i], buffer)
                sink.vector(.update, i, next - th0)
                theta[i] = next
                continue
            }
            if let rect = c.rect {
                // torch divides the Python float √(1 − β₂ᵗ) by the tensor √v + ε, which it computes as
                // the tensor's reciprocal times the float: two roundings.
                let adaptive = (1 / (v[i].squareRoot() + eps)) * c.bc2Sqrt
                update = -(mHat * lr * adaptive * rect)
            } else {
                update = -(mHat * lr)
            }
            let next = theta[i] + update
            sink.vector(.update, i, h.decoupledWeightDecay && wd != 0 ? next - th0 : update)
            theta[i] = next
        }
    }
}
