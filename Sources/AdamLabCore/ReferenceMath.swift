// Closed-form facts about Adam that exercises check a learner against, each computed, not tabulated.

import RealModule

/// The reference computations behind the self-check exercises.
public enum Reference {
    /// The bias-correction factor 1 − βᵗ that divides mₜ (β = β₁) or vₜ (β = β₂).
    /// The one place it is written: the optimizers, `explain`, the answers and the misconceptions all
    /// take it from here.
    public static func biasCorrection(beta: Double, t: Int) -> Double { biasCorrection(beta: beta, t: Double(t)) }

    /// 1 − βᵗ for a step count held as a double.
    public static func biasCorrection(beta: Double, t: Double) -> Double { 1 - Double.pow(beta, t) }

    /// The exponential moving average m ← βm + (1−β)g started at 0, after `t` steps of the constant `g`.
    /// It equals (1 − βᵗ)·g: this is why dividing by 1 − βᵗ removes the bias towards 0.
    public static func movingAverageOfConstant(_ g: Double, beta: Double, t: Int) -> Double {
        var m = 0.0
        for _ in 0..<max(0, t) { m = beta * m + (1 - beta) * g }
        return m
    }

    /// m̂₁ and v̂₁ after one Adam step from zero state: exactly g₁ and g₁² up to rounding.
    public static func firstStepMoments(gradient g: Double, beta1: Double, beta2: Double) -> (
        mHat: Double, vHat: Double
    ) {
        let m = (1 - beta1) * g, v = (1 - beta2) * g * g
        return (m / biasCorrection(beta: beta1, t: 1), v / biasCorrection(beta: beta2, t: 1))
    }

    /// Runs Adam (paper convention) over `gradients` (one vector per step) and returns every Δθ.
    public static func adamUpdates(
        gradients: [[Double]], lr: Double, beta1: Double, beta2: Double, eps: Double,
        biasCorrection: Bool = true
    ) -> [[Double]] {
        guard let n = gradients.first?.count else { return [] }
        var spec = OptimizerSpec(kind: .adam)
        spec.hyper.lr = lr
        spec.hyper.beta1 = beta1
        spec.hyper.beta2 = beta2
        spec.hyper.eps = eps
        spec.hyper.biasCorrection = biasCorrection
        var optimizer = Optimizer<Double>(spec: spec, dimension: n)
        var theta = [Double](repeating: 0, count: n)
        return gradients.map { g in
            let record = optimizer.step(theta: theta, gradient: g, loss: nil)
            theta = record.vectors[.thetaNext]!
            return record.vectors[.update]!
        }
    }

    /// Scale invariance: the last Adam update for `gradients` and for `c·gradients`.
    /// With ε = 0 they are equal; with ε > 0 the scaled run behaves as if ε were ε/c.
    public static func scaledUpdate(
        gradients: [[Double]], scale c: Double, lr: Double, beta1: Double, beta2: Double,
        eps: Double
    ) -> (unscaled: [Double], scaled: [Double], relativeDifference: Double) {
        let a = adamUpdates(gradients: gradients, lr: lr, beta1: beta1, beta2: beta2, eps: eps).last ?? []
        let b =
            adamUpdates(gradients: gradients.map { $0.map { $0 * c } }, lr: lr, beta1: beta1, beta2: beta2, eps: eps)
            .last ?? []
        var worst = 0.0
        for (x, y) in zip(a, b) where x != 0 { worst = max(worst, abs(y - x) / abs(x)) }
        return (a, b, worst)
    }

