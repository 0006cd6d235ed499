// Hyperparameters: their names as typed, their values, and the table every use of them reads.

/// Hyperparameter names as typed in a spec.
public enum HyperparameterName: String, CaseIterable, Sendable {
    case lr, beta1, beta2, eps
    case weightDecay = "weight_decay"
    case momentum, dampening, nesterov, amsgrad, alpha, centered, rho
    case momentumDecay = "momentum_decay"
    case epsRoot = "eps_root"
    case biasCorrection = "bias_correction"
    case convention
    case lrDecay = "lr_decay"
    case dtype
    case impl
    case lanes
    case maximize
    case initialAccumulatorValue = "initial_accumulator_value"
    case decoupledWeightDecay = "decoupled_weight_decay"
    case weightDecouple = "weight_decouple"
    case fixedDecay = "fixed_decay"
    case rectify
    case amsBound = "ams_bound"
    case schedule
    case stepSize = "step_size"
    case gamma
    case tMax = "t_max"
    case etaMin = "eta_min"
    case startFactor = "start_factor"
    case endFactor = "end_factor"
    case totalIters = "total_iters"
    case damping, fix, metric, solve
    case historySize = "history_size"
    case maxIter = "max_iter"
    case maxEval = "max_eval"
    case toleranceGrad = "tolerance_grad"
    case toleranceChange = "tolerance_change"
    case lineSearch = "line_search"
    case variant
    case threshold

