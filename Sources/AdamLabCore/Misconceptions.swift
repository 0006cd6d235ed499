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
            return "that divides by v̂ itself; Adam divides by its square root √v̂, which has the units of g"
        case .epsilonInsideRoot:
            return "that puts ε inside the square root, √(v̂ + ε); the paper (and PyTorch) add it outside, √v̂ + ε"
        case .forgotLearningRate:
            return "that leaves out the learning rate: the step is lr times m̂/(√v̂ + ε)"
        case .wrongSign:
            return "the size is right but the sign is not (an update moves against the gradient: θ − lr·…)"
        case .squaredMomentNotGradient:
            return "that averages the squared first moment m²; v averages the squared gradient g²"
        case .usedMNotMHat:
            return "that uses m, not the bias-corrected m̂, in the update"
        case .adamaxSumNotMax:
            return "that adds β₂u and |g|; AdaMax takes the larger of the two, u = max(β₂u, |g|)"
        case .forgotOneMinus:
            return "that is βᵗ; the bias-correction factor is 1 − βᵗ"
        case .usedGradientNotMoment:
            return "that uses the gradient g where the moment belongs"
        case .forgotPreviousState:
            return "that leaves out the previous value: the moving average is β·(previous) + (1 − β)·(new)"
        case .addedBiasCorrection:
            return
                "that is the bias-corrected value, but this run has bias_correction=off: m and v are used as they are"
        }
    }
}

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

    /// The wrong values a learner might give for `q` at coordinate `i`, each with the mistake behind it.
    public func misconceptions(for q: Quantity, coordinate i: Int) -> [(Misconception, Double)] {
        let t = Double(record.t)
        let b1 = hyper.beta1, b2 = hyper.beta2, lr = hyper.lr, eps = hyper.eps
        func value(_ q: Quantity) -> Double? { record.vectors[q]?[i] }
        func before(_ q: Quantity) -> Double { previous[q]?[i] ?? 0 }
        guard let g = value(.g) else { return [] }
        let bc1 = 1 - Double.pow(b1, t), bc2 = 1 - Double.pow(b2, t)
        let bc1Early = 1 - Double.pow(b1, t - 1), bc2Early = 1 - Double.pow(b2, t - 1)
        var out: [(Misconception, Double)] = []
        func add(_ m: Misconception, _ x: Double) { if x.isFinite { out.append((m, x)) } }

        switch q {
        case .m:
            add(.swappedBetas, b2 * before(.m) + (1 - b2) * g)
            add(.forgotPreviousState, (1 - b1) * g)
            add(.usedGradientNotMoment, g)
        case .v:
            add(.swappedBetas, b1 * before(.v) + (1 - b1) * g * g)
            add(.forgotPreviousState, (1 - b2) * g * g)
            if let m = value(.m) { add(.squaredMomentNotGradient, b2 * before(.v) + (1 - b2) * m * m) }
        case .mHat:
            guard let m = value(.m) else { break }
            if !hyper.biasCorrection { add(.addedBiasCorrection, m / bc1) }
            add(.forgotBiasCorrection, m)
            if record.t > 1 { add(.exponentTMinusOne, m / bc1Early) }
            add(.swappedBetas, m / bc2)
            add(.forgotOneMinus, m / Double.pow(b1, t))
        case .vHat:
            guard let v = value(.v) else { break }
            if !hyper.biasCorrection { add(.addedBiasCorrection, v / bc2) }
            add(.forgotBiasCorrection, v)
            if record.t > 1 { add(.exponentTMinusOne, v / bc2Early) }
            add(.swappedBetas, v / bc1)
            add(.forgotOneMinus, v / Double.pow(b2, t))
            if let m = value(.m) {
                let wrongV = b2 * before(.v) + (1 - b2) * m * m
                add(.squaredMomentNotGradient, wrongV / bc2)
            }
        case .update where kind == .adam || kind == .adamw:
            guard let m = value(.m), let v = value(.v), let mHat = value(.mHat), let vHat = value(.vHat) else { break }
            let right = -lr * mHat / (vHat.squareRoot() + eps)
            add(.forgotBiasCorrection, -lr * m / (v.squareRoot() + eps))
            add(.forgotSquareRoot, -lr * mHat / (vHat + eps))
            add(.epsilonInsideRoot, -lr * mHat / (vHat + eps).squareRoot())
            add(.forgotLearningRate, -mHat / (vHat.squareRoot() + eps))
            add(.wrongSign, -right)
            add(.usedMNotMHat, -lr * m / (vHat.squareRoot() + eps))
            add(.usedGradientNotMoment, -lr * g / (vHat.squareRoot() + eps))
            if record.t > 1 {
                add(.exponentTMinusOne, -lr * (m / bc1Early) / ((v / bc2Early).squareRoot() + eps))
            }
            add(.swappedBetas, -lr * (m / bc2) / ((v / bc1).squareRoot() + eps))
            if !hyper.biasCorrection { add(.addedBiasCorrection, -lr * (m / bc1) / ((v / bc2).squareRoot() + eps)) }
        case .u:
            add(.adamaxSumNotMax, b2 * before(.u) + abs(g))
            add(.usedGradientNotMoment, abs(g))
        default:
            break
        }
        return out
    }

    /// Wrong values for the bias-correction factor 1 − βᵗ.
    public static func biasCorrectionMisconceptions(beta: Double, otherBeta: Double, t: Int) -> [(
        Misconception, Double
    )] {
        var out: [(Misconception, Double)] = [
            (.forgotOneMinus, Double.pow(beta, Double(t))),
            (.swappedBetas, 1 - Double.pow(otherBeta, Double(t))),
        ]
        if t > 1 { out.append((.exponentTMinusOne, 1 - Double.pow(beta, Double(t - 1)))) }
        return out
    }
}
