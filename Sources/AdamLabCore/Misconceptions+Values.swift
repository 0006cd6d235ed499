// The value each mistake gives, computed from a step's own numbers: how a wrong answer is recognised.

import RealModule

/// What the misconceptions are computed from: one step and the state before it.
public struct StepContext: Sendable {
    public var record: StepRecord<Double>
    /// State vectors after step t − 1 (empty at t = 1, meaning zeros).
    public var previous: [Quantity: [Double]]
    public var hyper: Hyperparameters
    public var kind: OptimizerKind

    public init(record: StepRecord<Double>, previous: [Quantity: [Double]], hyper: Hyperparameters, kind: OptimizerKind)
    {
        self.record = record
        self.previous = previous
        self.hyper = hyper
        self.kind = kind
    }

    /// SGD, with or without (Nesterov) momentum: torch.optim.SGD's one rule.
    var isSGD: Bool { [.sgd, .momentum, .nesterov].contains(kind) }

    /// The wrong values a learner might give for `q` at coordinate `i`, each with the mistake behind it.
    public func misconceptions(for q: Quantity, coordinate i: Int) -> [(Misconception, Double)] {
        guard var v = MistakenValues(self, coordinate: i) else { return [] }
        if q == .update, let next = v.value(.thetaNext) { v.add(.positionForStep, next) }
        v.moments(q)
        v.updates(q)
        v.state(q)
        return v.out
    }

    /// Wrong directions for a second-order step at coordinate i: steepest descent, the matrix multiplied
    /// instead of solved, its diagonal alone (Newton, natural gradient); L-BFGS's −γg before the memory.
    func secondOrderDirections(coordinate i: Int, g: Double) -> [(Misconception, Double)] {
        guard let c = record.curvature, let right = record.vectors[.direction]?[i] else { return [] }
        let gradient = record.vectors[.g] ?? []
        var out: [(Misconception, Double)] = [(.wrongSign, -right)]
        if right != -g { out.append((.steepestForNewton, -g)) }
        let n = gradient.count
        if c.matrix.count == n * n, n > 0 {
            let row = (0..<n).reduce(0.0) { $0 + c.matrix[i * n + $1] * gradient[$1] }
            out.append((.multipliedNotSolved, -row))
            let diagonal = c.matrix[i * n + i]
            if diagonal != 0 { out.append((.diagonalOnly, -g / diagonal)) }
        }
        if kind == .lbfgs, !c.pairs.isEmpty, let gamma = c.initialScale { out.append((.initialScaleOnly, -gamma * g)) }
        return out.filter { $0.1.isFinite && $0.1 != right }
    }

    /// The wrong values for a scalar quantity of the step (αₜ), each with the mistake behind it.
    public func scalarMisconceptions(for q: Quantity) -> [(Misconception, Double)] {
        if q == .stepLength, kind == .lbfgs, record.t == 1, let g = record.vectors[.g] {
            // The first iteration's τ = min(1, 1/Σ|gᵢ|)·lr.
            let lr = hyper.lr
            let l2 = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return [(.firstStepIsLR, lr), (.firstStepL2, Swift.min(1, 1 / l2) * lr)].filter {
                $0.1.isFinite && $0.1 != record.scalars[.stepLength]
            }
        }
        if q == .lrScheduled, hyper.schedule != .none {
            // A schedule one step ahead, and the paper's decay by t instead of √t.
            var out = [(Misconception.scheduleFromT, hyper.closedFormLR(at: record.t + 1))]
            if hyper.schedule == .invSqrt {
                out.append((.inverseForInverseRoot, hyper.lr / Double(record.t)))
                if record.t > 1 { out.append((.scheduleOneBehind, hyper.lr / Double(record.t - 1).squareRoot())) }
            }
            return out.filter { $0.1.isFinite }
        }
        guard q == .lrT, [.adam, .adamw, .adabelief].contains(kind), hyper.biasCorrection else { return [] }
        let t = Double(record.t), lr = record.scalars[.lrScheduled] ?? hyper.lr
        let bc1 = Reference.biasCorrection(beta: hyper.beta1, t: t),
            bc2 = Reference.biasCorrection(beta: hyper.beta2, t: t)
        var out: [(Misconception, Double)] = [
            (.alphaIsLearningRate, lr),
            (.alphaWithoutRoot, lr * bc2 / bc1),
            (.alphaSwappedBetas, lr * bc1.squareRoot() / bc2),
            (.alphaInverted, lr * bc1 / bc2.squareRoot()),
            (.alphaOneCorrection, lr / bc1),
            (.alphaOneCorrection, lr * bc2.squareRoot()),
        ]
        if record.t > 1 {
            let early1 = Reference.biasCorrection(beta: hyper.beta1, t: t - 1),
                early2 = Reference.biasCorrection(beta: hyper.beta2, t: t - 1)
            out.append((.exponentTMinusOne, lr * early2.squareRoot() / early1))
        }
        return out.filter { $0.1.isFinite }
    }

