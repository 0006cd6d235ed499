// The one answer language and grader: `check`, `explain` and `predict` on every reference
// computation, and each misconception recognised by value.

import AdamLabCore
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabLessons
@testable import AdamLabREPL
@testable import AdamLabRender

/// x² + y² from (3, 4): the objective every case below starts from.
let circle = ["objective f(x,y) = x^2 + y^2", "start 3,4"]

@Suite("answers")
struct AnswerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let use: String, steps: Int, expression: String, typed: String, mistake: Misconception
        /// A question's own tolerance (float32 answers are otherwise graded to float32's rounding).
        var tolerance: Double? = nil
        /// Another objective than the circle's, from the same start.
        var objective: String? = nil
        var testDescription: String { "\(use), \(steps) steps: \(expression) \(typed)" }
        var setup: [String] {
            (objective.map { ["objective " + $0, "start 3,4"] } ?? circle) + ["use " + use, "step \(steps)"]
        }
    }

    /// Every wrong value below was computed by hand from the paper's (or PyTorch's) formulas in Python,
    /// 12 significant digits, independently of adamlab; each is the value the named mistake gives. All
    /// start from x² + y² at (3, 4).
    static let cases: [Case] = [
        // Newton on the circle: g = (6, 8), H = 2I, d = −(3, 4); steepest descent −g, multiplied −H·g = −(12, 16).
        Case(use: "newton", steps: 1, expression: "d", typed: "-6,-8", mistake: .steepestForNewton),
        Case(use: "newton", steps: 1, expression: "d", typed: "-12,-16", mistake: .multipliedNotSolved),
        // The turned bowl 50.5x² + 99xy + 50.5y² at (3, 4): g = (699, 701), H = [[101, 99], [99, 101]];
        // d = −(3, 4); H's diagonal alone gives −699/101 = −6.920792 and −701/101 = −6.940594.
        Case(
            use: "newton", steps: 1, expression: "d", typed: "-6.92079,-6.94059", mistake: .diagonalOnly,
            objective: "f(x,y) = 50.5*x^2 + 99*x*y + 50.5*y^2"),
        // L-BFGS's first τ on the circle, g = (6, 8): min(1, 1/14)·lr = 0.0714286; lr itself, or 1/‖g‖₂ = 0.1.
        Case(use: "lbfgs max_iter=1", steps: 1, expression: "step_length", typed: "1", mistake: .firstStepIsLR),
        Case(use: "lbfgs max_iter=1", steps: 1, expression: "step_length", typed: "0.1", mistake: .firstStepL2),
        // x² + 5y² from (3, 4): after τ₁ = 1/46, one pair with γ = sᵀy/yᵀy; the second direction by the
        // two-loop recursion is (−0.968479, −3.18747), −γg alone (−0.575977, −3.14169).
        Case(
            use: "lbfgs max_iter=1", steps: 2, expression: "d", typed: "-0.575977,-3.14169",
            mistake: .initialScaleOnly, objective: "quadratic c=1,5"),
        // (A.1) on the circle, lr 0.1: Adam's own first step −0.1·6/(6 + 1e-8) = −0.0999999998.
        Case(use: "adam lr=0.1 variant=a1", steps: 1, expression: "update[0]", typed: "-0.1", mistake: .a1AsAdam),
        // Adam lr=0.1, two steps: m₂ = (1.12, 1.5), m̂₂ = (5.89474, 7.89474); αₜ = 0.0235317.
        Case(use: "adam lr=0.1", steps: 2, expression: "m_hat", typed: "1.12,1.5", mistake: .forgotBiasCorrection),
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.00105211", mistake: .alphaWithoutRoot),
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.1", mistake: .alphaIsLearningRate),
        // An average started at the first value, at step 2: Adam's m₂x = 0.9·6 + 0.1·5.8 = 5.98 (the right
        // m₂x is 1.12); RMSprop (lr 0.01, α 0.99) E[g²]₂x = 0.99·36 + 0.01·5.8² = 35.9764 (the right 0.6928:
        // θ₁x = 3 − 0.01·6/(0.6 + 1e-8) ≈ 2.9).
        Case(use: "adam lr=0.1", steps: 2, expression: "m[0]", typed: "5.98", mistake: .averageFromFirst),
        Case(
            use: "rmsprop lr=0.01", steps: 2, expression: "square_avg[0]", typed: "35.9764", mistake: .averageFromFirst),
        // Only one correction: lr/(1 − β₁²) = 0.1/0.19 = 0.526316, or lr·√(1 − β₂²) = 0.1·√0.001999 = 0.00447102.
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.526316", mistake: .alphaOneCorrection),
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.00447102", mistake: .alphaOneCorrection),
        // The bound lr·(1 − β₁)/√(1 − β₂) = 0.316228; without the root, 0.1·0.1/0.001 = 10.
        Case(use: "adam lr=0.1", steps: 1, expression: "update_bound", typed: "10", mistake: .forgotSquareRoot),
        // A bound is a size, and 0.1 = lr is the paper's other case (here 1 − β₁ = 0.1 > √(1 − β₂) = 0.0316).
        Case(use: "adam lr=0.1", steps: 1, expression: "update_bound", typed: "-0.316228", mistake: .boundIsASize),
        Case(use: "adam lr=0.1", steps: 1, expression: "update_bound", typed: "0.1", mistake: .boundOtherCase),
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "21.8054", mistake: .alphaSwappedBetas),
        // E[m₂] = 0.19·g₂ = (1.102, 1.482); g₂ = (5.8, 7.8).
        Case(use: "adam lr=0.1", steps: 2, expression: "expected_m", typed: "5.8,7.8", mistake: .expectedMIsG),
        Case(use: "adam lr=0.1", steps: 2, expression: "expected_m", typed: "0.58,0.78", mistake: .expectedMIsOneStep),
        Case(use: "adam lr=0.1", steps: 2, expression: "expected_m[1]", typed: "6.318", mistake: .forgotOneMinus),
        Case(
            use: "adam lr=0.1", steps: 2, expression: "bias_correction(beta1)", typed: "0.81", mistake: .forgotOneMinus),
        // Adam lr=0.1, three steps (seed 004's numbers): m̂₃[0] = 5.78605, v̂₃[1] = 60.8653, Δθ₃[0] = −0.0997212.
        Case(use: "adam lr=0.1", steps: 3, expression: "m_hat[0]", typed: "8.25273969217", mistake: .exponentTMinusOne),
        Case(use: "adam lr=0.1", steps: 3, expression: "m_hat[0]", typed: "523.196535975", mistake: .swappedBetas),
        Case(
            use: "adam lr=0.1", steps: 3, expression: "v_hat[1]", typed: "43.0775253182",
            mistake: .squaredMomentNotGradient),
        Case(
            use: "adam lr=0.1", steps: 3, expression: "update[0]", typed: "-0.997211839640",
            mistake: .forgotLearningRate),
        Case(use: "adam lr=0.1", steps: 3, expression: "update[0]", typed: "0.0997211839640", mistake: .wrongSign),
        Case(use: "adam lr=0.1", steps: 3, expression: "update[0]", typed: "-0.0270244408543", mistake: .usedMNotMHat),
        Case(
            use: "adam lr=0.1", steps: 3, expression: "update[0]", typed: "-0.0965181360818",
            mistake: .usedGradientNotMoment),
        Case(use: "adam lr=0.1", steps: 3, expression: "m[0]", typed: "0.560020541483", mistake: .forgotPreviousState),
        // bias_correction=off, two steps: m̂₂ is m₂ = (1.07675, 1.45675), not m₂/0.19 = (5.66713, 7.66713).
        Case(
            use: "adam lr=0.1 bias_correction=off", steps: 2, expression: "m_hat", typed: "5.66713,7.66713",
            mistake: .addedBiasCorrection),
        // Scale invariance, lr=0.1: the update with every g × 100 is the update itself, not 100 times it.
        Case(
            use: "adam lr=0.1", steps: 2, expression: "scaled_update(100)", typed: "-9.98973,-9.9926",
            mistake: .updateScalesWithGradient),
        // SGD lr=0.01, two steps: Δθ₂ = −0.01·g₂ = (−0.0588, −0.0784); with every g × 100, 100 times that.
        Case(
            use: "sgd lr=0.01", steps: 2, expression: "scaled_update(100)", typed: "-0.0588,-0.0784",
            mistake: .sgdScaleInvariant),
        // With ε = 1 it shows: every g × 0.01 gives (−0.00557974, −0.00732677); the unscaled (−0.0854648, −0.0887210).
        Case(
            use: "adam lr=0.1 eps=1", steps: 2, expression: "scaled_update(0.01)", typed: "-0.0854648,-0.0887210",
            mistake: .epsilonScaledToo),
        // AdaMax β₂ = 0.5, three steps: u₃ = |g₃| = (5.59673, 7.59757).
        Case(
            use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "u", typed: "8.49673,11.4976",
            mistake: .adamaxSumNotMax),
        Case(
            use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "u", typed: "17.3967,23.3976",
            mistake: .adamaxSumNotMax),
        Case(use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "u", typed: "5.8,7.8", mistake: .adamaxNotDecayed),
        Case(
            use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "u", typed: "6.39627,8.68294",
            mistake: .adamaxBiasCorrectedU),
        Case(
            use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "infinity_norm", typed: "6.00,8.00",
            mistake: .adamaxNotDecayed),
        Case(
            use: "adamax lr=0.1 beta2=0.5", steps: 3, expression: "update", typed: "-0.0280105,-0.0277688",
            mistake: .forgotBiasCorrection),
        // Keras's AdaMax has ε in the denominator, not in u: with ε = 1, u₁ = |g₁| = (6, 8), not (7, 9).
        Case(
            use: "adamax lr=0.1 convention=keras eps=1", steps: 1, expression: "u", typed: "7,9",
            mistake: .epsilonMisplaced),
        // AdaMax, default β₂, three steps: the L8 moment is (3.64344, 4.89372), u₃ = (5.98801, 7.98401).
        Case(
            use: "adamax lr=0.1", steps: 3, expression: "lp_norm(8)", typed: "5.98801,7.98401", mistake: .lpNormIsTheMax
        ),
        // AdamW lr=0.1 λ=0.1 (paper form), two steps: Δθ₂ = (−0.128560, −0.138491).
        Case(
            use: "adamw lr=0.1 weight_decay=0.1", steps: 2, expression: "update", typed: "-0.100011,-0.100032",
            mistake: .adamwAsL2),
        Case(
            use: "adamw lr=0.1 weight_decay=0.1", steps: 2, expression: "update", typed: "-0.386860,-0.485891",
            mistake: .decayWithoutLearningRate),
        // RMSprop lr=0.01 ε=1, one step: Δθ₁ = (−0.0375, −0.0444444).
        Case(
            use: "rmsprop lr=0.01 eps=1", steps: 1, expression: "update", typed: "-0.0514496,-0.0624695",
            mistake: .epsilonInsideRoot),
        // Momentum μ = 0.9, lr = 0.01, two steps: buf₂ = (11.28, 15.04).
        Case(use: "momentum lr=0.01", steps: 2, expression: "buf", typed: "5.988,7.984", mistake: .momentumAsAverage),
        // Dampening 0.5: buf₂ = 0.9·g₁ + 0.5·g₂ = (8.34, 11.12), not 0.9·g₁ + g₂ = (11.28, 15.04).
        Case(
            use: "sgd lr=0.01 momentum=0.9 dampening=0.5", steps: 2, expression: "buf", typed: "11.28,15.04",
            mistake: .forgotDampening),
        // Nesterov, two steps: Δθ₂ = (−0.158268, −0.211024); heavy ball would step −lr·buf.
        Case(
            use: "nesterov lr=0.01", steps: 2, expression: "update", typed: "-0.11172,-0.14896",
            mistake: .forgotLookAhead),
        // NAdam lr=0.1, two steps: Δθ₂ = (−0.0771120, −0.0774326); Adam's from the same m, v.
        Case(
            use: "nadam lr=0.1", steps: 2, expression: "update", typed: "-0.0998905,-0.0999213", mistake: .nadamAsAdam),
        // SGD lr=0.1, one step: g₁ = (6, 8), Δθ₁ = (−0.6, −0.8), θ₁ = (2.4, 3.2).
        Case(use: "sgd lr=0.1", steps: 1, expression: "update", typed: "-0.3,-0.4", mistake: .halfGradient),
        Case(use: "sgd lr=0.1", steps: 1, expression: "g[1]", typed: "4", mistake: .halfGradient),
        Case(use: "sgd lr=0.1", steps: 1, expression: "theta_next", typed: "3.6,4.8", mistake: .wrongSign),
        Case(use: "sgd lr=0.1", steps: 1, expression: "theta_next[0]", typed: "-3", mistake: .forgotLearningRate),
        Case(use: "sgd lr=0.1", steps: 1, expression: "update[1]", typed: "-8", mistake: .forgotLearningRate),
        // RMSprop lr=0.01, two steps: g₂ = (5.8, 7.8), square_avg₂ = (0.6928, 1.242); AdaGrad's sum 34.0, 61.48.
        Case(
            use: "rmsprop lr=0.01", steps: 2, expression: "square_avg", typed: "34.0000000387,61.480000039",
            mistake: .rmspropNoForgetting),
        Case(
            use: "rmsprop lr=0.01", steps: 2, expression: "square_avg[0]", typed: "0.3364",
            mistake: .forgotPreviousState),
        // Adagrad lr=0.1, two steps: Δθ₂ = (−0.0695022, −0.0698100); this g alone gives −lr.
        Case(
            use: "adagrad lr=0.1", steps: 2, expression: "update", typed: "-0.1,-0.1", mistake: .adagradThisGradientOnly
        ),
        // Keras Adam lr=0.1, ε = 0.1, two steps: Δθ₂ = (−0.0725826, −0.0779574); the paper's (−0.0982804, −0.0987039).
        Case(
            use: "adam lr=0.1 eps=0.1 convention=keras", steps: 2, expression: "update", typed: "-0.0982804,-0.0987039",
            mistake: .kerasEpsilonAsPaper),
        // θ₁ = (2.4, 3.2) for SGD lr=0.1: the step itself, and θ₀.
        Case(use: "sgd lr=0.1", steps: 1, expression: "theta_next", typed: "-0.6,-0.8", mistake: .stepForPosition),
        Case(use: "sgd lr=0.1", steps: 1, expression: "theta_next", typed: "3,4", mistake: .positionBeforeStep),
        // α₂ = 0.1·√0.001999/0.19 = 0.0235317; upside down 0.1·0.19/√0.001999 = 0.424959; α₁ = 0.0316228.
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.424959", mistake: .alphaInverted),
        Case(use: "adam lr=0.1", steps: 2, expression: "lr_t", typed: "0.0316228", mistake: .exponentTMinusOne),
        // Adam's first step is −lr per coordinate; gradient descent's −lr·g = (−0.6, −0.8).
        Case(use: "adam lr=0.1", steps: 1, expression: "update", typed: "-0.6,-0.8", mistake: .gradientDescentStep),
        // ε = 0.1: Δθ₁ = −0.1·6/6.1 = −0.0983607; without ε exactly −0.1 (nearer than ε inside the root, −0.0998614).
        Case(use: "adam lr=0.1 eps=0.1", steps: 1, expression: "update", typed: "-0.1,-0.1", mistake: .epsilonLeftOut),
        // Adam lr=0.1, one step: v̂₁ = (36, 64); x's value for y's, and the root of y's.
        Case(use: "adam lr=0.1", steps: 1, expression: "v_hat[1]", typed: "36", mistake: .otherCoordinate),
        Case(use: "adam lr=0.1", steps: 1, expression: "v_hat[1]", typed: "8", mistake: .rootOfTheMoment),
        // SGD's step asked, θ₁ = (2.4, 3.2) given.
        Case(use: "sgd lr=0.1", steps: 1, expression: "update", typed: "2.4,3.2", mistake: .positionForStep),
        // Momentum, two steps: g₂ = (5.88, 7.84), so the limit g/(1 − μ) is (58.8, 78.4); an average from 0
        // all along gives 0.9·0.1·6 + 0.1·5.88 = 1.128 for x.
        Case(use: "momentum lr=0.01", steps: 2, expression: "buf", typed: "58.8,78.4", mistake: .bufferAtItsLimit),
        Case(use: "momentum lr=0.01", steps: 2, expression: "buf[0]", typed: "1.128", mistake: .momentumAsAverage),
        // AdaDelta, one step: E[g²]₁ = (3.6, 6.4); RMSprop's −g/√(E[g²] + ε) = (−3.16228, −3.16228); without ε
        // in the numerator, √0 = 0.
        Case(use: "adadelta", steps: 1, expression: "update", typed: "-3.16228,-3.16228", mistake: .adadeltaAsRMSprop),
        Case(use: "adadelta", steps: 1, expression: "update", typed: "0,0", mistake: .epsilonLeftOut),
        // Optax, ε = 0, ε_root = 1: −0.1·6/√37 = −0.0986394; ε_root after the root: −0.1·6/7, −0.1·8/9.
        Case(
            use: "adam lr=0.1 eps=0 eps_root=1 convention=optax", steps: 1, expression: "update",
            typed: "-0.0857143,-0.0888889", mistake: .epsRootOutside),
        // E[m₃] = 0.271·g₃ with g₃ = (5.60020541483, 7.60014799016) from the run; (1 − 0.9²)·g₃ by hand.
        Case(
            use: "adam lr=0.1", steps: 3, expression: "expected_m", typed: "1.06404,1.44403",
            mistake: .exponentTMinusOne),
        // Adam two steps, every g × 100 without the root: Δθ₂/100 = (−0.000998973, −0.00099926).
        Case(
            use: "adam lr=0.1", steps: 2, expression: "scaled_update(100)", typed: "-0.000998973,-0.00099926",
            mistake: .forgotSquareRoot),
        // float32, asked to 1e-9: the step is −0.100000001 (0.1 as float32); in double −0.1·6/(6 + 1e-8) =
        // −0.0999999998333 and −0.1·8/(8 + 1e-8) = −0.099999999875; ε lost with lr as typed, −0.1.
        Case(
            use: "adam lr=0.1 dtype=float32", steps: 1, expression: "update",
            typed: "-0.0999999998333,-0.099999999875", mistake: .doublePrecision, tolerance: 1e-9),
        Case(
            use: "adam lr=0.1 dtype=float32", steps: 1, expression: "update", typed: "-0.1,-0.1",
            mistake: .float32LearningRate, tolerance: 1e-9),
        // RAdam lr=0.1, first step: ρ₁ ≤ 5, so Δθ₁ = −lr·m̂₁ = (−0.6, −0.8); Adam's would be −0.1.
        Case(use: "radam lr=0.1", steps: 1, expression: "update", typed: "-0.1,-0.1", mistake: .radamAsAdam),
        // β where 1 − β belongs: RMSprop's E[g²]₂[0] = 0.99·0.36 + 0.01·5.8² = 0.6928, swapped
        // 0.01·0.36 + 0.99·33.64 = 33.3072; Adam's m₂[0] = 0.9·0.6 + 0.1·5.8 = 1.12, swapped 0.1·0.6 + 0.9·5.8 = 5.28.
        Case(use: "rmsprop lr=0.01", steps: 2, expression: "square_avg[0]", typed: "33.3072", mistake: .weightsSwapped),
        Case(use: "adam lr=0.1", steps: 2, expression: "m[0]", typed: "5.28", mistake: .weightsSwapped),
        // AdaMax's u₂[0] = max(0.999·6, 5.8) = 5.994; as Adam's root of averaged squares from u₁ = 6,
        // √(0.999·36 + 0.001·33.64) = 5.99980; as the L2 norm of the history, √(36 + 33.64) = 8.34506.
        Case(use: "adamax lr=0.1", steps: 2, expression: "u[0]", typed: "5.9998", mistake: .adamaxL2Norm),
        Case(use: "adamax lr=0.1", steps: 2, expression: "infinity_norm[0]", typed: "8.345", mistake: .adamaxL2Norm),
        // v asked, v̂ typed: v₂[0] = 0.069604, v̂₂[0] = 0.069604/(1 − 0.999²) = 34.8194.
        Case(use: "adam lr=0.1", steps: 2, expression: "v[0]", typed: "34.8194", mistake: .correctedTooSoon),
        // 1 − β₂¹ = 0.001, not 0.
        Case(
            use: "adam lr=0.1", steps: 1, expression: "bias_correction(beta2)", typed: "0",
            mistake: .correctionIsZero),
        // PyTorch's AdaMax: u₁[0] = max(0, 6 + 1e-8) = 6.00000001; without ε, 6.
        Case(
            use: "adamax lr=0.1 convention=pytorch", steps: 1, expression: "u[0]", typed: "6.00000000000",
            mistake: .epsilonLeftOut),
        // AMSGrad, by hand in Python: the paper's (and PyTorch's) v_max₂[0] = max(v₁, v₂) = max(0.036, 0.069604);
        // the maximum of the corrected v̂ instead, max(0.036, 0.069604/0.001999) = 34.8194. Optax's is
        // max(v̂₁, v̂₂) = max(36, 34.8194) = 36; the raw maximum there, 0.069604. With β₂ = 0.5, v rises to
        // 28.8541 at t = 4 and falls to 27.9061 at t = 5, while v_max₅ stays 28.8541.
        Case(use: "amsgrad lr=0.1", steps: 2, expression: "v_max[0]", typed: "34.8194", mistake: .vMaxOfCorrected),
        Case(
            use: "adam lr=0.1 amsgrad=on convention=optax", steps: 2, expression: "v_max[0]", typed: "0.069604",
            mistake: .vMaxOfRaw),
        Case(
            use: "amsgrad lr=0.1 beta2=0.5", steps: 5, expression: "v_max[0]", typed: "27.9061", mistake: .maxForgotten),
        // AdaBelief's s₁[0] = 0.001·(6 − 0.6)² + 1e-16 = 0.02916; Adam's v₁ in its place, 0.001·36 = 0.036.
        Case(use: "adabelief lr=0.1", steps: 1, expression: "s[0]", typed: "0.036", mistake: .beliefAsAdam),
        // AdamW lr 0.1, λ = 0.1, from (3, 4): the decay alone is −0.1·0.1·3 = −0.03 (the step −0.13).
        Case(
            use: "adamw lr=0.1 weight_decay=0.1", steps: 1, expression: "update[0]", typed: "-0.03",
            mistake: .adamwDecayOnly),
        // With noise σ = 1, seed 3, g₁ = (6 + 1.88983, 8 − 0.288952) (the draws re-implemented in Python, see
        // GradientNoiseTests); SGD's step from ∇f instead is −0.1·6 = −0.6 (the sampled one −0.788983).
        Case(
            use: "sgd lr=0.1", steps: 1, expression: "update[0]", typed: "-0.6", mistake: .trueGradientForSampled,
            objective: "sphere noise=1 seed=3"),
        // y's gradient 8 arrives at step 3 with m = v = 0: m̂ = 0.8/(1 − 0.9³), v̂ = 0.064/(1 − 0.999³) and
        // Δθ = −0.0638810; taken as a first step it is −lr·g/|g| = −0.1.
        Case(
            use: "adam lr=0.1", steps: 3, expression: "update[1]", typed: "-0.1", mistake: .perCoordinateClock,
            objective: "sphere sparse=3"),
        // StepLR halving every 2 steps: step 2 runs with 0.1 (one scheduler step, ⌊1/2⌋ = 0), not 0.05.
        Case(
            use: "sgd lr=0.1 schedule=step step_size=2 gamma=0.5", steps: 2, expression: "lr_sched", typed: "0.05",
            mistake: .scheduleFromT),
        // The paper's lr/√t at t = 4 is 0.05; lr/t is 0.025.
        Case(
            use: "sgd lr=0.1 schedule=inv_sqrt", steps: 4, expression: "lr_sched", typed: "0.025",
            mistake: .inverseForInverseRoot),
        // ... and lr/√(t − 1) = 0.1/√3 = 0.0577350, torch's "t − 1 scheduler steps" where the paper has none.
        Case(
            use: "sgd lr=0.1 schedule=inv_sqrt", steps: 4, expression: "lr_sched", typed: "0.057735",
            mistake: .scheduleOneBehind),
    ]

    /// A note that holds for one coordinate is printed under that coordinate's verdict, not the other's.
    @Test func aCoordinatesNoteStandsUnderItsOwnVerdict() {
        // u₂ = (5.994, 7.992); 5.9998 is the L2 form for x, 7.992 is right for y.
        let (text, _) = transcript(circle + ["use adamax lr=0.1", "step 2", "check u 5.9998,7.992"])
        let lines = text.components(separatedBy: "\n").filter { !$0.hasPrefix("›") }.suffix(3)
        #expect(lines.first?.hasPrefix("✗ not right: u₂[0] is 5.994; you typed 5.9998") == true, "\(text)")
        #expect(Array(lines)[1].hasPrefix("  that is a root of (averaged) squares"), "\(text)")
        #expect(lines.last?.hasPrefix("✓ right: u₂[1] is 7.992") == true, "\(text)")
    }

    @Test func closeUnderAQuestionsOwnToleranceSaysSoAndProseTypesetsMinus() throws {
        // AdaMax, two steps: u₂[0] = max(0.999·6, 5.8) = 5.994; 5.99 is within 0.5% but not within 1e-4.
        let s = try session(circle + ["use adamax lr=0.1", "step 2"])
        let g = try s.grade(try AnswerExpression("u[0]"), typed: try parseTypedAnswer("5.99"), tolerance: 0.0001)
        #expect(g.verdict == .close)
        #expect(
            TerminalRenderer(style: Style()).words(g)
                == "not right, but close: within 0.5%, and this question asks for it to ±0.0001; recompute")
        // Δθ₂[0] = −0.098344 (by hand: −0.1/0.19·1.12/5.994), with a typeset minus in lesson text.
        let computed = try LessonText.interpolate([.interpolation("update[0]")], session: s)
        #expect(LessonRenderer(style: Style()).text(computed) == "\u{2212}0.098344")
    }

    @Test func everyMisconceptionHasACase() {
        #expect(Set(AnswerTests.cases.map(\.mistake)) == Set(Misconception.allCases))
    }

    @Test(arguments: cases)
    func diagnosedTheSameWayInCheckExercisesAndPredict(_ c: Case) throws {
        let s = try session(c.setup)
        let e = try AnswerExpression(c.expression)
        let grade = try s.grade(e, typed: try parseTypedAnswer(c.typed), tolerance: c.tolerance)
        #expect(grade.diagnosis == c.mistake, "\(c.expression) \(c.typed): \(grade.verdict)")
        // An exercise asking for the same value.
        let exercise = Exercise(
            id: "e", question: "q", answer: e, answerText: c.expression, tolerance: c.tolerance, hints: [],
            explanation: "", line: 1)
        #expect(try exercise.grade(c.typed, host: s).diagnosis == c.mistake)
        // `check` and `predict` ask to the default tolerance: only questions without their own.
        guard c.tolerance == nil else { return }
        // `check` words it as an exercise does.
        let (text, _) = transcript(c.setup + ["check \(c.expression) \(c.typed)"])
        #expect(text.contains("  " + c.mistake.explanation), "\(text)")
        // `predict`, answered at the same step.
        let before =
            Array(c.setup.dropLast(2)) + ["use " + c.use] + (c.steps > 1 ? ["step \(c.steps - 1)"] : [])
        let p = try session(before + ["predict \(c.expression)", "step", c.typed])
        #expect(p.predictionScore.mistakes.first?.0 == c.mistake, "\(p.predictionScore)")
    }

    @Test func rightValuesOfTheReferenceComputations() throws {
        let s = try session(circle + ["use adam lr=0.1", "step 2"])
        func value(_ text: String) throws -> [Double] { try s.evaluate(try AnswerExpression(text)).expected }
        // 1 − 0.9² and 1 − 0.999³; (1 − β₁)/√(1 − β₂)·lr = 0.1/0.0316228·0.1.
        #expect(abs(try value("bias_correction(beta1)")[0] - 0.19) < 1e-15)
        #expect(abs(try value("bias_correction(beta2, 3)")[0] - 0.002997001) < 1e-15)
        #expect(abs(try value("update_bound")[0] - 0.316227766017) < 1e-11)
        #expect(abs(try value("expected_m[0]")[0] - 1.102) < 1e-9)
        let a = try session(circle + ["use adamax lr=0.1", "step 3"])
        let l8 = try a.evaluate(try AnswerExpression("lp_norm(8)")).expected
        #expect(abs(l8[0] - 3.643438483093) < 1e-9 && abs(l8[1] - 4.893724865939) < 1e-9)
        let u = try a.evaluate(try AnswerExpression("infinity_norm")).expected
        #expect(abs(u[0] - 5.988006) < 1e-9 && abs(u[1] - 7.984008) < 1e-9)
    }

    @Test func referenceComputationsBelongToTheirOptimizers() throws {
        // SGD: every g × 100 makes the step 100 times larger (Δθ₂ = (−0.0588, −0.0784) by hand).
        let sgd = try session(circle + ["use sgd lr=0.01", "step 2"])
        let scaled = try sgd.evaluate(try AnswerExpression("scaled_update(100)")).expected
        #expect(abs(scaled[0] + 5.88) < 1e-12 && abs(scaled[1] + 7.84) < 1e-12)
        #expect(throws: SessionError.self) { try sgd.evaluate(try AnswerExpression("update_bound")) }
        #expect(throws: SessionError.self) { try sgd.evaluate(try AnswerExpression("bias_correction(beta1)")) }
        #expect(throws: SessionError.self) { try sgd.evaluate(try AnswerExpression("infinity_norm")) }
        // AdaMax's step is bounded by lr itself.
        let adamax = try session(circle + ["use adamax lr=0.002", "step"])
        #expect(try adamax.evaluate(try AnswerExpression("update_bound")).expected == [0.002])
        // Δθ is the update, however it is spelt.
        for name in ["update", "Δθ", "delta_theta"] {
            #expect(try AnswerExpression(name) == .quantity(.update, coordinate: nil), "\(name)")
        }
    }

    @Test func badExpressionsPointAtTheirPlace() {
        let cases: [(String, String, String)] = [
            ("check scaled_update( 1", "missing ')'", "                        ^"),
            ("check lp_norm(0) 1", "lp_norm takes a power p from 1 to 1000", "                ^"),
            ("check bias_correction(beta3) 1", "bias_correction takes beta1 or beta2", "                        ^^^^^"),
            ("check m_hat[x] 1", "expected [index]", "             ^^^"),
            ("explain infinity_nrom", "did you mean 'infinity_norm'", "          ^^^^^^^^^^^^^"),
            ("predict m_hat m_hat", "predict lists each value once", "                ^^^^^"),
            ("check update_bound[0] 0.3", "update_bound is one number; it takes no [i]", "                    ^^^"),
            ("explain foo", "'foo' is not a quantity or an expression", "          ^^^"),
        ]
        for (line, message, caret) in cases {
            let (text, _) = transcript(circle + ["use adam lr=0.1", "step", line])
            #expect(text.contains(message), "\(line): \(text)")
            #expect(text.contains("\n" + caret + "\n"), "\(line): \(text)")
        }
        let (before, _) = transcript(circle + ["check bias_correction(beta1) 0.1"])
        #expect(before.contains("error: bias_correction needs a step taken or a t"))
        let (noStep, _) = transcript(circle + ["check m_hat 1"])
        #expect(noStep.contains("error: no step taken yet; type `step` first"))
    }

    @Test func explainShowsTheReferenceWithThisRunsNumbers() throws {
        let (text, _) = transcript(
            circle + ["use adamax lr=0.1", "step 3", "explain infinity_norm", "explain lp_norm(8)"])
        #expect(text.contains("[0] u₃ = max(5.98801, 5.7942, 5.60331) = 5.98801, from g₁"), "\(text)")
        #expect(text.contains("[1] L8 moment = 4.89372; the infinity norm u₃ = 7.98401"), "\(text)")
        let (scaled, _) = transcript(circle + ["use adam lr=0.1", "step 2", "explain scaled_update(100)"])
        #expect(unfolded(scaled).contains("c cancels, so the step keeps its size (scale invariance)"), "\(scaled)")
        #expect(unfolded(scaled).contains("the scaled run acts as if ε were ε/|c| = 1e-10"), "\(scaled)")
        let (sgd, _) = transcript(circle + ["use sgd lr=0.01", "step 2", "explain scaled_update(100)"])
        #expect(
            unfolded(sgd).contains("[0] Δθ with every g × 100 = -5.88; unscaled -0.0588; relative difference 99"),
            "\(sgd)")
    }

    @Test func predictAsksBeforeShowingAndScores() throws {
        let (text, exit) = transcript(
            circle + [
                "use adam lr=0.1", "predict m_hat v_hat update", "step", "0.6,0.8", "36,64", "-0.1,-0.1", "step",
                "5.89,7.89", "skip", "nonsense", "-0.0998973,-0.099926", "predict off",
            ])
        #expect(exit == .commandFailed)  // `nonsense` was refused (and the step still waited)
        let lines = text.components(separatedBy: "\n")
        // Asked before the table, graded and diagnosed, then the table with the marks.
        let ask = try #require(
            lines.firstIndex(of: "step 1 is taken; before you see it: what is m̂₁? (2 values, as a,b)"))
        let table = try #require(lines.firstIndex { $0.hasPrefix("t = 1 ") })
        #expect(ask < table)
        // The explanation folds at the terminal's width, under the verdict.
        #expect(
            unfolded(text).contains(
                "✗ not right: m̂₁ is (6, 8); you typed (0.6, 0.8) " + Misconception.forgotBiasCorrection.explanation))
        #expect(text.contains("✓ right: v̂₁ is (36, 64)"))
        #expect(text.contains("your predictions: m̂₁ ✗ (no bias correction), v̂₁ ✓, Δθ ✓"))
        #expect(text.contains("skipped: v̂₂ is (34.8194, 62.4192)"))
        #expect(text.contains("your predictions: m̂₂ ✓, v̂₂ skipped, Δθ ✓"))
        #expect(
            unfolded(text).contains("predict off: 4 of 6 predictions right, 1 skipped; mistakes: no bias correction ×1")
        )
    }

    @Test func predictAtTheEdges() throws {
        // One value stands for both coordinates, as in `check`; a command waits; `quit` still leaves.
        let (text, exit) = transcript(
            circle + [
                "use adam lr=0.1", "predict update", "step", "use sgd", "-0.1", "predict m_hat update", "use sgd",
                "step", "skip", "quit",
            ])
        #expect(exit == .commandFailed)
        #expect(
            text.contains(
                "error: step 1 waits for your value first: type it, `skip`, or `predict off`; the command can follow"))
        #expect(text.contains("✓ right: Δθ is (-0.1, -0.1)"), "\(text)")
        // SGD has no m̂: said, not silently dropped; the score kept across the change of list.
        #expect(text.contains("not asked at this step: m̂ₜ (sgd has no m_hat at step 1; it has: "), "\(text)")
        #expect(text.contains("predict off: 1 of 2 predictions right, 1 skipped"), "\(text)")
        // A script that ends while a step waits says so.
        let (ended, status) = transcript(circle + ["use adam lr=0.1", "predict update", "step"])
        #expect(status == .commandFailed)
        #expect(ended.contains("error: the input ended while step 1 waited for Δθ"), "\(ended)")
        #expect(ended.contains("your predictions: Δθ skipped"))
    }

    @Test func predictKeepsTheSessionWhileAValueIsRefused() throws {
        let s = try session(circle + ["use adam lr=0.1", "predict update", "step"])
        let waiting = try #require(s.awaiting)
        #expect(throws: SessionError.self) { try s.execute("step") }
        #expect(throws: SessionError.self) { try s.execute("1,2,3") }
        #expect(s.awaiting?.grades.count == 0 && s.run.t == waiting.step.record.t)
        try s.execute("-0.1,-0.1")
        #expect(s.awaiting == nil && s.predictionScore.right == 1)
        #expect(throws: SessionError.self) { try s.execute("step 5") }
    }
}

