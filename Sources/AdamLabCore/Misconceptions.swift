// Known wrong ways to compute Adam's quantities, each computed from the step's own numbers, so a wrong
// answer can be recognised by value (not by matching text).

import RealModule

/// A mistake learners make, with the sentence that explains it.
public enum Misconception: String, CaseIterable, Sendable, Codable {
    case forgotBiasCorrection = "forgot-bias-correction"
    case exponentTMinusOne = "exponent-t-minus-1"
    case swappedBetas = "swapped-betas"
    case forgotSquareRoot = "forgot-square-root"
    case epsilonInsideRoot = "epsilon-inside-root"
    case forgotLearningRate = "forgot-learning-rate"
    case wrongSign = "wrong-sign"
    case squaredMomentNotGradient = "squared-moment"
    case usedMNotMHat = "used-m-not-m-hat"
    case adamaxSumNotMax = "adamax-sum-not-max"
    case forgotOneMinus = "forgot-one-minus"
    case usedGradientNotMoment = "used-gradient-not-moment"
    case forgotPreviousState = "forgot-previous-state"
    case addedBiasCorrection = "added-bias-correction"
    case adamaxNotDecayed = "adamax-u-not-decayed"
    case adamaxBiasCorrectedU = "adamax-u-bias-corrected"
    case epsilonMisplaced = "epsilon-misplaced"
    case lpNormIsTheMax = "lp-norm-is-the-max"
    case epsilonScaledToo = "epsilon-scaled-too"
    case updateScalesWithGradient = "update-scales-with-gradient"
    case adamwAsL2 = "adamw-as-l2"
    case decayWithoutLearningRate = "decay-without-lr"
    case momentumAsAverage = "momentum-as-average"
    case forgotDampening = "forgot-dampening"
    case forgotLookAhead = "forgot-look-ahead"
    case nadamAsAdam = "nadam-as-adam"
    case radamAsAdam = "radam-as-adam"
    case expectedMIsG = "expected-m-is-g"
    case expectedMIsOneStep = "expected-m-is-one-step"
    case alphaSwappedBetas = "alpha-swapped-betas"
    case alphaIsLearningRate = "alpha-is-lr"
    case alphaWithoutRoot = "alpha-without-root"
    case sgdScaleInvariant = "sgd-scale-invariant"
    case boundIsASize = "bound-is-a-size"
    case boundOtherCase = "bound-other-case"
    case halfGradient = "half-gradient"
    case rmspropNoForgetting = "rmsprop-no-forgetting"
    case adagradThisGradientOnly = "adagrad-this-gradient-only"
    case kerasEpsilonAsPaper = "keras-epsilon-as-paper"
    case stepForPosition = "step-for-position"
    case positionBeforeStep = "position-before-step"
    case alphaInverted = "alpha-inverted"
    case gradientDescentStep = "gradient-descent-step"
    case epsilonLeftOut = "epsilon-left-out"
    case otherCoordinate = "other-coordinate"
    case rootOfTheMoment = "root-of-the-moment"
    case positionForStep = "position-for-step"
    case bufferAtItsLimit = "buffer-at-its-limit"
    case adadeltaAsRMSprop = "adadelta-as-rmsprop"
    case epsRootOutside = "eps-root-outside"
    case doublePrecision = "double-precision"
    case float32LearningRate = "float32-learning-rate"
    case weightsSwapped = "weights-swapped"
    case adamaxL2Norm = "adamax-l2-norm"
    case correctedTooSoon = "corrected-too-soon"
    case correctionIsZero = "correction-is-zero"
    case maxForgotten = "max-forgotten"
    case vMaxOfCorrected = "v-max-of-corrected"
    case vMaxOfRaw = "v-max-of-raw"
    case beliefAsAdam = "belief-as-adam"
    case adamwDecayOnly = "adamw-decay-only"
    case trueGradientForSampled = "true-gradient-for-sampled"
    case perCoordinateClock = "per-coordinate-clock"
    case scheduleFromT = "schedule-from-t"
    case inverseForInverseRoot = "inverse-for-inverse-root"
    case scheduleOneBehind = "schedule-one-behind"
    case steepestForNewton = "steepest-for-newton"
    case multipliedNotSolved = "multiplied-not-solved"
    case diagonalOnly = "diagonal-only"
    case firstStepIsLR = "lbfgs-first-step-lr"
    case firstStepL2 = "lbfgs-first-step-l2"
    case initialScaleOnly = "initial-scale-only"
    case a1AsAdam = "a1-as-adam"
    case alphaOneCorrection = "alpha-one-correction"
    case averageFromFirst = "average-from-first"