    /// Wrong values that need every gradient so far (one vector per step), per coordinate.
    public func historyMisconceptions(for q: Quantity, gradients: [[Double]]) -> [(Misconception, [Double])] {
        guard let n = gradients.first?.count else { return [] }
        if q == .buf, isSGD, hyper.momentum != 0 {
            // Momentum as a moving average from 0 all along: μ·a + (1 − μ)·g.
            let mom = hyper.momentum
            return [(.momentumAsAverage, (0..<n).map { c in gradients.reduce(0) { mom * $0 + (1 - mom) * $1[c] } })]
        }
        guard q == .u else { return [] }
        // The plain sum of every |gᵢ|, neither decayed nor a maximum; and the largest |gᵢ| never decayed
        // (a spike kept at its full size however long ago it came).
        // And the L2 norm of the history, √(Σ gᵢ²), decayed or not, where AdaMax takes the max.
        let b2 = hyper.beta2, t = gradients.count
        return [
            (.adamaxSumNotMax, (0..<n).map { c in gradients.reduce(0) { $0 + abs($1[c]) } }),
            (.adamaxNotDecayed, (0..<n).map { c in gradients.map { abs($0[c]) }.max() ?? 0 }),
            (.adamaxL2Norm, (0..<n).map { c in gradients.reduce(0) { $0 + $1[c] * $1[c] }.squareRoot() }),
            (
                .adamaxL2Norm,
                (0..<n).map { c in
                    gradients.enumerated().reduce(0) { sum, step in
                        let decayed = Double.pow(b2, Double(t - 1 - step.offset)) * step.element[c]
                        return sum + decayed * decayed
                    }.squareRoot()
                }
            ),
        ]
    }

    /// Wrong values for the bias-correction factor 1 − βᵗ.
    public static func biasCorrectionMisconceptions(beta: Double, otherBeta: Double, t: Int) -> [(
        Misconception, Double
    )] {
        var out: [(Misconception, Double)] = [
            (.forgotOneMinus, Double.pow(beta, Double(t))),
            (.swappedBetas, Reference.biasCorrection(beta: otherBeta, t: t)),
        ]
        if t > 1 { out.append((.exponentTMinusOne, Reference.biasCorrection(beta: beta, t: t - 1))) }
        out.append((.correctionIsZero, 0))
        return out
    }
}

/// The numbers one coordinate's mistakes are computed from, and the mistakes found so far: each family
/// of quantities adds its own.
private struct MistakenValues {
    let context: StepContext
    let i: Int
    let t: Double, b1: Double, b2: Double, lr: Double, eps: Double, g: Double
    let bc1: Double, bc2: Double, bc1Early: Double, bc2Early: Double
    /// A stochastic objective's step: the same computation from the true gradient ∇f.
    let trueGradient: Double?
    /// A coordinate whose gradient was 0 at every step before (a sparse one) meets its first at t > 1.
    let firstSeen: Bool
    var out: [(Misconception, Double)] = []