    /// Where a hyperparameter lives in `Hyperparameters`, what values it takes and what it does: the one
    /// table that printing, parsing, range checks and `help` read.
    public var entry: HyperparameterEntry {
        switch self {
        case .lr:
            return .init(
                .number(\.lr, .positive),
                "the learning rate α: the size of every step (Adam's steps are about α per coordinate)")
        case .beta1:
            return .init(
                .number(\.beta1, .belowOne),
                "β₁, the decay rate of the first moment m (the average of g); 0.9 remembers about 10 steps")
        case .beta2:
            return .init(
                .number(\.beta2, .belowOne),
                "β₂, the decay rate of the second moment v (the average of g²); 0.999 remembers about 1000 steps")
        case .eps:
            return .init(
                .number(\.eps, .nonNegative), "ε, added to the denominator so a tiny √v̂ cannot blow the step up")
        case .weightDecay:
            return .init(
                .number(\.weightDecay, .nonNegative),
                "λ, weight decay: L2 in the gradient, or decoupled from it in AdamW")
        case .momentum:
            return .init(.number(\.momentum, .nonNegative), "the momentum coefficient μ of the velocity buffer")
        case .dampening:
            return .init(
                .number(\.dampening, .unit), "dampening of the momentum buffer: g enters it as (1 − dampening)·g")
        case .nesterov:
            return .init(
                .flag(\.nesterov),
                "on: Nesterov's look-ahead form of momentum (SGD; Optax's Adam and AdamW, convention=optax)")
        case .amsgrad:
            return .init(.flag(\.amsgrad), "on: AMSGrad, dividing by the running maximum of v̂ instead of v̂")
        case .alpha:
            return .init(.number(\.alpha, .belowOne), "RMSprop's smoothing constant for the average of g²")
        case .centered:
            return .init(.flag(\.centered), "on: centered RMSprop, dividing by an estimate of the variance of g")
        case .rho:
            return .init(
                .number(\.rho, .belowOne), "Adadelta's decay rate for its averages of g² and of the squared updates")
        case .momentumDecay:
            return .init(
                .number(\.momentumDecay, .nonNegative), "ψ, NAdam's momentum schedule μₜ = β₁(1 − ½·0.96^(t·ψ))")
        case .epsRoot:
            return .init(.number(\.epsRoot, .nonNegative), "Optax's ε inside the square root: √(v̂ + ε_root) + ε")
        case .biasCorrection:
            return .init(
                .flag(\.biasCorrection),
                "off: no division by 1 − βᵗ (paper convention only), to see what bias correction fixes")
        case .convention:
            return .init(.convention, "whose formula to follow where they differ: paper, pytorch, keras or optax")
        case .lrDecay:
            return .init(.number(\.lrDecay, .nonNegative), "Adagrad's learning-rate decay: lr / (1 + (t − 1)·lr_decay)")
        case .dtype:
            return .init(
                .dtype, "float64 (the default) or float32: the floating-point type every operation is computed in")
        case .lanes:
            return .init(
                .number(\.lanes, .lanes),
                "the fused kernel's vector width in doubles (impl=fused): it updates the last n mod lanes coordinates one by one, rounding them otherwise; 8 with AVX-512, 4 with AVX2 (1, 2 or 16 for other builds); this CPU's by default"
            )
        case .maximize:
            return .init(.flag(\.maximize), "on: climb the objective instead of descending it (every step takes −g)")
        case .initialAccumulatorValue:
            return .init(
                .number(\.initialAccumulatorValue, .nonNegative),
                "Adagrad's starting sum of squared gradients (torch's initial_accumulator_value; 0 by default)")
        case .decoupledWeightDecay:
            return .init(
                .flag(\.decoupledWeightDecay),
                "on: weight decay shrinks θ by lr·λ before the step (as AdamW) instead of adding λθ to g")
        case .weightDecouple:
            return .init(
                .flag(\.weightDecouple),
                "AdaBelief's weight decay: on (the default) shrinks θ by lr·λ; off adds λθ to g (L2)")
        case .fixedDecay:
            return .init(
                .flag(\.fixedDecay), "on: AdaBelief's decoupled decay shrinks θ by λ, not by lr·λ")
        case .rectify:
            return .init(
                .flag(\.rectify),
                "on: AdaBelief with RAdam's rectification (momentum SGD until ρₜ reaches 5)")
        case .amsBound:
            return .init(
                .flag(\.amsBound), "on: AdaBelief divides by the running maximum of s, as AMSGrad does with v")
        case .schedule:
            return .init(
                .schedule,
                "how lr changes from step to step: none, step (StepLR), cosine (CosineAnnealingLR), linear (LinearLR warm-up) or inv_sqrt (the paper's lr/√t), as torch.optim.lr_scheduler computes them"
            )
        case .stepSize:
            return .init(.number(\.stepSize, .count), "schedule=step: lr is multiplied by gamma every step_size steps")
        case .gamma:
            return .init(.number(\.gamma, .positive), "schedule=step: the factor lr is multiplied by (0.1 by default)")
        case .tMax:
            return .init(
                .number(\.tMax, .count),
                "schedule=cosine: lr falls from lr to eta_min along half a cosine in t_max steps")
        case .etaMin:
            return .init(.number(\.etaMin, .nonNegative), "schedule=cosine: the lowest lr (0 by default)")
        case .startFactor:
            return .init(
                .number(\.startFactor, .factor),
                "schedule=linear: the first step's lr is lr·start_factor (1/3 by default)")
        case .endFactor:
            return .init(.number(\.endFactor, .unit), "schedule=linear: the factor reached after total_iters steps (1)")
        case .totalIters:
            return .init(
                .number(\.totalIters, .count),
                "schedule=linear: the steps over which the factor goes from start to end (5)")
        case .damping:
            return .init(
                .number(\.damping, .nonNegative),
                "λ added to the curvature's diagonal before solving (H + λI): small steps where H is nearly singular")
        case .fix:
            return .init(
                .choice(\.fix, ["none", "abs"]),
                "what Newton does where H is not positive definite: none (solve with H, heading for a saddle or maximum) or abs (solve with |H|, each eigenvalue's sign dropped)"
            )
        case .metric:
            return .init(
                .choice(\.metric, ["hessian", "identity"]),
                "the natural gradient's metric G: hessian (H, or |H| where H is not positive definite, plus damping) or identity (plain gradient descent)"
            )
        case .solve:
            return .init(
                .flag(\.solve),
                "off: multiply g by the metric (G·g) instead of solving G·d = g: seed 003's slip, to see it run")
        case .historySize:
            return .init(.number(\.historySize, .count), "L-BFGS: how many (s, y) pairs it remembers (100)")
        case .maxIter:
            return .init(.number(\.maxIter, .count), "L-BFGS: iterations per step (torch's max_iter, 20)")
        case .maxEval:
            return .init(
                .number(\.maxEval, .count), "L-BFGS: function evaluations per step (torch's max_eval, max_iter·5/4)")
        case .toleranceGrad:
            return .init(
                .number(\.toleranceGrad, .nonNegative), "L-BFGS stops when every |gᵢ| ≤ tolerance_grad (1e-7)")
        case .toleranceChange:
            return .init(
                .number(\.toleranceChange, .nonNegative),
                "L-BFGS stops when f, or θ, changes by less than tolerance_change (1e-9)")
        case .lineSearch:
            return .init(
                .choice(\.lineSearch, ["none", "strong_wolfe"]),
                "L-BFGS's step length: none (lr, as torch's default) or strong_wolfe (torch's line_search_fn='strong_wolfe')"
            )
        case .variant:
            return .init(
                .choice(\.variant, ["none", "a1", "uncorrected-max", "eps-in-root"]),
                "a wrong version from the source material, to run it beside the right one (convention=paper): a1 (Adam's m divided by 1 − β₂ᵗ, seed 001's (A.1)), uncorrected-max (AMSGrad's v_max used without its correction, seed 000), eps-in-root (AdaBelief's √(ŝ + ε), seed 000)"
            )
        case .threshold:
            return .init(
                .number(\.threshold, .nonNegative),
                "RAdam's rectification starts once ρₜ > threshold: 5 in PyTorch and the authors' code, 4 in the paper's Algorithm 2"
            )
        case .impl:
            return .init(
                .impl,
                "PyTorch's code path (convention=pytorch): single (foreach=False, the default), foreach, or fused (Adam, AdamW, SGD, Adagrad); each can round differently"
            )
        }
    }

    /// What the hyperparameter does, in one line (`help lr`).
    public var summary: String { entry.summary }