/// A learner who types the program's own 17 digits is right: AdaMax's u₃ by the recursion is
/// 5.9880059999999995 and by the max over the decayed history 5.9880060000000004, one unit in the last
/// place apart (the learner's report); a double's resolution, not the digits typed, is the bar there.
@Test func seventeenDigitsOfTheProgramsOwnValueAreRight() {
    let (text, _) = transcript([
        "use adamax lr=0.1", "step 3", "check infinity_norm 5.9880059999999995,7.9840080000000002",
    ])
    #expect(text.components(separatedBy: "✓ right").count == 3, "\(text)")
    #expect(text.contains("four units in the last place of a double"))
    let (wrong, _) = transcript(["use adamax lr=0.1", "step 3", "check u 5.98800599999999"])
    #expect(wrong.contains("✗ not right: u₃[0]"), "\(wrong)")
}

/// The unscaled step typed to 17 digits for `scaled_update(100)` is the scale invariance confirmed, told
/// as that (it once got "close, recompute"): Adam's two steps differ only by ε's share.
@Test func theUnscaledStepIsTheInvarianceConfirmed() {
    let (text, _) = transcript([
        "use adam lr=0.1", "step 2", "check scaled_update(100) -0.09989729275187767,-0.0999260050447279",
    ])
    #expect(text.contains("that is the unscaled update: the scale invariance you found holds"), "\(text)")
    #expect(!text.contains("close"))
}