    init?(_ context: StepContext, coordinate i: Int) {
        self.context = context
        self.i = i
        let record = context.record, hyper = context.hyper
        guard let g = record.vectors[.g]?[i] else { return nil }
        self.g = g
        t = Double(record.t)
        (b1, b2, eps) = (hyper.beta1, hyper.beta2, hyper.eps)
        lr = record.scalars[.lrScheduled] ?? hyper.lr
        (bc1, bc2) = (Reference.biasCorrection(beta: b1, t: t), Reference.biasCorrection(beta: b2, t: t))
        bc1Early = Reference.biasCorrection(beta: b1, t: t - 1)
        bc2Early = Reference.biasCorrection(beta: b2, t: t - 1)
        let gradF = record.vectors[.gradF]?[i]
        trueGradient = gradF.flatMap { $0 != g ? $0 : nil }
        let before = { (q: Quantity) in context.previous[q]?[i] ?? 0 }
        firstSeen = record.t > 1 && before(.m) == 0 && before(.v) == 0 && g != 0
    }

    var record: StepRecord<Double> { context.record }
    var hyper: Hyperparameters { context.hyper }
    var kind: OptimizerKind { context.kind }
    var isSGD: Bool { context.isSGD }
    func value(_ q: Quantity) -> Double? { record.vectors[q]?[i] }
    func before(_ q: Quantity) -> Double { context.previous[q]?[i] ?? 0 }
    func secondOrderDirections(coordinate i: Int, g: Double) -> [(Misconception, Double)] {
        context.secondOrderDirections(coordinate: i, g: g)
    }
    mutating func add(_ m: Misconception, _ x: Double) { if x.isFinite { out.append((m, x)) } }

    /// The moments, the gradient and where θ lands.
    mutating func moments(_ q: Quantity) {
        switch q {
        case .m:
            if let d = trueGradient { add(.trueGradientForSampled, b1 * before(.m) + (1 - b1) * d) }
            add(.swappedBetas, b2 * before(.m) + (1 - b2) * g)
            add(.forgotPreviousState, (1 - b1) * g)
            add(.usedGradientNotMoment, g)
            add(.weightsSwapped, (1 - b1) * before(.m) + b1 * g)
            if let m = value(.m), hyper.biasCorrection { add(.correctedTooSoon, m / bc1) }
            // At step 2 the average started at g₁ itself, not at 0: β₁·g₁ + (1 − β₁)·g₂.
            if record.t == 2 { add(.averageFromFirst, b1 * (before(.m) / (1 - b1)) + (1 - b1) * g) }
        case .v:
            add(.swappedBetas, b1 * before(.v) + (1 - b1) * g * g)
            add(.forgotPreviousState, (1 - b2) * g * g)
            if let m = value(.m) { add(.squaredMomentNotGradient, b2 * before(.v) + (1 - b2) * m * m) }
            add(.weightsSwapped, (1 - b2) * before(.v) + b2 * g * g)
            if let v = value(.v), hyper.biasCorrection { add(.correctedTooSoon, v / bc2) }
            if record.t == 2 { add(.averageFromFirst, b2 * (before(.v) / (1 - b2)) + (1 - b2) * g * g) }
        case .mHat:
            guard let m = value(.m) else { break }
            if firstSeen { add(.perCoordinateClock, m / (1 - b1)) }
            if !hyper.biasCorrection { add(.addedBiasCorrection, m / bc1) }
            add(.forgotBiasCorrection, m)
            if record.t > 1 { add(.exponentTMinusOne, m / bc1Early) }
            add(.swappedBetas, m / bc2)
            add(.forgotOneMinus, m / Double.pow(b1, t))
        case .vHat:
            guard let v = value(.v) else { break }
            if firstSeen { add(.perCoordinateClock, v / (1 - b2)) }
            if let vHat = value(.vHat) { add(.rootOfTheMoment, vHat.squareRoot()) }
            if !hyper.biasCorrection { add(.addedBiasCorrection, v / bc2) }
            add(.forgotBiasCorrection, v)
            if record.t > 1 { add(.exponentTMinusOne, v / bc2Early) }
            add(.swappedBetas, v / bc1)
            add(.forgotOneMinus, v / Double.pow(b2, t))
            if let m = value(.m) {
                let wrongV = b2 * before(.v) + (1 - b2) * m * m
                add(.squaredMomentNotGradient, wrongV / bc2)
            }
        case .g:
            add(.halfGradient, g / 2)
            if let d = trueGradient { add(.trueGradientForSampled, d) }
        case .thetaNext:
            guard let theta = value(.theta), let step = value(.update) else { break }
            add(.stepForPosition, step)
            add(.positionBeforeStep, theta)
            if isSGD && hyper.momentum == 0 {
                add(.wrongSign, theta + lr * g)
                add(.forgotLearningRate, theta - g)
                add(.halfGradient, theta - lr * g / 2)
            }
        default: break
        }
    }

