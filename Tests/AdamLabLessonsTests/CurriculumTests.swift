// The curriculum: each lesson played with a file of the wrong answers learners typically give, and
// each wrong answer diagnosed as the mistake that produces it.

import AdamLabCore
import AdamLabRender
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabLessons

@Suite("curriculum")
struct CurriculumTests {
    struct Mistaken: Sendable, CustomTestStringConvertible {
        let lesson: String
        /// An answers file, one `exercise-id: value` per line.
        let answers: String
        /// The mistake each answered exercise must be diagnosed as.
        let diagnoses: [String: Misconception]
        var testDescription: String { lesson }
    }

    /// Every value was computed by hand from the lesson's own setup (Python, double precision),
    /// independently of adamlab: the number the named mistake gives.
    static let classes: [Mistaken] = [
        // x² + 5y² from (3, 4), lr 0.1: g₁ = (6, 40); with lr 0.21, θ₁y = −4.4 and g₂y = −44;
        // Rosenbrock at (3, 0): g₁x = 10804; at (0, 0): g₁x = −2.
        Mistaken(
            lesson: "gradient-descent",
            answers: """
                gd-update-x: -0.3
                gd-theta-y: 8
                gd-diverge-y: 39.6
                rosenbrock-step-x: -5.402
                crawl-step-x: -0.002
                """,
            diagnoses: [
                "gd-update-x": .halfGradient, "gd-theta-y": .wrongSign, "gd-diverge-y": .forgotLearningRate,
                "rosenbrock-step-x": .halfGradient, "crawl-step-x": .wrongSign,
            ]),
        // Momentum μ 0.9, lr 0.01: buf₂x = 0.9·6 + 5.88 = 11.28; an average gives 0.9·6 + 0.1·5.88 = 5.988;
        // −lr·g₂ = −0.0588. Nesterov: buf₂ = 11.172, heavy ball's −lr·buf₂ = −0.11172.
        Mistaken(
            lesson: "momentum",
            answers: """
                momentum-buf-2: 5.988
                momentum-update-2: -0.0588
                nesterov-update-2: -0.11172
                """,
            diagnoses: [
                "momentum-buf-2": .momentumAsAverage, "momentum-update-2": .usedGradientNotMoment,
                "nesterov-update-2": .forgotLookAhead,
            ]),
        // AdaGrad lr 0.1: this step's g alone gives −lr·g/|g| = −0.1 at t = 2 and at t = 100.
        // RMSprop α 0.99 on g = 1: E[g²]₂ = 0.0199; AdaGrad's sum 0.01 + 1 = 1.01; (1 − α)·g² = 0.01.
        Mistaken(
            lesson: "per-parameter-steps",
            answers: """
                adagrad-update-2: -0.1
                adagrad-shrinks: -0.1
                rmsprop-average-2: 1.01
                """,
            diagnoses: [
                "adagrad-update-2": .adagradThisGradientOnly, "adagrad-shrinks": .adagradThisGradientOnly,
                "rmsprop-average-2": .rmspropNoForgetting,
            ]),
        Mistaken(
            lesson: "per-parameter-steps",
            answers: "rmsprop-average-2: 0.01\n",
            diagnoses: ["rmsprop-average-2": .forgotPreviousState]),
        // Adam lr 0.1 on x² + y² from (3, 4): m₁x = 0.6, v₁y = 0.064, v₂x = 0.069604; α₃ without
        // corrections is lr; 100 × Δθ₃x = −9.97212.
        Mistaken(
            lesson: "adam-one-step",
            answers: """
                m-hat-1: 0.6
                v-hat-1: 0.064
                update-1: 0.1
                v-hat-2: 0.069604
                alpha-3: 0.1
                scale-3: -9.97212
                """,
            diagnoses: [
                "m-hat-1": .forgotBiasCorrection, "v-hat-1": .forgotBiasCorrection, "update-1": .wrongSign,
                "v-hat-2": .forgotBiasCorrection, "alpha-3": .alphaIsLearningRate,
                "scale-3": .updateScalesWithGradient,
            ]),
        // lr 0.02, β₂ 0.9999: the uncorrected first step is −0.2, the corrected −0.02; the bound 0.2
        // (a size), lr the other case; β₂¹ for 1 − β₂¹; E[m₅] = 1 − 0.9⁵, not g = 1 or (1 − β₁)·g = 0.1.
        Mistaken(
            lesson: "bias-correction",
            answers: """
                first-step-size: -0.02
                bound: -0.2
                bc2-at-1: 0.9999
                corrected-step: -0.2
                expected-m-5: 1
                """,
            diagnoses: [
                "first-step-size": .addedBiasCorrection, "bound": .boundIsASize, "bc2-at-1": .forgotOneMinus,
                "corrected-step": .forgotBiasCorrection, "expected-m-5": .expectedMIsG,
            ]),
        Mistaken(
            lesson: "bias-correction",
            answers: "bound: 0.02\nexpected-m-5: 0.1\n",
            diagnoses: ["bound": .boundOtherCase, "expected-m-5": .expectedMIsOneStep]),
        // Adam lr 0.1 on Rosenbrock from (3, 0): Δθ₁x = −0.1; bound lr·0.1/√0.001 = 0.316228, lr the
        // other case; on x² + y²: Δθ₂x = −0.0998973, so × 1000 is −99.8973; with c = 1e-8 the step is
        // −0.1·6/7 = −0.0857143, and ε scaled too gives the unscaled −0.1.
        Mistaken(
            lesson: "trust-region",
            answers: """
                adam-on-the-wall: 0.1
                paper-bound: 0.1
                scaled-1000: -99.8973
                epsilon-breaks: -0.1
                """,
            diagnoses: [
                "adam-on-the-wall": .wrongSign, "paper-bound": .boundOtherCase,
                "scaled-1000": .updateScalesWithGradient, "epsilon-breaks": .epsilonScaledToo,
            ]),
        // AdaMax lr 0.1 on x² + y²: u₁x = 6, the limit of (1 − 0.999¹⁰⁰)^(1/100)·6 = 5.86; u₂x = max(5.994, 5.8), a sum gives
        // 11.794; uncorrected Δθ₂x = −0.1·1.12/5.994 = −0.0186854; |g| summed over three steps
        // 6 + 5.8 + 5.60331 = 17.40331; PyTorch's u₁ with ε 0.5 is 6.5. On f(x) = x with one gradient
        // of 10 three hundred steps back, the spike never decayed is 10.
        Mistaken(
            lesson: "adamax",
            answers: """
                lp-norm-100: 6
                adamax-u-2: 11.794
                adamax-update-2: -0.0186854
                infinity-norm-3: 17.4033
                pytorch-u: 6
                spike-300: 10
                """,
            diagnoses: [
                "lp-norm-100": .lpNormIsTheMax, "adamax-u-2": .adamaxSumNotMax,
                "adamax-update-2": .forgotBiasCorrection, "infinity-norm-3": .adamaxSumNotMax,
                "pytorch-u": .epsilonLeftOut, "spike-300": .adamaxNotDecayed,
            ]),
        // ε = 0.1: inside the root −0.1·6/√36.1 = −0.0998614; Keras's step computed the paper's way is
        // −0.1·6/6.1 = −0.0983607.
        Mistaken(
            lesson: "epsilon-and-precision",
            answers: """
                paper-epsilon: -0.0998614
                keras-epsilon: -0.0983607
                float32-update: -0.0999999998
                """,
            diagnoses: [
                "paper-epsilon": .epsilonInsideRoot, "keras-epsilon": .kerasEpsilonAsPaper,
                "float32-update": .doublePrecision,
            ]),
        // The mixture from (3, 3), lr 0.01: g₁ = 0.0157258 for x. Adam with L2 (λ = 0.1) steps −0.01 at
        // t = 1 (m̂/√v̂ = 1); RAdam's Adam-like first step is −0.01 too. AMSGrad after 301 steps:
        // v₃₀₁ = 1.24449e-05 below v_max = 1.49485e-05, and v̂₃₀₁ = 4.78590e-05. Adam's v₁ in AdaBelief's
        // place, 0.001·g₁² = 2.47301e-07 (s₁ = 0.001·(0.9·g₁)² = 2.00314e-07).
        Mistaken(
            lesson: "adam-family",
            answers: """
                adamw-first-step: -0.01
                amsgrad-v-max: 1.24449e-05
                radam-first-step: -0.01
                adabelief-s-1: 2.47301e-07
                """,
            diagnoses: [
                "adamw-first-step": .adamwAsL2, "amsgrad-v-max": .maxForgotten, "radam-first-step": .radamAsAdam,
                "adabelief-s-1": .beliefAsAdam,
            ]),
        Mistaken(
            lesson: "adam-family",
            answers: """
                adamw-first-step: -0.31
                amsgrad-v-max: 4.7859e-05
                """,
            diagnoses: ["adamw-first-step": .decayWithoutLearningRate, "amsgrad-v-max": .vMaxOfCorrected]),
        // The noisy bowl at step 2: −lr·∇f for y is −0.02·2.30003 = −0.0460005; at step 101 m from ∇f,
        // 0.9·(−0.0788750) + 0.1·0.195096 = −0.0514779. The sparse coordinate's first gradient at step 1000
        // treated as step 1 is −lr = −0.01; uncorrected it is −0.01·0.1/√0.001 = −0.0316228. StepLR's lr
        // one step ahead, lr/t for lr/√t: 0.2/100 = 0.002, and 0.2/√101 = 0.0199007.
        Mistaken(
            lesson: "noise-and-sparsity",
            answers: """
                sgd-noisy-step: -0.0460005
                adam-m-noisy: -0.0514779
                sparse-first-step: -0.01
                inv-sqrt-lr: 0.002
                """,
            diagnoses: [
                "sgd-noisy-step": .trueGradientForSampled, "adam-m-noisy": .trueGradientForSampled,
                "sparse-first-step": .perCoordinateClock, "inv-sqrt-lr": .inverseForInverseRoot,
            ]),
        Mistaken(
            lesson: "noise-and-sparsity",
            answers: """
                sparse-first-step: -0.0316228
                inv-sqrt-lr: 0.0199007
                """,
            diagnoses: ["sparse-first-step": .forgotBiasCorrection, "inv-sqrt-lr": .scheduleFromT]),
        // Rosenbrock at (5, 0): g = (50008, −5000), GD's step −0.001·g; half of it −25.004, the sign
        // turned 50.008. Rastrigin at (−5, −5), g = −10: −lr·g = 10 is GD's step where Adam's is lr = 1.
        // Himmelblau at the origin: g = (−14, −22), the step 0.22 for y; half of it 0.11.
        Mistaken(
            lesson: "a-fair-race",
            answers: """
                rosenbrock-gd-step: -25.004
                rastrigin-adam-jump: 10
                himmelblau-gd-step: -0.22
                """,
            diagnoses: [
                "rosenbrock-gd-step": .halfGradient, "rastrigin-adam-jump": .gradientDescentStep,
                "himmelblau-gd-step": .wrongSign,
            ]),
        // Regression, the bias: m₂ = −2.54647 uncorrected (m̂₂ = −13.4025). Seed 000's network at t = 1:
        // GD's −lr·g for w2[0,3] is −0.01·0.00125400 = −1.254e-05 where Adam steps −0.01. The digits at
        // t = 11: m₁₁ = 0.9·0.0116378 + 0.1·0.0338536 = 0.0138594 uncorrected (m̂₁₁ = 0.0201977).
        Mistaken(
            lesson: "real-models",
            answers: """
                regression-m-hat: -2.546
                network-adam-first-step: -1.254e-05
                digits-one-weight: 0.01386
                """,
            diagnoses: [
                "regression-m-hat": .forgotBiasCorrection, "network-adam-first-step": .gradientDescentStep,
                "digits-one-weight": .forgotBiasCorrection,
            ]),
        // Seed 001's gradient 100y at y = 10: GD's step −0.4·1000 where Adam's is −lr. (A.1) on the sphere
        // at (3, 4), lr 0.1: Adam's own first step −0.1·6/(6 + 1e-8) = −0.0999999998. Seed 004's run
        // (β₂ = 0.9999, lr 0.02): uncorrected −0.02·0.6/(0.06 + 1e-8) = −0.19999997.
        Mistaken(
            lesson: "find-the-bug",
            answers: """
                wrong-gradient-adam: -400
                a1-first-step: -0.1
                seed004-corrected: -0.2
                """,
            diagnoses: [
                "wrong-gradient-adam": .gradientDescentStep, "a1-first-step": .a1AsAdam,
                "seed004-corrected": .forgotBiasCorrection,
            ]),
        Mistaken(
            lesson: "find-the-bug",
            answers: "a1-first-step: 10",
            diagnoses: ["a1-first-step": .wrongSign]),
        // The turned bowl at (1, 2): g = (299, 301), H = [[101, 99], [99, 101]]. The diagonal alone gives
        // −299/101 = −2.960396; steepest descent −299. L-BFGS's first τ: lr = 1 itself, or 1/‖g‖₂ =
        // 1/√180002 = 0.00235701 for 1/Σ|gᵢ| = 1/600. The sphere at (3, 4), G = 2I, lr 0.1: multiplied,
        // −0.1·2·6 = −1.2; steepest, −0.1·6 = −0.6.
        Mistaken(
            lesson: "beyond-first-order",
            answers: """
                newton-direction: -2.9604
                lbfgs-first-tau: 1
                natural-sphere-step: -1.2
                """,
            diagnoses: [
                "newton-direction": .diagonalOnly, "lbfgs-first-tau": .firstStepIsLR,
                "natural-sphere-step": .multipliedNotSolved,
            ]),
        Mistaken(
            lesson: "beyond-first-order",
            answers: """
                newton-direction: -299
                lbfgs-first-tau: 0.002357
                natural-sphere-step: -0.6
                """,
            diagnoses: [
                "newton-direction": .steepestForNewton, "lbfgs-first-tau": .firstStepL2,
                "natural-sphere-step": .steepestForNewton,
            ]),
        // x² + 5y² from (2, 1): momentum's g = 10 then 8 for y, an average 0.9·10 + 0.1·8 = 9.8. RMSprop
        // (α 0.9, lr 0.01): θ₁y = 1 − 0.01·10/(√10 + 1e-8) = 0.96837722, g₂ = 9.6837722, a sum
        // 10 + g₂² = 103.775445. Adam's α₃ with lr 0.01: without the root 0.01·(1 − 0.999³)/(1 − 0.9³)
        // = 0.000110590.
        Mistaken(
            lesson: "review-and-drill",
            answers: """
                review-momentum: 9.8
                review-rmsprop: 103.775
                review-adam-alpha: 0.00011059
                """,
            diagnoses: [
                "review-momentum": .momentumAsAverage, "review-rmsprop": .rmspropNoForgetting,
                "review-adam-alpha": .alphaWithoutRoot,
            ]),
    ]