/// The program's own value printed to 17 significant digits (what `precision 17` shows) is right for every
/// quantity and every reference computation of every optimizer, under every convention that gives another
/// formula; and a reference computation typed with its recursive twin's 17 digits (AdaMax's u for
/// `infinity_norm`, Δθ for `scaled_update(1)`) is right too, though the two may differ in the last bit.
@Test func seventeenDigitsOfTheProgramsOwnValueAreAlwaysRight() throws {
    let specs =
        OptimizerKind.allCases.flatMap { kind in
            OptimizerSpec.distinctConventions(for: kind).map {
                kind.isSecondOrder ? "\(kind.rawValue) lr=0.001" : "\(kind.rawValue) lr=0.001 convention=\($0.rawValue)"
            }
        } + [
            "adam lr=0.001 amsgrad=on convention=optax", "adam lr=0.001 amsgrad=on convention=pytorch",
            "adabelief lr=0.001 rectify=on ams_bound=on", "adam lr=0.001 dtype=float32",
            "radam lr=0.001 convention=pytorch",
        ]
    let computations = [
        "bias_correction(beta1)", "bias_correction(beta2)", "scaled_update(10)", "scaled_update(1)", "infinity_norm",
        "lp_norm(4)", "update_bound", "expected_m",
    ]
    func printed(_ values: [Double]) -> String { values.map { String(format: "%.17g", $0) }.joined(separator: ",") }
    var graded = 0
    for spec in specs {
        let s = try session(["objective rosenbrock", "start 1.3,0.7", "use \(spec)", "step 7"])
        let expressions =
            Quantity.allCases.filter { $0 != .t }.map { AnswerExpression.quantity($0, coordinate: nil) }
            + (try computations.map { try AnswerExpression($0) })
        for e in expressions {
            guard let reference = try? s.evaluate(e) else { continue }
            let grade = try s.grade(e, typed: parseTypedAnswer(printed(reference.expected)))
            #expect(grade.verdict == .right, "\(spec): \(e) typed as printed is \(grade.verdict)")
            graded += 1
        }
        // The recursive twins, typed for each other.
        let twins: [(String, Quantity)] = [("infinity_norm", .u), ("scaled_update(1)", .update)]
        for (name, quantity) in twins {
            guard let twin = try? s.evaluate(.quantity(quantity, coordinate: nil)),
                (try? s.evaluate(AnswerExpression(name))) != nil
            else { continue }
            let grade = try s.grade(AnswerExpression(name), typed: parseTypedAnswer(printed(twin.expected)))
            #expect(grade.verdict == .right, "\(spec): \(name) typed as \(quantity.machineName) is \(grade.verdict)")
        }
    }
    #expect(graded >= 200)
}