    /// Δθ, optimizer by optimizer.
    mutating func updates(_ q: Quantity) {
        switch q {
        case .update where isSGD && hyper.momentum == 0:
            if let d = trueGradient { add(.trueGradientForSampled, -lr * d) }
            add(.wrongSign, lr * g)
            add(.forgotLearningRate, -g)
            add(.halfGradient, -lr * g / 2)
        case .update where kind == .adam || kind == .adamw:
            guard let m = value(.m), let v = value(.v), let mHat = value(.mHat), let vHat = value(.vHat) else { break }
            let right = -lr * mHat / (vHat.squareRoot() + eps)
            // AdamW's Δθ includes its decay, −lr·λ·θ: each mistake below is in Adam's part, the decay kept.
            let decoupled = (kind == .adamw || hyper.decoupledWeightDecay) && hyper.weightDecay != 0
            let decay = decoupled ? (value(.update) ?? right) - right : 0
            func addAdam(_ m: Misconception, _ x: Double) { add(m, x + decay) }
            let withoutEps = -lr * mHat / vHat.squareRoot()
            // In float32 an ε below the last bit of √v̂ is lost in the rounding: leaving it out is then no
            // mistake, but keeping lr as typed is.
            let root = Float(vHat.squareRoot())
            let epsLost = hyper.dtype == .float32 && root + Float(eps) == root
            if hyper.dtype == .float32 {
                if epsLost { addAdam(.float32LearningRate, withoutEps) }
                addAdam(.doublePrecision, right)
            }
            if hyper.convention == .keras { addAdam(.kerasEpsilonAsPaper, right) }
            if hyper.variant == "a1" { addAdam(.a1AsAdam, -lr * (m / bc1) / (vHat.squareRoot() + eps)) }
            addAdam(.gradientDescentStep, -lr * g)
            if firstSeen { addAdam(.perCoordinateClock, -lr * g / (abs(g) + eps)) }
            if let d = trueGradient {
                let mTrue = b1 * before(.m) + (1 - b1) * d, vTrue = b2 * before(.v) + (1 - b2) * d * d
                addAdam(.trueGradientForSampled, -lr * (mTrue / bc1) / ((vTrue / bc2).squareRoot() + eps))
            }
            if !epsLost { addAdam(.epsilonLeftOut, withoutEps) }
            if hyper.epsRoot != 0 { addAdam(.epsRootOutside, -lr * mHat / (vHat.squareRoot() + hyper.epsRoot + eps)) }
            addAdam(.forgotBiasCorrection, -lr * m / (v.squareRoot() + eps))
            addAdam(.forgotSquareRoot, -lr * mHat / (vHat + eps))
            addAdam(.epsilonInsideRoot, -lr * mHat / (vHat + eps).squareRoot())
            addAdam(.forgotLearningRate, -mHat / (vHat.squareRoot() + eps))
            out.append((.wrongSign, -(right + decay)))
            if decoupled { out.append((.adamwDecayOnly, decay)) }
            addAdam(.usedMNotMHat, -lr * m / (vHat.squareRoot() + eps))
            if record.t > 1 {
                // At t = 1, m̂ is g: using g is no mistake.
                addAdam(.usedGradientNotMoment, -lr * g / (vHat.squareRoot() + eps))
                addAdam(.exponentTMinusOne, -lr * (m / bc1Early) / ((v / bc2Early).squareRoot() + eps))
            }
            addAdam(.swappedBetas, -lr * (m / bc2) / ((v / bc1).squareRoot() + eps))
            if !hyper.biasCorrection { addAdam(.addedBiasCorrection, -lr * (m / bc1) / ((v / bc2).squareRoot() + eps)) }
            if decoupled, let theta = value(.theta), let recorded = value(.update) {
                let wd = hyper.weightDecay
                let d = g + wd * theta
                let mL2 = b1 * before(.m) + (1 - b1) * d
                let vL2 = b2 * before(.v) + (1 - b2) * d * d
                out.append((.adamwAsL2, -lr * (mL2 / bc1) / ((vL2 / bc2).squareRoot() + eps)))
                out.append((.decayWithoutLearningRate, recorded + lr * wd * theta - wd * theta))
            }
        case .update where kind == .adamax:
            guard let m = value(.m), let u = value(.u) else { break }
            add(.forgotBiasCorrection, -lr * m / u)
            add(.usedGradientNotMoment, -lr * g / u)
            add(.forgotLearningRate, -(m / bc1) / u)
            add(.adamaxBiasCorrectedU, -lr * (m / bc1) / (u / bc2))
            // Keras adds ε to u: without it, ε is left out; elsewhere ε there is ε in Keras's place.
            if hyper.convention == .keras {
                add(.epsilonLeftOut, -lr * (m / bc1) / u)
            } else {
                add(.epsilonMisplaced, -lr * (m / bc1) / (u + eps))
            }
        case .update where kind == .rmsprop && !hyper.centered && hyper.momentum == 0:
            guard let sq = value(.squareAvg) else { break }
            add(.epsilonInsideRoot, -lr * g / (sq + eps).squareRoot())
            add(.forgotSquareRoot, -lr * g / (sq + eps))
            add(.forgotLearningRate, -g / (sq.squareRoot() + eps))
        case .update where kind == .adagrad:
            guard let sum = value(.sum), let lrT = record.scalars[.lrT] else { break }
            add(.epsilonInsideRoot, -lrT * g / (sum + eps).squareRoot())
            add(.forgotSquareRoot, -lrT * g / (sum + eps))
            add(.adagradThisGradientOnly, -lrT * g / (abs(g) + eps))
        case .update where isSGD && hyper.momentum != 0:
            guard let buf = value(.buf) else { break }
            add(.usedGradientNotMoment, -lr * g)
            add(.forgotLearningRate, hyper.nesterov ? -(g + hyper.momentum * buf) : -buf)
            if hyper.nesterov { add(.forgotLookAhead, -lr * buf) }
        case .update where kind.isSecondOrder && (record.curvature?.iterations ?? 0) <= 1:
            // The same wrong directions times the step length (Δθ = τ·d when the step is one iteration).
            let tau = record.scalars[.stepLength] ?? lr
            for (m, d) in secondOrderDirections(coordinate: i, g: g) { add(m, tau * d) }
            if let d = value(.direction), tau != 1 { add(.forgotLearningRate, d) }
        case .update where kind == .adadelta:
            guard let sq = value(.squareAvg) else { break }
            add(.adadeltaAsRMSprop, -lr * g / (sq + eps).squareRoot())
            add(.epsilonLeftOut, -lr * (before(.accDelta).squareRoot() / sq.squareRoot()) * g)
        case .update where kind == .nadam || kind == .radam:
            guard let m = value(.m), let v = value(.v) else { break }
            let adam = -lr * (m / bc1) / ((v / bc2).squareRoot() + eps)
            add(kind == .nadam ? .nadamAsAdam : .radamAsAdam, adam)
        default: break
        }
    }