    /// The mistake in a few words, for tallies (`predict off`, `adamlab grade`).
    public var title: String {
        switch self {
        case .forgotBiasCorrection: return "no bias correction"
        case .exponentTMinusOne: return "βᵗ⁻¹ for βᵗ"
        case .swappedBetas: return "β₁ and β₂ swapped"
        case .forgotSquareRoot: return "no square root"
        case .epsilonInsideRoot: return "ε inside the root"
        case .forgotLearningRate: return "no learning rate"
        case .wrongSign: return "wrong sign"
        case .squaredMomentNotGradient: return "m² for g²"
        case .usedMNotMHat: return "m for m̂"
        case .adamaxSumNotMax: return "sum for max"
        case .forgotOneMinus: return "βᵗ for 1 − βᵗ"
        case .usedGradientNotMoment: return "g for the moment"
        case .forgotPreviousState: return "previous value left out"
        case .addedBiasCorrection: return "bias correction that is off"
        case .adamaxNotDecayed: return "u not decayed"
        case .adamaxBiasCorrectedU: return "u bias-corrected"
        case .epsilonMisplaced: return "ε where this library has none"
        case .lpNormIsTheMax: return "the limit for a finite p"
        case .epsilonScaledToo: return "ε scaled too"
        case .updateScalesWithGradient: return "update scaled by c"
        case .adamwAsL2: return "L2 for decoupled decay"
        case .decayWithoutLearningRate: return "decay without lr"
        case .momentumAsAverage: return "momentum as an average"
        case .forgotDampening: return "no dampening"
        case .forgotLookAhead: return "no look-ahead"
        case .nadamAsAdam: return "Adam for NAdam"
        case .radamAsAdam: return "Adam for RAdam"
        case .expectedMIsG: return "g for E[m]"
        case .expectedMIsOneStep: return "one step for t"
        case .alphaSwappedBetas: return "β₁ and β₂ swapped in αₜ"
        case .alphaIsLearningRate: return "lr for αₜ"
        case .alphaWithoutRoot: return "no root in αₜ"
        case .sgdScaleInvariant: return "SGD taken as scale invariant"
        case .boundIsASize: return "a signed bound"
        case .boundOtherCase: return "the bound's other case"
        case .halfGradient: return "the 2 of d(w²)/dw dropped"
        case .rmspropNoForgetting: return "a sum for RMSprop's average"
        case .adagradThisGradientOnly: return "only this step's g² in AdaGrad"
        case .kerasEpsilonAsPaper: return "the paper's place for Keras's ε"
        case .stepForPosition: return "Δθ for θ"
        case .positionBeforeStep: return "θ before the step"
        case .alphaInverted: return "αₜ upside down"
        case .gradientDescentStep: return "gradient descent's −lr·g"
        case .epsilonLeftOut: return "ε left out"
        case .otherCoordinate: return "the other coordinate"
        case .rootOfTheMoment: return "its square root"
        case .positionForStep: return "θₜ for Δθ"
        case .bufferAtItsLimit: return "the limit g/(1 − μ)"
        case .adadeltaAsRMSprop: return "RMSprop's g/√E[g²]"
        case .epsRootOutside: return "ε_root outside the root"
        case .doublePrecision: return "double precision for float32"
        case .float32LearningRate: return "lr as typed in float32"
        case .weightsSwapped: return "β where 1 − β belongs"
        case .adamaxL2Norm: return "an L2 norm for the max"
        case .correctedTooSoon: return "the corrected value for the raw one"
        case .correctionIsZero: return "1 − βᵗ taken for 0"
        case .maxForgotten: return "this step's v for the maximum"
        case .vMaxOfCorrected: return "Optax's maximum of v̂"
        case .vMaxOfRaw: return "PyTorch's maximum of v"
        case .beliefAsAdam: return "Adam's v for AdaBelief's s"
        case .adamwDecayOnly: return "AdamW's decay alone"
        case .trueGradientForSampled: return "∇f for the sampled gₜ"
        case .perCoordinateClock: return "t counted per coordinate"
        case .scheduleFromT: return "t for t − 1 in the schedule"
        case .inverseForInverseRoot: return "lr/t for lr/√t"
        case .scheduleOneBehind: return "t − 1 where the schedule takes t"
        case .steepestForNewton: return "−g for −H⁻¹g"
        case .multipliedNotSolved: return "multiplied by the matrix, not solved with it"
        case .diagonalOnly: return "only the matrix's diagonal"
        case .firstStepIsLR: return "lr for L-BFGS's first τ"
        case .firstStepL2: return "1/‖g‖₂ for 1/Σ|gᵢ|"
        case .initialScaleOnly: return "−γg without the memory"
        case .a1AsAdam: return "Adam's own m̂ where (A.1) is asked"
        case .alphaOneCorrection: return "one correction in αₜ"
        case .averageFromFirst: return "an average started at the first value"
        }
    }