    /// Scale invariance for any optimizer: the last update of `spec` replayed from `start` over
    /// `gradients` as they are and with every one multiplied by `c`. Adaptive optimizers divide c out
    /// (up to ε); SGD and momentum do not.
    public static func scaledUpdate(
        spec: OptimizerSpec, start: [Double], gradients: [[Double]], scale c: Double
    ) -> (unscaled: [Double], scaled: [Double]) {
        // In the spec's own precision: the scaled gradients are rounded as the run would round them.
        func last<T: Scalar>(_ scale: Double, _: T.Type) -> [Double] {
            var optimizer = Optimizer<T>(spec: spec, dimension: start.count)
            var theta = start.map { T($0) }
            var update: [T] = []
            for g in gradients {
                let record = optimizer.step(theta: theta, gradient: g.map { T($0 * scale) }, loss: nil)
                theta = record.vectors[.thetaNext] ?? theta
                update = record.vectors[.update] ?? []
            }
            return update.map(\.double)
        }
        switch spec.hyper.dtype {
        case .float64: return (last(1, Double.self), last(c, Double.self))
        case .float32: return (last(1, Float.self), last(c, Float.self))
        }
    }

    /// Whether an optimizer divides by a root of squared gradients, so that scaling every gradient by c
    /// leaves its step (nearly) unchanged.
    public static func isScaleInvariant(_ kind: OptimizerKind) -> Bool {
        ![.sgd, .momentum, .nesterov].contains(kind)
    }

    /// How much ε changes an update whose bias-corrected moments are m̂, v̂: the relative difference
    /// between lr·m̂/(√v̂ + ε) and lr·m̂/√v̂, which is ε / (√v̂ + ε).
    public static func epsilonEffect(vHat: Double, eps: Double) -> Double {
        eps / (vHat.squareRoot() + eps)
    }

    /// The Lp generalisation of Adam's second moment: ((1 − β₂ᵖ) Σᵢ β₂^{p(t−i)} |gᵢ|ᵖ)^{1/p}, bias uncorrected,
    /// computed with the largest term factored out so that large p does not overflow.
    public static func lpNorm(gradients: [Double], beta2: Double, p: Double) -> Double {
        let t = gradients.count
        let terms = gradients.enumerated().map { i, g in Double.pow(beta2, Double(t - 1 - i)) * abs(g) }
        guard let top = terms.max(), top > 0 else { return 0 }
        var sum = 0.0
        for x in terms { sum += Double.pow(x / top, p) }
        return top * Double.pow((1 - Double.pow(beta2, p)) * sum, 1 / p)
    }

    /// AdaMax's uₜ as the p → ∞ limit of `lpNorm`: max(β₂^{t−1}|g₁|, …, β₂|gₜ₋₁|, |gₜ|), with `eps` added
    /// to each |gᵢ| where the library adds it inside the max (torch, Optax).
    public static func infinityNorm(gradients: [Double], beta2: Double, eps: Double = 0) -> Double {
        let t = gradients.count
        return gradients.enumerated().map { i, g in Double.pow(beta2, Double(t - 1 - i)) * (abs(g) + eps) }.max() ?? 0
    }

    /// The paper's bound on one coordinate's step: lr·(1−β₁)/√(1−β₂) when 1−β₁ > √(1−β₂), else lr.
    public static func updateBound(lr: Double, beta1: Double, beta2: Double) -> Double {
        let a = 1 - beta1, b = (1 - beta2).squareRoot()
        return a > b ? lr * a / b : lr
    }

    /// The step Adam takes at step t when every earlier gradient was 0 (the sparse case the paper's bound
    /// describes): lr·(1−β₁)/√(1−β₂)·√(1−β₂ᵗ)/(1−β₁ᵗ), ignoring ε. It tends to the bound's first case as t grows.
    public static func sparseCaseUpdate(lr: Double, beta1: Double, beta2: Double, t: Int) -> Double {
        lr * (1 - beta1) / (1 - beta2).squareRoot() * biasCorrection(beta: beta2, t: t).squareRoot()
            / biasCorrection(beta: beta1, t: t)
    }

    /// A bound that holds for every gradient sequence (Cauchy–Schwarz, needs β₁² < β₂):
    /// |Δθ| ≤ lr·(1−β₁)/√(1−β₂)·√(1−β₂ᵗ)/(1−β₁ᵗ)·1/√(1 − β₁²/β₂).
    public static func provableUpdateBound(lr: Double, beta1: Double, beta2: Double, t: Int) -> Double {
        sparseCaseUpdate(lr: lr, beta1: beta1, beta2: beta2, t: t) / (1 - beta1 * beta1 / beta2).squareRoot()
    }
}
