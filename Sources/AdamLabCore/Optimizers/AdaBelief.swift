// AdaBelief (pytorch_optimizer's): Adam whose second moment is the variance of g around m, with its
// weight decay (decoupled by default, or fixed, or L2), RAdam's rectification and AMSGrad's bound.

import RealModule

enum AdaBeliefRule<T: Scalar> {
    static func slots(_ h: Hyperparameters) -> [Quantity] { h.amsBound ? [.m, .s, .sMax] : [.m, .s] }

    /// The threshold on ρₜ from which the rectified step is taken (pytorch_optimizer's `n_sma_threshold`).
    static var rectifyThreshold: Double { 5 }

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
        guard h.rectify else { return }
        // As pytorch_optimizer computes them, in Python floats and in its order: ρ∞, ρₜ, and the step
        // size lr·rₜ/(1 − β₁ᵗ), where rₜ carries √(1 − β₂ᵗ) and is 1 (momentum SGD) below the threshold.
        let rhoInf = 2.0 / (1.0 - h.beta2) - 1.0
        let beta2T = Double.pow(h.beta2, Double(c.t))
        let rhoT = rhoInf - 2 * Double(c.t) * beta2T / (1.0 - beta2T)
        c.rho = T(rhoT)
        var r = 1.0
        if rhoT >= rectifyThreshold {
            r = ((1.0 - beta2T) * (rhoT - 4) / (rhoInf - 4) * (rhoT - 2) / rhoT * rhoInf / (rhoInf - 2)).squareRoot()
            c.rect = T(r)
        }
        c.stepSize = T(h.lr * r / bc1)
        if recording { c.lrT = c.stepSize }
    }

    @inline(__always)
    static func step<S: StepSink<T>>(_ x: Coordinates<T>, _ h: Hyperparameters, _ c: StepConstants<T>, _ sink: inout S)
    {
        let b2 = T(h.beta2), eps = T(h.eps), wd = T(h.weightDecay)
        let w1 = T(1 - h.beta1), w2 = T(1 - h.beta2)
        let keep = T(1.0 - h.weightDecay * (h.fixedDecay ? 1.0 : h.lr))
        let decouple = h.weightDecouple && wd != 0
        let theta = x.theta
        let m = x.slot(x.layout.m), s = x.slot(x.layout.s)
        let sMax = x.layout.sMax >= 0 ? x.slot(x.layout.sMax) : nil
        let epsInRoot = h.variant == "eps-in-root"
        for i in x.range {
            let th0 = theta[i]
            var d = x.gradient(i)
            if decouple { theta[i] = th0 * keep } else { d = withL2(d, th0, wd) }
            sink.vector(.g, i, d)
            m[i] = lerp(m[i], d, w1)
            let r = d - m[i]
            // Seed 000's version adds no ε to s and takes it once, inside the root: √(ŝ + ε).
            s[i] = epsInRoot ? torchSquareAverage(s[i], r, b2, w2) : torchSquareAverage(s[i], r, b2, w2) + eps
            var second = s[i]
            if let sMax {
                sMax[i] = Swift.max(sMax[i], s[i])
                second = sMax[i]
            }
            sink.vector(.mHat, i, m[i] / c.bc1)
            sink.vector(.vHat, i, s[i] / c.bc2)
            var update: T, next: T
            if epsInRoot {
                update = (-c.stepSize * m[i]) / (second / c.bc2 + eps).squareRoot()
                next = theta[i] + update
            } else if !h.rectify || c.rect != nil {
                // Without rectification the denominator is corrected, √s/√(1 − β₂ᵗ) + ε; rₜ carries that.
                let root = h.rectify ? second.squareRoot() : second.squareRoot() / c.bc2Sqrt
                update = (-c.stepSize * m[i]) / (root + eps)
                next = theta[i] + update
            } else {
                // Below the threshold: momentum SGD, `p.add_(m, alpha: −step)`, one fused multiply-add.
                next = theta[i].addingProduct(-c.stepSize, m[i])
                update = next - theta[i]
            }
            sink.vector(.update, i, decouple ? next - th0 : update)
            theta[i] = next
        }
    }
}
