// Optimizer names, hyperparameters, their defaults, and the spec syntax `adam lr=0.1 beta1=0.9`.

/// The optimizers adamlab knows.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    case sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, adabelief

    public var title: String {
        switch self {
        case .sgd: return "SGD"
        case .momentum: return "SGD with heavy-ball momentum"
        case .nesterov: return "SGD with Nesterov momentum"
        case .adagrad: return "Adagrad"
        case .rmsprop: return "RMSprop"
        case .adadelta: return "Adadelta"
        case .adam: return "Adam"
        case .adamw: return "AdamW (decoupled weight decay)"
        case .adamax: return "AdaMax (infinity norm)"
        case .nadam: return "NAdam (Nesterov Adam)"
        case .radam: return "RAdam (rectified Adam)"
        case .adabelief: return "AdaBelief"
        }
    }
}

/// Which of PyTorch's code paths `convention=pytorch` follows: torch.optim's single-tensor loop
/// (`foreach=False`), its multi-tensor one (`foreach=True`), or its fused C++ kernel (`fused=True`,
/// for Adam, AdamW, SGD and Adagrad). The first two give the same floats except for NAdam and RAdam,
/// which order their last operations differently; the fused kernels are compiled with the multiply-adds
/// contracted, so in their one-by-one loop (the last n mod `lanes` coordinates) the second moment (Adam)
/// and the momentum buffer (SGD) round elsewhere, and a few constants everywhere.
public enum TorchPath: String, CaseIterable, Sendable, Codable {
    case single, foreach, fused

    /// The optimizers torch has a fused CPU kernel for.
    public static let fusedKinds: [OptimizerKind] = [.sgd, .momentum, .nesterov, .adagrad, .adam, .adamw]
}