    /// Each optimizer's own state, and a second-order step's direction.
    mutating func state(_ q: Quantity) {
        switch q {
        case .s where kind == .adabelief:
            add(.beliefAsAdam, b2 * before(.s) + (1 - b2) * g * g + eps)
            if let s = value(.s) { add(.correctedTooSoon, s / bc2) }
            if let m = value(.m) { add(.forgotPreviousState, (1 - b2) * (g - m) * (g - m) + eps) }
        case .vMax:
            guard let v = value(.v), let vMax = value(.vMax) else { break }
            if hyper.convention == .optax {
                // The raw maximum, from the raw v before and now (Optax's own state holds the corrected one).
                add(.vMaxOfRaw, Swift.max(before(.v), v))
            } else {
                if v != vMax { add(.maxForgotten, v) }
                add(.vMaxOfCorrected, Swift.max(before(.vMax), v / bc2))
            }
        case .squareAvg where kind == .rmsprop:
            add(.rmspropNoForgetting, before(.squareAvg) + g * g)
            add(.forgotPreviousState, (1 - hyper.alpha) * g * g)
            add(.weightsSwapped, (1 - hyper.alpha) * before(.squareAvg) + hyper.alpha * g * g)
            let alpha = hyper.alpha
            if record.t == 2 {
                add(.averageFromFirst, alpha * (before(.squareAvg) / (1 - alpha)) + (1 - alpha) * g * g)
            }
        case .squareAvg where kind == .adadelta:
            add(.weightsSwapped, (1 - hyper.rho) * before(.squareAvg) + hyper.rho * g * g)
            add(.forgotPreviousState, (1 - hyper.rho) * g * g)
        case .gradAvg where kind == .rmsprop:
            add(.weightsSwapped, (1 - hyper.alpha) * before(.gradAvg) + hyper.alpha * g)
        case .buf where isSGD:
            let mom = hyper.momentum
            if hyper.dampening == 0 && mom < 1 { add(.bufferAtItsLimit, g / (1 - mom)) }
            add(.momentumAsAverage, record.t == 1 ? (1 - mom) * g : mom * before(.buf) + (1 - mom) * g)
            if hyper.dampening != 0 && record.t > 1 { add(.forgotDampening, mom * before(.buf) + g) }
        case .direction where kind.isSecondOrder:
            for (m, d) in secondOrderDirections(coordinate: i, g: g) { add(m, d) }
        case .u:
            // From u = 0 (the first step) a sum, |g| alone and an undecayed max all give max(0, |g|).
            if before(.u) != 0 {
                add(.adamaxSumNotMax, b2 * before(.u) + abs(g))
                add(.usedGradientNotMoment, abs(g))
                add(.adamaxNotDecayed, Swift.max(before(.u), abs(g)))
            }
            if let u = value(.u) { add(.adamaxBiasCorrectedU, u / bc2) }
            // Roots of averaged squares, Adam's way, where AdaMax takes the max (from the true previous u).
            if before(.u) != 0 {
                add(.adamaxL2Norm, (b2 * before(.u) * before(.u) + (1 - b2) * g * g).squareRoot())
                add(.adamaxL2Norm, ((b2 * before(.u)) * (b2 * before(.u)) + g * g).squareRoot())
            }
            switch hyper.convention {
            // PyTorch and Optax add ε inside the max: the max without it leaves ε out.
            case .pytorch, .optax: add(.epsilonLeftOut, Swift.max(b2 * before(.u), abs(g)))
            case .keras, .paper: add(.epsilonMisplaced, Swift.max(b2 * before(.u), abs(g) + Swift.max(eps, 1e-8)))
            }
        default: break
        }
    }

}