    public var explanation: String {
        switch self {
        case .forgotBiasCorrection:
            return
                "that is the value without bias correction: divide by 1 − βᵗ (the moments start at 0 and are biased towards it)"
        case .exponentTMinusOne:
            return "that uses β to the power t − 1; steps count from 1, so step t divides by 1 − βᵗ"
        case .swappedBetas:
            return "that has β₁ and β₂ swapped: β₁ belongs to the first moment m, β₂ to the second moment v"
        case .forgotSquareRoot:
            return
                "that leaves out a square root: the step divides by the root of the accumulated g², which has the units of g"
        case .epsilonInsideRoot:
            return "that puts ε inside the square root, √(v̂ + ε); the paper (and PyTorch) add it outside, √v̂ + ε"
        case .forgotLearningRate:
            return "that leaves out the learning rate: the step is lr times the rest"
        case .wrongSign:
            return
                "the size is right but the sign is not: a step moves against the gradient (θ − lr·…), and an average has the sign of what it averages"
        case .squaredMomentNotGradient:
            return "that averages the squared first moment m²; v averages the squared gradient g²"
        case .usedMNotMHat:
            return "that uses m, not the bias-corrected m̂, in the update"
        case .adamaxSumNotMax:
            return "that adds β₂u and |g|; AdaMax takes the larger of the two, u = max(β₂u, |g|)"
        case .forgotOneMinus:
            return "that is βᵗ; the bias-correction factor is 1 − βᵗ"
        case .usedGradientNotMoment:
            return "that uses the gradient g where its running average (the moment, or momentum's buffer) belongs"
        case .forgotPreviousState:
            return "that leaves out the previous value: the moving average is β·(previous) + (1 − β)·(new)"
        case .addedBiasCorrection:
            return
                "that is the bias-corrected value, but this run has bias_correction=off: m and v are used as they are"
        case .adamaxNotDecayed:
            return "that takes max(u, |g|) without decaying u first: AdaMax shrinks the old maximum, u = max(β₂·u, |g|)"
        case .adamaxBiasCorrectedU:
            return
                "that divides u by 1 − β₂ᵗ; u needs no bias correction (a maximum of |g| is not pulled towards 0), only m does"
        case .epsilonMisplaced:
            return
                "that puts ε where this convention does not: PyTorch and Optax add it inside the max (|g| + ε), Keras to u in the denominator, the paper nowhere"
        case .lpNormIsTheMax:
            return
                "that is the limit p → ∞, the infinity norm u; at a finite p the moment is smaller: the factor (1 − β₂ᵖ)^(1/p) is below 1, and every past |gᵢ| counts, weighted by β₂^(p(t−i))"
        case .epsilonScaledToo:
            return
                "that is the unscaled update: the scale invariance you found holds, and the scaled step differs from it only by ε's share, since ε stays fixed and the scaled run behaves as if ε were ε/c"
        case .updateScalesWithGradient:
            return
                "that multiplies the update by c; c cancels between m̂ and √v̂, so Adam's step is (nearly) the same at any gradient scale"
        case .adamwAsL2:
            return
                "that folds the decay into the gradient (L2, Adam with weight_decay); AdamW decouples it: θ shrinks by lr·λ·θ outside the adaptive step"
        case .decayWithoutLearningRate:
            return "that decays θ by λ·θ; the decay is multiplied by the learning rate: θ ← θ − lr·λ·θ"
        case .momentumAsAverage:
            return
                "that averages, μ·buf + (1 − μ)·g; PyTorch's momentum adds the whole gradient: buf = μ·buf + (1 − dampening)·g, and buf₁ = g"
        case .forgotDampening:
            return "that leaves out dampening: g enters the buffer as (1 − dampening)·g"
        case .forgotLookAhead:
            return
                "that is heavy-ball momentum's step, −lr·buf; Nesterov steps along g + μ·buf, the gradient plus a look-ahead"
        case .nadamAsAdam:
            return
                "that is Adam's update; NAdam puts this step's gradient into the momentum term (Nesterov) with its schedule μₜ"
        case .radamAsAdam:
            return
                "that is Adam's update; RAdam takes an un-adapted step −lr·m̂ while ρₜ ≤ 5 and rectifies the adaptive one by rₜ after"
        case .expectedMIsG:
            return
                "that is g itself; m starts at 0, so after t steps of a constant g it has only reached (1 − β₁ᵗ)·g"
        case .expectedMIsOneStep:
            return "that is m after one step, (1 − β₁)·g; after t steps of the same g it is (1 − β₁ᵗ)·g"
        case .alphaSwappedBetas:
            return "that has β₁ and β₂ swapped: αₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)"
        case .alphaIsLearningRate:
            return "that is lr itself; αₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) folds both bias corrections into the step size"
        case .alphaWithoutRoot:
            return "that uses 1 − β₂ᵗ without its square root: αₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)"
        case .boundIsASize:
            return "a bound is a size: it bounds |Δθ|, whichever way the step goes, so it is positive"
        case .boundOtherCase:
            return
                "that is the paper's other case: the bound is lr·(1 − β₁)/√(1 − β₂) when 1 − β₁ > √(1 − β₂), else lr; compare the two here"
        case .stepForPosition:
            return "that is the step Δθ; the question asks where θ lands: θₜ = θₜ₋₁ + Δθ"
        case .positionBeforeStep:
            return "that is θ before this step; θₜ adds this step's Δθ to it"
        case .alphaInverted:
            return "that has the ratio upside down: αₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ)"
        case .gradientDescentStep:
            return
                "that is gradient descent's step, −lr·g; Adam divides by √v̂, so its step is about lr whatever the size of g"
        case .epsilonLeftOut:
            return
                "that leaves ε out; this formula has one: after √v̂ in Adam, under both roots in AdaDelta, with |g| inside AdaMax's max in PyTorch and Optax, added to u in Keras's AdaMax"
        case .otherCoordinate:
            return "that is the value for another coordinate; they count from 0: [0] is x, [1] is y"
        case .rootOfTheMoment:
            return "that is its square root, what the step divides by; the average itself is of g², in the units of g²"
        case .positionForStep:
            return "that is where θ lands, θₜ; the step is the change, Δθ = θₜ − θₜ₋₁"
        case .bufferAtItsLimit:
            return
                "that is the limit g/(1 − μ), reached only as t → ∞; after t steps of the same g the buffer is (1 − μᵗ)/(1 − μ)·g"
        case .adadeltaAsRMSprop:
            return
                "that is g/√E[g²], RMSprop's step with lr = 1; AdaDelta multiplies it by √(E[Δx²] + ε), the RMS of its own past steps"
        case .doublePrecision:
            return
                "that is the step in double precision; float32 rounds every operation to about 7 digits, so ε can vanish next to √v̂ and lr is stored as the nearest float32"
        case .float32LearningRate:
            return
                "ε does vanish next to √v̂, but lr is not kept as typed: float32 stores the nearest float32 to it (0.1 becomes 0.100000001)"
        case .weightsSwapped:
            return
                "that weighs the new value by β and the old by 1 − β; a moving average keeps β of the old and takes 1 − β of the new: β·(previous) + (1 − β)·(new)"
        case .adamaxL2Norm:
            return
                "that is a root of (averaged) squares, an L2 norm, as Adam's √v; AdaMax's u is the infinity norm: the largest |g|, decayed, u = max(β₂·u, |g|)"
        case .correctedTooSoon:
            return
                "that is the bias-corrected value (divided by 1 − βᵗ); the moment itself is the raw running average, before any correction"
        case .trueGradientForSampled:
            return
                "that uses the true gradient ∇f; the optimizer never sees ∇f, only this step's sampled gₜ (its noise, its minibatch, a sparse coordinate's 0)"
        case .perCoordinateClock:
            return
                "that treats this coordinate's first nonzero gradient as step 1, where m̂ = g and v̂ = g²; Adam's t is the step number, the same for every coordinate, so late in a run 1 − β₁ᵗ is nearly 1 and m̂ is about (1 − β₁)·g"
        case .scheduleFromT:
            return
                "that is one step ahead; torch steps the scheduler after each optimizer step, so step t runs with the lr after t − 1 scheduler steps (step 1 with the base lr)"
        case .inverseForInverseRoot:
            return "that divides by t; the paper's decay divides by the square root: lrₜ = lr/√t"
        case .scheduleOneBehind:
            return
                "that is the step before's lr; the paper's decay is written in the step number itself, lrₜ = lr/√t (step 1 runs with lr/√1 = lr): there is no t − 1 to take, unlike torch's schedulers that count their own steps"
        case .steepestForNewton:
            return
                "that goes along −g, steepest descent's direction; a second-order direction solves H·d = −g (the natural gradient: G·d = −g), bending −g by the curvature"
        case .multipliedNotSolved:
            return
                "that multiplies g by the matrix (−H·g, or −G·g for a metric) instead of solving with it: seed 003's slip. Solving shrinks the step where the curvature is high; multiplying makes it larger there"
        case .diagonalOnly:
            return
                "that divides each gᵢ by the matrix's diagonal entry alone (Hᵢᵢ, or Gᵢᵢ), all a per-coordinate method such as Adam can see; the off-diagonal entries couple the coordinates, and solving with the whole matrix accounts for them"
        case .firstStepIsLR:
            return
                "that is lr; with nothing in its memory yet, torch's L-BFGS shrinks its very first step to min(1, 1/Σ|gᵢ|)·lr"
        case .firstStepL2:
            return
                "that divides by the Euclidean norm ‖g‖₂; torch divides by the sum of the |gᵢ|: τ = min(1, 1/Σ|gᵢ|)·lr"
        case .averageFromFirst:
            return
                "that starts the average at the first value itself (g₁, or g₁²); it starts at 0, so after one step it holds only (1 − β) of it, the shortfall the bias correction makes up"
        case .alphaOneCorrection:
            return
                "that folds in only one of the two corrections; αₜ = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) takes both: 1 − β₁ᵗ for m and the root of 1 − β₂ᵗ for v"
        case .a1AsAdam:
            return
                "that is Adam's own step; (A.1) divides m by 1 − β₂ᵗ (0.001 at t = 1 for β₂ = 0.999) where Adam divides by 1 − β₁ᵗ (0.1), so its m̂, and its step, are 100 times larger"
        case .initialScaleOnly:
            return
                "that is −γg, where the two-loop recursion starts (H₀ = γI); the pairs (s, y) in memory then bend it towards −H⁻¹g"
        case .adamwDecayOnly:
            return "that is only AdamW's decay, −lr·λ·θ; the step is that plus Adam's own step on the gradient"
        case .beliefAsAdam:
            return
                "that averages g² as Adam's v does; AdaBelief averages the squared surprise (g − m)², how far g is from the m it predicted"
        case .maxForgotten:
            return
                "that is this step's v; AMSGrad keeps the largest v so far, v_max = max(v_max, v), so its denominator never shrinks"
        case .vMaxOfCorrected:
            return
                "that is the maximum of the corrected v̂, as optax.amsgrad keeps it; PyTorch and Keras keep the maximum of the raw v and divide it by 1 − β₂ᵗ after"
        case .vMaxOfRaw:
            return
                "that is the maximum of the raw v, as PyTorch and Keras keep it; optax.amsgrad keeps the maximum of the corrected v̂ = v/(1 − β₂ᵗ)"
        case .correctionIsZero:
            return
                "1 − βᵗ is small early on, but not 0: at t = 1 it is 1 − β itself (0.001 for β = 0.999), and dividing by it is what scales the first moments up"
        case .epsRootOutside:
            return "that adds ε_root after the root; Optax puts it under the root: √(v̂ + ε_root) + ε"
        case .halfGradient:
            return "that is half of it, as if the derivative of w² were w; it is 2w (and 2c·w for c·w²)"
        case .rmspropNoForgetting:
            return
                "that adds g² to the old value, AdaGrad's sum; RMSprop forgets: square_avg = α·square_avg + (1 − α)·g²"
        case .adagradThisGradientOnly:
            return
                "that divides by this step's |g| alone; AdaGrad divides by the root of the sum of every g² so far, which only grows"
        case .kerasEpsilonAsPaper:
            return
                "that adds ε to the corrected √v̂, as the paper does; Keras adds it to the uncorrected √v, so the same ε weighs 1/√(1 − β₂ᵗ) times more"
        case .sgdScaleInvariant:
            return
                "that is the unscaled step; SGD's step is lr times the gradient (momentum's too), so c times the gradients is c times the step"
        }
    }
}
