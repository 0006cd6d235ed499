// Optimizer names, hyperparameters, their defaults, and the spec syntax `adam lr=0.1 beta1=0.9`.

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
        own(kind) + (kind.isSecondOrder ? [] : scheduleNames)
    }

    /// The hyperparameters of `kind` itself (the schedule's come after them).
    private static func own(_ kind: OptimizerKind) -> [HyperparameterName] {
        switch kind {
        case .sgd:
            return [.lr, .momentum, .dampening, .nesterov, .weightDecay, .maximize, .convention, .dtype, .impl, .lanes]
        case .momentum:
            return [.lr, .momentum, .dampening, .weightDecay, .maximize, .convention, .dtype, .impl, .lanes]
        case .nesterov: return [.lr, .momentum, .weightDecay, .maximize, .convention, .dtype, .impl, .lanes]
        case .adagrad:
            return [
                .lr, .eps, .lrDecay, .weightDecay, .initialAccumulatorValue, .maximize, .convention, .dtype, .impl,
                .lanes,
            ]
        case .rmsprop:
            return [.lr, .alpha, .eps, .momentum, .centered, .weightDecay, .maximize, .convention, .dtype, .impl]
        case .adadelta: return [.lr, .rho, .eps, .weightDecay, .maximize, .convention, .dtype, .impl]
        case .adam:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .decoupledWeightDecay, .amsgrad, .nesterov, .biasCorrection,
                .epsRoot, .maximize, .convention, .dtype, .impl, .lanes, .variant,
            ]
        case .adamw:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .amsgrad, .nesterov, .biasCorrection, .epsRoot, .maximize,
                .convention, .dtype, .impl, .lanes,
            ]
        case .adamax: return [.lr, .beta1, .beta2, .eps, .weightDecay, .maximize, .convention, .dtype, .impl]
        case .nadam:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .decoupledWeightDecay, .momentumDecay, .maximize, .convention,
                .dtype, .impl,
            ]
        case .radam:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .decoupledWeightDecay, .threshold, .maximize, .convention,
                .dtype, .impl,
            ]
        case .adabelief:
            return [
                .lr, .beta1, .beta2, .eps, .weightDecay, .weightDecouple, .fixedDecay, .rectify, .amsBound, .maximize,
                .convention, .dtype, .impl, .variant,
            ]
        case .newton: return [.lr, .damping, .fix]
        case .natural: return [.lr, .metric, .damping, .solve]
        case .lbfgs:
            return [.lr, .maxIter, .maxEval, .toleranceGrad, .toleranceChange, .historySize, .lineSearch]
        }
    }

    /// The schedule and its settings, which every optimizer takes.
    static let scheduleNames: [HyperparameterName] = [
        .schedule, .stepSize, .gamma, .tMax, .etaMin, .startFactor, .endFactor, .totalIters,
    ]

    /// Conventions that give a different formula for `kind`; the others coincide with `paper`.
    public static func distinctConventions(for kind: OptimizerKind) -> [Convention] {
        switch kind {
        case .adam, .adamw, .adamax: return Convention.allCases
        case .nadam: return [.paper, .keras]
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
        case .newton, .lbfgs: h.lr = 1
        case .natural:
            h.lr = 0.1
            h.damping = 1e-9
        }
        if convention == .keras, [.adam, .adamw, .adamax, .nadam].contains(kind) { h.eps = 1e-7 }
        // Keras's Nadam schedule is 0.96ᵗ: PyTorch's 0.96^(t·ψ) with ψ = 1.
        if convention == .keras, kind == .nadam { h.momentumDecay = 1 }
        if convention == .paper, kind == .adamax { h.eps = 0 }
        return h
    }

    /// The spec as it would be typed, listing only what differs from the defaults.
    public var description: String {
        let base = OptimizerSpec.defaults(for: kind, convention: hyper.convention)
        var parts = [kind.rawValue]
        for name in OptimizerSpec.applicable(to: kind) where hyper.text(name) != base.text(name) || name == .lr {
            if name == .lanes, !saysLanes { continue }
            if !appliesToSchedule(name) { continue }
            parts.append("\(name.rawValue)=\(hyper.text(name))")
        }
        if hyper.convention != .paper, !parts.contains(where: { $0.hasPrefix("convention=") }) {
            parts.append("convention=\(hyper.convention.rawValue)")
        }
        return parts.joined(separator: " ")
    }

    /// The ε AdaMax adds to |g| inside its max, u = max(β₂u, |g| + ε): torch's and Optax's (Keras adds it
    /// to u in the denominator, the paper nowhere).
    public var infinityNormEpsilon: Double {
        kind == .adamax && (hyper.convention == .pytorch || hyper.convention == .optax) ? hyper.eps : 0
    }

    /// The options a library has beyond the common hyperparameters (`maximize`, AdaBelief's `rectify`, …):
    /// listed in a full spec only when they are not at their defaults.
    static func isLibraryOption(_ name: HyperparameterName, of kind: OptimizerKind) -> Bool {
        switch name {
        case .maximize, .initialAccumulatorValue, .decoupledWeightDecay, .weightDecouple, .fixedDecay, .rectify,
            .amsBound, .variant, .threshold, .schedule, .stepSize, .gamma, .tMax, .etaMin, .startFactor, .endFactor,
            .totalIters:
            return true
        case .nesterov: return kind == .adam || kind == .adamw
        default: return false
        }
    }

    /// The schedule a setting belongs to (nil: not a schedule's setting).
    static func scheduleOwning(_ name: HyperparameterName) -> ScheduleKind? {
        switch name {
        case .stepSize, .gamma: return .step
        case .tMax, .etaMin: return .cosine
        case .startFactor, .endFactor, .totalIters: return .linear
        default: return nil
        }
    }

    /// Whether `name` means something under this spec's schedule (a setting of another one is kept, unused).
    private func appliesToSchedule(_ name: HyperparameterName) -> Bool {
        OptimizerSpec.scheduleOwning(name).map { $0 == hyper.schedule } ?? true
    }

    /// Whether a spec says the fused kernel's vector width: only where it is not this CPU's, so that a lesson
    /// reads the same on every machine.
    private var saysLanes: Bool { hyper.impl == .fused && Int(hyper.lanes) != TorchCPU.lanes }

    /// The full spec with every applicable hyperparameter (the vector width as `saysLanes` says).
    public var fullDescription: String {
        let base = OptimizerSpec.defaults(for: kind, convention: hyper.convention)
        let shown = OptimizerSpec.applicable(to: kind).filter {
            ($0 != .dtype || hyper.dtype != .float64) && ($0 != .impl || hyper.impl != .single)
                && ($0 != .lanes || saysLanes)
                && (!OptimizerSpec.isLibraryOption($0, of: kind) || hyper.text($0) != base.text($0))
                && appliesToSchedule($0)
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
            if hyper.momentumDecay == old.momentumDecay { hyper.momentumDecay = new.momentumDecay }
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
            case .schedule:
                guard let k = ScheduleKind(rawValue: value.lowercased()) else {
                    throw CoreError(
                        "schedule is one of \(ScheduleKind.allCases.map(\.rawValue).joined(separator: ", ")), got '\(value)'",
                        at: token.span)
                }
                hyper.schedule = k
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
            case .choice(let key, let values):
                guard values.contains(value.lowercased()) else {
                    throw CoreError(
                        "\(hp.rawValue) is \(values.dropLast().joined(separator: ", ")) or \(values.last!), got '\(value)'",
                        at: token.span)
                }
                hyper[keyPath: key] = value.lowercased()
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
        // torch's max_eval is max_iter·5/4 unless given.
        if assignments.contains(where: { $0.0 == .maxIter }), !assignments.contains(where: { $0.0 == .maxEval }) {
            hyper.maxEval = (hyper.maxIter * 5 / 4).rounded(.down)
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
        try validateOptions(span: span)
        // As torch.optim.SGD refuses it: Nesterov's look-ahead is defined only on an undamped buffer.
        let sgd = [OptimizerKind.sgd, .momentum, .nesterov].contains(kind)
        if sgd, hyper.nesterov, hyper.dampening != 0 {
            throw CoreError(
                "Nesterov momentum requires zero dampening (as torch.optim.SGD says); drop dampening=",
                at: span(of: "dampening"))
        }
        if sgd, hyper.nesterov, hyper.momentum <= 0 {
            throw CoreError(
                "Nesterov momentum requires a momentum (as torch.optim.SGD says), e.g. momentum=0.9",
                at: span(of: "nesterov") ?? span(of: "momentum"))
        }
        if !hyper.biasCorrection, hyper.convention != .paper {
            throw CoreError(
                "bias_correction=off exists only in convention=paper; the libraries always correct",
                at: span(of: "bias_correction"))
        }
    }

    /// A named wrong version needs the optimizer it belongs to, written the paper's way.
    private func validateVariant(span: (String) -> TextSpan?) throws {
        let v = hyper.variant
        guard v != "none" else { return }
        let owner: OptimizerKind = v == "eps-in-root" ? .adabelief : .adam
        if kind != owner {
            throw CoreError(
                "variant=\(v) is a version of \(owner.rawValue), not of \(kind.rawValue)", at: span("variant"))
        }
        if hyper.convention != .paper || hyper.impl != .single {
            throw CoreError("variant=\(v) rewrites the paper's formula: drop convention=", at: span("variant"))
        }
        if v == "uncorrected-max", !hyper.amsgrad {
            throw CoreError("variant=uncorrected-max is AMSGrad's: add amsgrad=on", at: span("variant"))
        }
        if v == "eps-in-root", hyper.rectify || hyper.amsBound {
            throw CoreError("variant=eps-in-root is plain AdaBelief: drop rectify= and ams_bound=", at: span("variant"))
        }
    }

    /// The library options that exist only under one library's formula, refused elsewhere with the reason.
    private func validateOptions(span: (String) -> TextSpan?) throws {
        if [.adam, .adamw].contains(kind), hyper.nesterov {
            if hyper.convention != .optax {
                throw CoreError(
                    "nesterov=on for Adam is Optax's (optax.adam(nesterov=True)): add convention=optax; PyTorch and Keras call it nadam",
                    at: span("nesterov"))
            }
            if hyper.amsgrad {
                throw CoreError(
                    "optax.amsgrad has no Nesterov form; drop nesterov=on or amsgrad=on", at: span("nesterov"))
            }
        }
        if kind == .nadam, hyper.convention == .keras, hyper.momentumDecay != 1 {
            throw CoreError(
                "keras.optimizers.Nadam has no momentum_decay: its schedule is μₜ = β₁(1 − ½·0.96ᵗ); drop momentum_decay=",
                at: span("momentum_decay"))
        }
        // A schedule's settings only with that schedule, as torch's schedulers take only their own.
        for name in OptimizerSpec.scheduleNames {
            guard let owner = OptimizerSpec.scheduleOwning(name), hyper.schedule != owner else { continue }
            if let at = span(name.rawValue) {
                throw CoreError(
                    "\(name.rawValue) belongs to schedule=\(owner.rawValue); add it, or drop \(name.rawValue)=", at: at)
            }
        }
        try validateVariant(span: span)
        if kind == .adabelief, hyper.fixedDecay, !hyper.weightDecouple {
            throw CoreError(
                "fixed_decay fixes the decoupled decay (θ·(1 − λ)); with weight_decouple=off there is none: drop one",
                at: span("fixed_decay"))
        }
    }
}