    @Test(arguments: classes)
    func typicalWrongAnswersAreDiagnosed(_ c: Mistaken) throws {
        let lesson = try LessonLibrary(directory: lessonsDirectory).find(c.lesson)
        let answers = try LessonPlayer.parseAnswers(c.answers, path: "answers.txt")
        #expect(LessonPlayer.unknownAnswers(answers.mapValues { ($0, 1) }, lesson: lesson, path: "a").isEmpty)
        let terminal = TerminalOutput(style: Style(), write: { _ in })
        let t = try LessonTranscript(playing: lesson, session: try host(), answers: answers, style: Style())
        #expect(t.right == 0)
        for (id, mistake) in c.diagnoses {
            let typed = answers[id]!
            let line = "  answered \(typed): not right: \(mistake.explanation)"
            #expect(t.text.contains(line), "\(id): \(typed) is not diagnosed as \(mistake.rawValue)")
        }
    }

    /// Every lesson has three exercises or more, and the curriculum's answers use every reference
    /// computation the engine has.
    @Test func everyLessonAsksEnough() throws {
        let lessons = try LessonLibrary(directory: lessonsDirectory).lessons()
        #expect(lessons.map(\.order) == Array(1...15))
        for lesson in lessons { #expect(lesson.exercises.count >= 3, "\(lesson.id)") }
        let answers = lessons.flatMap(\.exercises).map(\.answerText)
        for name in ["bias_correction", "scaled_update", "infinity_norm", "lp_norm", "update_bound"] {
            #expect(answers.contains { $0.hasPrefix(name) }, "no exercise answers with \(name)")
        }
    }

    /// Lessons name prerequisites that exist and come earlier.
    @Test func prerequisitesComeFirst() throws {
        let lessons = try LessonLibrary(directory: lessonsDirectory).lessons()
        let order = Dictionary(uniqueKeysWithValues: lessons.map { ($0.id, $0.order) })
        for lesson in lessons {
            for p in lesson.prerequisites {
                let before = try #require(order[p], "\(lesson.id) names an unknown prerequisite \(p)")
                #expect(before < lesson.order, "\(lesson.id) needs \(p), which comes later")
            }
        }
    }
}
