// The optimizers adamlab has, the conventions it follows, and PyTorch's code paths.

/// The optimizers adamlab knows.
public enum OptimizerKind: String, CaseIterable, Sendable, Codable {
    case sgd, momentum, nesterov, adagrad, rmsprop, adadelta, adam, adamw, adamax, nadam, radam, adabelief
    case newton, lbfgs, natural

    /// Newton, L-BFGS and the natural gradient: they look at the objective itself (its Hessian, or f
    /// and g at other points), not only at this step's gradient.
    public var isSecondOrder: Bool { self == .newton || self == .lbfgs || self == .natural }

    /// Whether a step needs the objective's Hessian.
    public var needsHessian: Bool { self == .newton || self == .natural }

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
        case .newton: return "Newton's method"
        case .lbfgs: return "L-BFGS (as torch.optim.LBFGS)"
        case .natural: return "natural gradient descent"
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