    /// The values a hyperparameter takes, where they are few (for completion).
    public var choices: [String] {
        if case .flag = entry.field { return ["on", "off"] }
        if self == .convention { return Convention.allCases.map(\.rawValue) }
        if self == .dtype { return DType.allCases.map(\.rawValue) }
        if self == .impl { return TorchPath.allCases.map(\.rawValue) }
        if self == .schedule { return ScheduleKind.allCases.map(\.rawValue) }
        if case .choice(_, let values) = entry.field { return values }
        return []
    }

    /// A name as typed, in any spelling (`learning_rate`, `b1`, `β₁`).
    public init?(spelling: String) {
        guard
            let hp = HyperparameterName(rawValue: spelling.lowercased())
                ?? HyperparameterName.aliases[spelling.lowercased()]
        else { return nil }
        self = hp
    }

    /// Other libraries' spellings, so a learner can paste `learning_rate=` or `b1=`.
    static let aliases: [String: HyperparameterName] = [
        "learning_rate": .lr, "beta_1": .beta1, "b1": .beta1, "beta_2": .beta2, "b2": .beta2,
        "epsilon": .eps, "wd": .weightDecay, "β1": .beta1, "β2": .beta2, "β₁": .beta1, "β₂": .beta2,
        "ε": .eps, "α": .alpha, "ρ": .rho, "line_search_fn": .lineSearch, "λ": .damping,
    ]
}

/// Every hyperparameter value; the ones an optimizer does not use keep their defaults and are ignored.
public struct Hyperparameters: Sendable, Equatable, Codable {
    public var lr = 0.001
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var eps = 1e-8
    public var weightDecay = 0.0
    public var momentum = 0.0
    public var dampening = 0.0
    public var nesterov = false
    public var amsgrad = false
    public var alpha = 0.99
    public var centered = false
    public var rho = 0.9
    public var momentumDecay = 0.004
    public var epsRoot = 0.0
    public var biasCorrection = true
    public var convention = Convention.paper
    public var lrDecay = 0.0
    public var dtype = DType.float64
    public var impl = TorchPath.single
    /// Doubles per vector in a fused kernel's vector loop (0 until impl=fused sets this CPU's).
    public var lanes = 0.0
    public var maximize = false
    public var initialAccumulatorValue = 0.0
    public var decoupledWeightDecay = false
    public var weightDecouple = true
    public var fixedDecay = false
    public var rectify = false
    public var amsBound = false
    public var schedule = ScheduleKind.none
    public var stepSize = 30.0
    public var gamma = 0.1
    public var tMax = 100.0
    public var etaMin = 0.0
    public var startFactor = 1.0 / 3.0
    public var endFactor = 1.0
    public var totalIters = 5.0
    public var damping = 0.0
    public var fix = "none"
    public var metric = "hessian"
    public var solve = true
    public var historySize = 100.0
    public var maxIter = 20.0
    public var maxEval = 25.0
    public var toleranceGrad = 1e-7
    public var toleranceChange = 1e-9
    public var lineSearch = "none"
    public var variant = "none"
    public var threshold = 5.0

    public init() {}

    /// The value of a hyperparameter as a spec would print it.
    public func text(_ name: HyperparameterName) -> String {
        switch name.entry.field {
        case .number(let key, let range):
            return name == .lanes || range == .count ? "\(Int(self[keyPath: key]))" : "\(self[keyPath: key])"
        case .flag(let key): return self[keyPath: key] ? "on" : "off"
        case .convention: return convention.rawValue
        case .dtype: return dtype.rawValue
        case .impl: return impl.rawValue
        case .schedule: return schedule.rawValue
        case .choice(let key, _): return self[keyPath: key]
        }
    }
}

/// One hyperparameter's row in the table: its field and its one-line summary.
public struct HyperparameterEntry {
    public enum Field {
        case number(WritableKeyPath<Hyperparameters, Double>, NumberRange)
        case flag(WritableKeyPath<Hyperparameters, Bool>)
        case convention
        case dtype
        case impl
        case schedule
        /// One of a few words.
        case choice(WritableKeyPath<Hyperparameters, String>, [String])
    }

    /// The values a numeric hyperparameter may take.
    public enum NumberRange {
        case positive, nonNegative, belowOne, unit, lanes, count, factor

        /// Why `x` is out of range, or nil when it is in.
        func problem(_ x: Double) -> String? {
            switch self {
            case .positive: return x > 0 ? nil : "must be positive"
            case .nonNegative: return x >= 0 ? nil : "must not be negative"
            case .belowOne: return (0..<1).contains(x) ? nil : "must be in [0, 1)"
            case .unit: return (0...1).contains(x) ? nil : "must be in [0, 1]"
            case .lanes: return [1, 2, 4, 8, 16].contains(x) ? nil : "must be 1, 2, 4, 8 or 16"
            case .count:
                return x >= 1 && x == x.rounded() && x <= 1e9 ? nil : "must be a whole number of steps from 1 to 10⁹"
            case .factor: return x > 0 && x <= 1 ? nil : "must be in (0, 1]"
            }
        }
    }

    public let field: Field
    public let summary: String

    init(_ field: Field, _ summary: String) {
        self.field = field
        self.summary = summary
    }
}
