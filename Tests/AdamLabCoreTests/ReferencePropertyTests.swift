// Property tests of the reference computations over many seeded random cases.

import AdamLabCore
import Foundation
import Testing

@testable import AdamLabCore

@Suite("reference computations")
struct ReferencePropertyTests {
    @Test func movingAverageOfAConstantIsBiasedByExactlyOneMinusBetaToTheT() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<500 {
            let g = Double.random(in: -100...100, using: &rng)
            let beta = Double.random(in: 0.5..<0.9999, using: &rng)
            let t = Int.random(in: 1...300, using: &rng)
            let m = Reference.movingAverageOfConstant(g, beta: beta, t: t)
            let expected = Reference.biasCorrection(beta: beta, t: t) * g
            #expect(abs(m - expected) <= 1e-12 * abs(g) * Double(t), "g \(g) β \(beta) t \(t)")
            #expect(abs(m / Reference.biasCorrection(beta: beta, t: t) - g) <= 1e-9 * abs(g))
        }
    }

    @Test func firstBiasCorrectedMomentsAreTheGradientAndItsSquare() {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<500 {
            let g = Double.random(in: -1e3...1e3, using: &rng)
            let (mHat, vHat) = Reference.firstStepMoments(
                gradient: g, beta1: .random(in: 0...0.99, using: &rng), beta2: .random(in: 0.9...0.99999, using: &rng))
            #expect(abs(mHat - g) <= 4 * g.ulp)
            #expect(abs(vHat - g * g) <= 1e-12 * g * g)
        }
    }

    @Test func adamUpdateIsScaleInvariantUpToEpsilon() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let steps = Int.random(in: 1...20, using: &rng)
            let grads = (0..<steps).map { _ in (0..<3).map { _ in Double.random(in: -5...5, using: &rng) } }
            let c = Double.random(in: 0.01...1000, using: &rng)
            let exact = Reference.scaledUpdate(gradients: grads, scale: c, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 0)
            #expect(exact.relativeDifference < 1e-12, "ε = 0, c = \(c)")
            let withEps = Reference.scaledUpdate(
                gradients: grads, scale: c, lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8)
            // Scaling by c acts like ε/c: the change is at most about ε·|1 − 1/c| / √v̂.
            let smallestRoot = grads.flatMap { $0 }.map(abs).filter { $0 > 0 }.min() ?? 1
            #expect(withEps.relativeDifference < 1e-8 * abs(1 - 1 / c) / (smallestRoot * 0.1 * 0.03) + 1e-12)
        }
    }

    @Test func epsilonMattersOnlyForTinyGradients() {
        #expect(Reference.epsilonEffect(vHat: 1, eps: 1e-8) < 1.1e-8)
        #expect(Reference.epsilonEffect(vHat: 1e-16, eps: 1e-8) == 0.5)
    }

    @Test func infinityNormIsTheLimitOfLpNormsAndAdaMaxsU() throws {
        var rng = SplitMix64(seed: 4)
        for _ in 0..<200 {
            let t = Int.random(in: 1...30, using: &rng)
            let grads = (0..<t).map { _ in Double.random(in: -10...10, using: &rng) }
            let beta2 = Double.random(in: 0.9...0.9999, using: &rng)
            let u = Reference.infinityNorm(gradients: grads, beta2: beta2)
            // Not monotone in p (the (1 − β₂ᵖ)^{1/p} factor first grows), but it converges to u.
            let far = abs(Reference.lpNorm(gradients: grads, beta2: beta2, p: 1e5) - u)
            let farther = abs(Reference.lpNorm(gradients: grads, beta2: beta2, p: 1e6) - u)
            #expect(far <= 1e-3 * u + 1e-12)
            #expect(farther <= 1e-4 * u + 1e-12)
            #expect(abs(Reference.lpNorm(gradients: grads, beta2: beta2, p: 2) - u) > farther)
            // The paper's AdaMax recursion u ← max(β₂u, |g|) gives the same number.
            var spec = OptimizerSpec(kind: .adamax)
            spec.hyper.beta2 = beta2
            var opt = Optimizer<Double>(spec: spec, dimension: 1)
            var theta = [0.0]
            for g in grads { opt.step(theta: &theta, gradient: [g]) }
            #expect(abs(opt.state.vector(.u)![0] - u) <= 1e-12 * u)
        }
    }

    @Test func updatesRespectTheBounds() {
        var rng = SplitMix64(seed: 5)
        let lr = 0.01
        for _ in 0..<300 {
            let beta1 = Double.random(in: 0.5...0.95, using: &rng)
            let beta2 = Double.random(in: 0.99...0.99999, using: &rng)
            let t = Int.random(in: 1...40, using: &rng)
            var grads = (0..<t).map { _ in [Double.random(in: -3...3, using: &rng)] }
            let updates = Reference.adamUpdates(gradients: grads, lr: lr, beta1: beta1, beta2: beta2, eps: 1e-12)
            for (k, u) in updates.enumerated() {
                #expect(
                    abs(u[0]) <= Reference.provableUpdateBound(lr: lr, beta1: beta1, beta2: beta2, t: k + 1)
                        * (1 + 1e-12))
            }
            // The sparse case: zero gradients, then one. The step is the closed form, below the paper's bound.
            grads = Array(repeating: [0.0], count: t - 1) + [[Double.random(in: 0.1...3, using: &rng)]]
            let last = Reference.adamUpdates(gradients: grads, lr: lr, beta1: beta1, beta2: beta2, eps: 0).last![0]
            let closed = Reference.sparseCaseUpdate(lr: lr, beta1: beta1, beta2: beta2, t: t)
            #expect(abs(abs(last) - closed) <= 1e-12 * closed)
            if 1 - beta1 > (1 - beta2).squareRoot() {
                #expect(
                    Reference.sparseCaseUpdate(lr: lr, beta1: beta1, beta2: beta2, t: 100_000) <= Reference.updateBound(
                        lr: lr, beta1: beta1, beta2: beta2) * (1 + 1e-12))
            }
            // The typical case: a steady gradient moves each coordinate by about lr.
            let steady = Reference.adamUpdates(
                gradients: Array(repeating: [1.7], count: t), lr: lr, beta1: beta1, beta2: beta2, eps: 1e-8
            ).last![0]
            #expect(abs(abs(steady) - lr) < 1e-8 * lr + 1e-15)
        }
    }
}

@Suite("bias-correction powers")
struct SaturatedPowerTests {
    /// Skipping pow once βᵗ ≤ 2⁻⁵⁴ must give the very same 1 − βᵗ as calling it (the reference is libm pow,
    /// which is what PyTorch's `1 - beta ** step` calls).
    @Test(arguments: [0.9, 0.99, 0.999, 0.9999, 0.5, 0.0])
    func sameBitsAsPowEveryStep(_ beta: Double) {
        var saturatedAt = Int.max
        for t in 1...200_000 {
            let fast = 1 - Optimizer<Double>.power(beta, t, saturatedAt: &saturatedAt)
            let slow = 1 - Double.pow(beta, Double(t))
            if fast != slow {
                Issue.record("β \(beta) t \(t): \(fast) vs \(slow)")
                return
            }
        }
        if beta > 0 && beta <= 0.999 { #expect(saturatedAt < 200_000) }
    }
}
