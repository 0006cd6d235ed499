// The named quantities a step can produce, with their machine and display names.

/// Every quantity an optimizer step can report. The raw value is the stable ASCII
/// machine name used by `adamlab trace`, `show` and `check`.
public enum Quantity: String, CaseIterable, Sendable, Hashable, Codable {
    case t
    case theta
    case loss
    case g
    case gradF = "grad_f"
    case m
    case v
    case mHat = "m_hat"
    case vHat = "v_hat"
    case u
    case vMax = "v_max"
    case s
    case sMax = "s_max"
    case buf
    case sum
    case squareAvg = "square_avg"
    case gradAvg = "grad_avg"
    case accDelta = "acc_delta"
    case lrT = "lr_t"
    case lrScheduled = "lr_sched"
    case rhoT = "rho_t"
    case rT = "r_t"
    case muT = "mu_t"
    case direction = "d"
    case stepLength = "step_length"
    case evaluations = "evals"
    case update
    case thetaNext = "theta_next"

    /// The machine name, e.g. `m_hat`.
    public var machineName: String { rawValue }

    /// Scalars are one number per step; everything else has one number per coordinate.
    public var isScalar: Bool {
        switch self {
        case .t, .loss, .lrT, .lrScheduled, .rhoT, .rT, .muT, .stepLength, .evaluations: return true
        default: return false
        }
    }

    /// The name a learner reads, e.g. `m̂ₜ`.
    public var displayName: String {
        switch self {
        case .t: return "t"
        case .theta: return "θₜ₋₁"
        case .loss: return "f(θₜ₋₁)"
        case .g: return "gₜ"
        case .gradF: return "∇f"
        case .m: return "mₜ"
        case .v: return "vₜ"
        case .mHat: return "m̂ₜ"
        case .vHat: return "v̂ₜ"
        case .u: return "uₜ"
        case .vMax: return "vₘₐₓ"
        case .s: return "sₜ"
        case .sMax: return "sₘₐₓ"
        case .buf: return "bₜ"
        case .sum: return "Gₜ"
        case .squareAvg: return "E[g²]ₜ"
        case .gradAvg: return "E[g]ₜ"
        case .accDelta: return "E[Δx²]ₜ"
        case .lrT: return "αₜ"
        case .lrScheduled: return "lrₜ"
        case .rhoT: return "ρₜ"
        case .rT: return "rₜ"
        case .muT: return "μₜ"
        case .direction: return "dₜ"
        case .stepLength: return "τₜ"
        case .evaluations: return "evals"
        case .update: return "Δθ"
        case .thetaNext: return "θₜ"
        }
    }

    /// One line on what the quantity is.
    public var summary: String {
        switch self {
        case .t: return "step number, counting from 1"
        case .theta: return "parameters before this step"
        case .loss: return "objective value at θₜ₋₁"
        case .g: return "gradient at θₜ₋₁ (after L2 weight decay, if any); sampled when the objective is stochastic"
        case .gradF: return "the true gradient ∇f(θₜ₋₁), beside the sampled gₜ of a stochastic objective"
        case .m: return "first moment: exponential moving average of g, biased towards 0"
        case .v: return "second raw moment: exponential moving average of g², biased towards 0"
        case .mHat: return "bias-corrected first moment m / (1 − β₁ᵗ)"
        case .vHat: return "bias-corrected second moment v / (1 − β₂ᵗ)"
        case .u: return "AdaMax exponentially weighted infinity norm"
        case .vMax: return "AMSGrad running maximum of v (of v̂ under convention=optax, as optax.amsgrad keeps it)"
        case .s: return "AdaBelief second moment of (g − m)"
        case .sMax: return "AdaBelief (ams_bound=on) running maximum of s"
        case .buf: return "momentum buffer"
        case .sum: return "Adagrad running sum of g²"
        case .squareAvg: return "running mean of g² (RMSprop, Adadelta)"
        case .gradAvg: return "running mean of g (centered RMSprop)"
        case .accDelta: return "Adadelta running mean of squared updates"
        case .lrT: return "effective step size of this step"
        case .lrScheduled: return "this step's lr, as the schedule set it (schedule=…)"
        case .rhoT: return "RAdam length of the approximated simple moving average"
        case .rT: return "RAdam variance rectification term"
        case .muT: return "NAdam momentum coefficient of this step"
        case .direction:
            return
                "the direction a second-order step moves along: −H⁻¹g (Newton), −G⁻¹g (natural gradient), L-BFGS's −H̃g (its last iteration's)"
        case .stepLength:
            return
                "how far along the direction the step went: lr (Newton, natural gradient), or what L-BFGS's line search chose"
        case .evaluations: return "L-BFGS: evaluations of f and g this step cost"
        case .update: return "the change applied: θₜ = θₜ₋₁ + Δθ"
        case .thetaNext: return "parameters after this step"
        }
    }

    /// Looks a quantity up by machine name, display name or a few common spellings.
    public init?(name: String) {
        // The tables' own column names first, case and all: `Gₜ` is AdaGrad's sum, not `gₜ`.
        if let q = Quantity.allCases.first(where: { $0.displayName == name }) {
            self = q
            return
        }
        let exact: [String: Quantity] = ["G": .sum, "G_t": .sum, "Gt": .sum]
        if let q = exact[name] {
            self = q
            return
        }
        let key = name.lowercased()
        if let q = Quantity(rawValue: key) {
            self = q
            return
        }
        let aliases: [String: Quantity] = [
            "mhat": .mHat, "m̂": .mHat, "m̂ₜ": .mHat, "vhat": .vHat, "v̂": .vHat, "v̂ₜ": .vHat,
            "vmax": .vMax, "smax": .sMax, "grad": .g, "gradient": .g, "∇f": .gradF, "gradf": .gradF,
            "true_gradient": .gradF, "delta": .update, "Δθ": .update, "δθ": .update,
            "delta_theta": .update, "dtheta": .update,
            "lr": .lrT, "lrt": .lrT, "alpha_t": .lrT, "rho": .rhoT, "r": .rT, "mu": .muT,
            "θ": .theta, "params": .theta, "next": .thetaNext, "direction": .direction, "dₜ": .direction,
            "tau": .stepLength, "τ": .stepLength, "evaluations": .evaluations, "gₜ": .g, "mₜ": .m, "vₜ": .v, "uₜ": .u,
        ]
        guard let q = aliases[key] ?? aliases[name] else { return nil }
        self = q
    }
}