/// Whose formula to follow where the libraries and the paper disagree.
public enum Convention: String, CaseIterable, Sendable, Codable {
    case paper, pytorch, keras, optax
}

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
            return .init(.flag(\.nesterov), "on: Nesterov's look-ahead form of momentum")
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
        "ε": .eps, "α": .alpha, "ρ": .rho,
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

    public init() {}

    /// The value of a hyperparameter as a spec would print it.
    public func text(_ name: HyperparameterName) -> String {
        switch name.entry.field {
        case .number(let key, _): return name == .lanes ? "\(Int(self[keyPath: key]))" : "\(self[keyPath: key])"
        case .flag(let key): return self[keyPath: key] ? "on" : "off"
        case .convention: return convention.rawValue
        case .dtype: return dtype.rawValue
        case .impl: return impl.rawValue
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
    }

    /// The values a numeric hyperparameter may take.
    public enum NumberRange {
        case positive, nonNegative, belowOne, unit, lanes

        /// Why `x` is out of range, or nil when it is in.
        func problem(_ x: Double) -> String? {
            switch self {
            case .positive: return x > 0 ? nil : "must be positive"
            case .nonNegative: return x >= 0 ? nil : "must not be negative"
            case .belowOne: return (0..<1).contains(x) ? nil : "must be in [0, 1)"
            case .unit: return (0...1).contains(x) ? nil : "must be in [0, 1]"
            case .lanes: return [1, 2, 4, 8, 16].contains(x) ? nil : "must be 1, 2, 4, 8 or 16"
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

/// An optimizer with its hyperparameters, as parsed from `adam lr=0.1 convention=pytorch`.
public struct OptimizerSpec: Sendable, Equatable, Codable {
    public var kind: OptimizerKind
    public var hyper: Hyperparameters

    public init(kind: OptimizerKind, hyper: Hyperparameters? = nil) {
        self.kind = kind
        self.hyper = hyper ?? OptimizerSpec.defaults(for: kind, convention: .paper)
    }

    /// The hyperparameters that mean something for `kind`, in the order they are listed.
    public static func applicable(to kind: OptimizerKind) -> [HyperparameterName] {
        switch kind {
        case .sgd: return [.lr, .momentum, .dampening, .nesterov, .weightDecay, .convention, .dtype, .impl, .lanes]
        case .momentum: return [.lr, .momentum, .dampening, .weightDecay, .convention, .dtype, .impl, .lanes]
        case .nesterov: return [.lr, .momentum, .weightDecay, .convention, .dtype, .impl, .lanes]
        case .adagrad: return [.lr, .eps, .lrDecay, .weightDecay, .convention, .dtype, .impl, .lanes]
        case .rmsprop: return [.lr, .alpha, .eps, .momentum, .centered, .weightDecay, .convention, .dtype, .impl]
        case .adadelta: return [.lr, .rho, .eps, .weightDecay, .convention, .dtype, .impl]
        case .adam:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .amsgrad, .biasCorrection, .epsRoot, .convention, .dtype,
                .impl, .lanes,
            ]
        case .adamw:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .amsgrad, .biasCorrection, .epsRoot, .convention, .dtype,
                .impl, .lanes,
            ]
        case .adamax: return [.lr, .beta1, .beta2, .eps, .weightDecay, .convention, .dtype, .impl]
        case .nadam: return [.lr, .beta1, .beta2, .eps, .weightDecay, .momentumDecay, .convention, .dtype, .impl]
        case .radam: return [.lr, .beta1, .beta2, .eps, .weightDecay, .convention, .dtype, .impl]
        case .adabelief: return [.lr, .beta1, .beta2, .eps, .weightDecay, .convention, .dtype, .impl]
        }
    }

    /// Conventions that give a different formula for `kind`; the others coincide with `paper`.
    public static func distinctConventions(for kind: OptimizerKind) -> [Convention] {
        switch kind {
        case .adam, .adamw, .adamax: return Convention.allCases
        default: return [.paper]
        }
    }

    /// The same step under another library's formula, for comparing conventions: bias correction on,
    /// AdaMax's ε as that library has it (none in the paper; 1e-7 Keras, 1e-8 PyTorch and Optax when
    /// none was given), and ε_root only where Optax and the paper form allow it.
    public func switching(to convention: Convention) -> OptimizerSpec {
        var s = self
        s.hyper.convention = convention
        s.hyper.biasCorrection = true
        if kind == .adamax && convention == .paper { s.hyper.eps = 0 }
        if kind == .adamax && convention != .paper && s.hyper.eps == 0 {
            s.hyper.eps = convention == .keras ? 1e-7 : 1e-8
        }
        if convention == .pytorch || convention == .keras { s.hyper.epsRoot = 0 }
        return s
    }

    /// Defaults are PyTorch's (Keras's ε = 1e-7 under `convention=keras`; no ε in the AdaMax paper).
    public static func defaults(for kind: OptimizerKind, convention: Convention) -> Hyperparameters {
        var h = Hyperparameters()
        h.convention = convention
        switch kind {
        case .sgd: h.lr = 0.01
        case .momentum:
            h.lr = 0.01
            h.momentum = 0.9
        case .nesterov:
            h.lr = 0.01
            h.momentum = 0.9
            h.nesterov = true
        case .adagrad:
            h.lr = 0.01
            h.eps = 1e-10
        case .rmsprop: h.lr = 0.01
        case .adadelta:
            h.lr = 1.0
            h.eps = 1e-6
        case .adam: break
        case .adamw: h.weightDecay = 0.01
        case .adamax: h.lr = 0.002
        case .nadam: h.lr = 0.002
        case .radam: break
        case .adabelief: h.eps = 1e-16
        }
        if convention == .keras, [.adam, .adamw, .adamax].contains(kind) { h.eps = 1e-7 }
        if convention == .paper, kind == .adamax { h.eps = 0 }
        return h
    }

    /// The spec as it would be typed, listing only what differs from the defaults.
    public var description: String {
        let base = OptimizerSpec.defaults(for: kind, convention: hyper.convention)
        var parts = [kind.rawValue]
        for name in OptimizerSpec.applicable(to: kind) where hyper.text(name) != base.text(name) || name == .lr {
            if name == .lanes, !saysLanes { continue }
            parts.append("\(name.rawValue)=\(hyper.text(name))")
        }
        if hyper.convention != .paper, !parts.contains(where: { $0.hasPrefix("convention=") }) {
            parts.append("convention=\(hyper.convention.rawValue)")
        }
        return parts.joined(separator: " ")
    }

    /// Whether a spec says the fused kernel's vector width: only where it is not this CPU's, so that a lesson
    /// reads the same on every machine.
    private var saysLanes: Bool { hyper.impl == .fused && Int(hyper.lanes) != TorchCPU.lanes }

    /// The full spec with every applicable hyperparameter (the vector width as `saysLanes` says).
    public var fullDescription: String {
        let shown = OptimizerSpec.applicable(to: kind).filter {
            ($0 != .dtype || hyper.dtype != .float64) && ($0 != .impl || hyper.impl != .single)
                && ($0 != .lanes || saysLanes)
        }
        return ([kind.rawValue] + shown.map { "\($0.rawValue)=\(hyper.text($0))" }).joined(separator: " ")
    }

    /// Parses `NAME k=v …`. Columns in errors are 1-based within `text`.
    public static func parse(_ text: String) throws -> OptimizerSpec {
        let tokens = tokenize(text)
        guard let first = tokens.first else {
            throw CoreError(
                "missing optimizer name; choose one of: \(OptimizerKind.allCases.map(\.rawValue).joined(separator: ", "))",
                at: TextSpan(column: 1))
        }
        let name = first.text.lowercased()
        guard let kind = OptimizerKind(rawValue: name) ?? (name == "amsgrad" ? .adam : nil) else {
            let all = OptimizerKind.allCases.map(\.rawValue)
            let hint = didYouMean(name, in: all).map { "did you mean '\($0)'? " } ?? ""
            throw CoreError(
                "unknown optimizer '\(first.text)'; \(hint)choose one of: \(all.joined(separator: ", "))",
                at: first.span)
        }
        var spec = OptimizerSpec(kind: kind)
        if name == "amsgrad" { spec.hyper.amsgrad = true }
        try spec.apply(Array(tokens.dropFirst()))
        return spec
    }

    /// Applies `k=v` tokens on top of this spec (the REPL's `set` uses this mid-run).
    public mutating func apply(_ tokens: [SpecToken]) throws {
        let valid = OptimizerSpec.applicable(to: kind)
        var assignments: [(HyperparameterName, String, SpecToken)] = []
        for token in tokens {
            let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw CoreError(
                    "expected name=value, got '\(token.text)'; \(kind.rawValue) takes: \(valid.map(\.rawValue).joined(separator: " "))",
                    at: token.span)
            }
            let key = parts[0].lowercased()
            if key == "betas" {
                guard let pair = parseVector(String(parts[1])), pair.count == 2, valid.contains(.beta1) else {
                    throw CoreError("betas takes two numbers, e.g. betas=0.9,0.999", at: token.span)
                }
                assignments.append((.beta1, "\(pair[0])", token))
                assignments.append((.beta2, "\(pair[1])", token))
                continue
            }
            guard let hp = HyperparameterName(rawValue: key) ?? HyperparameterName.aliases[key] else {
                let names = valid.map(\.rawValue)
                let hint =
                    didYouMean(key, in: names + HyperparameterName.allCases.map(\.rawValue)).map {
                        "did you mean '\($0)'? "
                    } ?? ""
                throw CoreError(
                    "unknown hyperparameter '\(parts[0])' for \(kind.rawValue); \(hint)valid: \(names.joined(separator: ", "))",
                    at: token.span)
            }
            guard valid.contains(hp) else {
                throw CoreError(
                    "\(kind.rawValue) has no hyperparameter '\(hp.rawValue)'; valid: \(valid.map(\.rawValue).joined(separator: ", "))",
                    at: token.span)
            }
            assignments.append((hp, String(parts[1]), token))
        }
        // The convention changes defaults (Keras's ε), so it is applied first; explicit values win.
        if let conv = assignments.first(where: { $0.0 == .convention }) {
            guard let c = Convention(rawValue: conv.1.lowercased()) else {
                throw CoreError(
                    "unknown convention '\(conv.1)'; choose one of: \(Convention.allCases.map(\.rawValue).joined(separator: ", "))",
                    at: conv.2.span)
            }
            let old = OptimizerSpec.defaults(for: kind, convention: hyper.convention)
            let new = OptimizerSpec.defaults(for: kind, convention: c)
            if hyper.eps == old.eps { hyper.eps = new.eps }
            hyper.convention = c
        }
        for (hp, value, token) in assignments {
            switch hp.entry.field {
            case .convention: continue
            case .dtype:
                guard let d = DType(rawValue: value.lowercased()) else {
                    throw CoreError("dtype is float64 or float32, got '\(value)'", at: token.span)
                }
                hyper.dtype = d
            case .impl:
                guard let p = TorchPath(rawValue: value.lowercased()) else {
                    throw CoreError("impl is single, foreach or fused, got '\(value)'", at: token.span)
                }
                if p == .fused, !TorchPath.fusedKinds.contains(kind) {
                    throw CoreError(
                        "torch has fused kernels for Adam, AdamW, SGD and Adagrad only; use impl=single or foreach with \(kind.rawValue)",
                        at: token.span)
                }
                hyper.impl = p
            case .flag(let key):
                switch value.lowercased() {
                case "on", "true", "yes", "1": hyper[keyPath: key] = true
                case "off", "false", "no", "0": hyper[keyPath: key] = false
                default:
                    throw CoreError("\(hp.rawValue) is on or off, got '\(value)'", at: token.span)
                }
            case .number(let key, let range):
                guard let x = parseNumber(value), x.isFinite else {
                    throw CoreError("\(hp.rawValue) needs a number, got '\(value)'", at: token.span)
                }
                if let problem = range.problem(x) {
                    throw CoreError("\(hp.rawValue)=\(value): \(problem)", at: token.span)
                }
                hyper[keyPath: key] = x
            }
        }
        try validateCombination(tokens: tokens)
    }

    private mutating func validateCombination(tokens: [SpecToken]) throws {
        func span(of key: String) -> TextSpan? {
            tokens.first(where: { $0.text.lowercased().hasPrefix(key + "=") })?.span
        }
        if kind == .adamax, hyper.convention == .paper, hyper.eps != 0 {
            throw CoreError(
                "the AdaMax paper has no ε; use convention=pytorch, optax or keras to add one",
                at: span(of: "eps"))
        }
        if hyper.epsRoot != 0, hyper.convention == .pytorch || hyper.convention == .keras {
            throw CoreError(
                "eps_root is Optax's ε inside the square root; use convention=optax or paper with it",
                at: span(of: "eps_root"))
        }
        if hyper.impl != .single, hyper.convention != .pytorch {
            throw CoreError("impl chooses between PyTorch's code paths; add convention=pytorch", at: span(of: "impl"))
        }
        if hyper.impl == .fused, hyper.lanes == 0 { hyper.lanes = Double(TorchCPU.lanes) }
        if hyper.impl != .fused, span(of: "lanes") != nil {
            throw CoreError("lanes is the fused kernel's vector width; add impl=fused", at: span(of: "lanes"))
        }
        if !hyper.biasCorrection, hyper.convention != .paper {
            throw CoreError(
                "bias_correction=off exists only in convention=paper; the libraries always correct",
                at: span(of: "bias_correction"))
        }
    }
}
