// `explain QUANTITY`: the formula, then the same formula with this step's numbers, as values.

import AdamLabCore
import Foundation

/// What `explain` needs: the step, the state before it, and the spec it ran with.
struct ExplainContext {
    var record: StepRecord<Double>
    /// State vectors after step t−1 (zeros at t = 1).
    var previous: [Quantity: [Double]]
    var spec: OptimizerSpec
    /// θ₀, which `scaled_update` replays from.
    var start: [Double] = []
    /// How the objective samples its gradient, when it does.
    var noise: GradientNoise? = nil

    var t: Int { record.t }
    var h: Hyperparameters { spec.hyper }

    func vec(_ q: Quantity) -> [Double]? { record.vectors[q] }
    func prev(_ q: Quantity, _ i: Int) -> Double { previous[q]?[i] ?? 0 }
    func n(_ x: Double) -> MathText { .term(x) }

    /// The explanation: a general formula, then one substituted line per coordinate.
    func explain(_ q: Quantity) throws -> Explanation {
        guard q == .t || record[q] != nil else {
            let have = record.quantities.map(\.machineName).joined(separator: " ")
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName) at this step; it has: \(have)")
        }
        if let e = explainInput(q) ?? explainState(q) ?? explainStep(q) { return e }
        return perCoordinate(q, "\(q.displayName): \(q.summary)") { i in "\(q.displayName) = \(n(value(q, i)))" }
    }

    // What every explanation reads: this step's subscripts, values and hyperparameters.
    private var tt: String { sub(t) }
    private var tp: String { sub(t - 1) }
    private var dimension: Int { record.vectors[.theta]?.count ?? 1 }
    private func value(_ q: Quantity, _ i: Int) -> Double { record.vectors[q]?[i] ?? 0 }
    private var b1: Double { h.beta1 }
    private var b2: Double { h.beta2 }
    private var eps: Double { h.eps }
    /// This step's lr: the schedule's, when there is one.
    private var lr: Double { record.scalars[.lrScheduled] ?? h.lr }
    private var kind: OptimizerKind { spec.kind }
    private var conv: Convention { h.convention }

    /// A formula, then one line per coordinate (as many as an explanation shows).
    private func perCoordinate(_ q: Quantity, _ formula: MathText, _ line: (Int) -> MathText) -> Explanation {
        Explanation(
            q, lines: [formula], coordinates: (0..<min(dimension, Explanation.coordinateLimit)).map(line),
            dimension: dimension)
    }

    /// The step's inputs and its schedule: t, θ, f, g and lrₜ.
    private func explainInput(_ q: Quantity) -> Explanation? {
        switch q {
        case .lrScheduled:
            let x = n(lr)
            let base = n(h.lr)
            let e = t - 1
            switch h.schedule {
            case .none: return Explanation(q, lines: ["lr\(tt) = \(base)   (no schedule)"])
            case .invSqrt:
                return Explanation(q, lines: ["lr\(tt) = lr/√t = \(base)/√\(t) = \(x)   (the paper's schedule)"])
            case .step:
                return Explanation(
                    q,
                    lines: [
                        "lr\(tt) = \(x)   (StepLR: the last step's lr, times γ = \(n(h.gamma)) when t − 1 = \(e) is a multiple of step_size = \(Int(h.stepSize)); from lr = \(base) that is lr·γ^⌊(t − 1)/step_size⌋)"
                    ])
            case .cosine:
                return Explanation(
                    q,
                    lines: [
                        "lr\(tt) = η_min + (lr − η_min)·(1 + cos(π·(t − 1)/T))/2 = \(x)   (CosineAnnealingLR, T = \(Int(h.tMax)); torch computes it from the last lr, as adamlab does)"
                    ])
            case .linear:
                return Explanation(
                    q,
                    lines: [
                        "lr\(tt) = lr·(start + (end − start)·min(t − 1, total)/total) = \(x)   (LinearLR from \(n(h.startFactor))·lr to \(n(h.endFactor))·lr in \(Int(h.totalIters)) steps, each from the last lr)"
                    ])
            }
        case .t:
            return Explanation(q, lines: ["t = \(t): steps are counted from 1, so the bias corrections use β\(sup(t))"])
        case .theta:
            return perCoordinate(q, "θ\(tp) is where step \(t) starts", { "θ\(tp) = \(n(value(.theta, $0)))" })
        case .loss:
            return Explanation(q, lines: ["f(θ\(tp)) = \(n(record.scalars[.loss] ?? .nan))"])
        case .gradF:
            return perCoordinate(
                q,
                "∇f(θ\(tp)) is the true gradient; g\(tt) is the one sampled at this step (see `explain g`)",
                { "∇f(θ\(tp)) = \(n(value(.gradF, $0)))   g\(tt) = \(n(value(.g, $0)))" })
        case .g where vec(.gradF) != nil:
            let how = noise.map { ": " + $0.summary } ?? ""
            return perCoordinate(
                q,
                "g\(tt) is sampled at step \(t), not ∇f(θ\(tp))\(how)",
                { "g\(tt) = \(n(value(.g, $0)))   beside ∇f(θ\(tp)) = \(n(value(.gradF, $0)))" })
        case .g:
            let decay = h.weightDecay != 0 && ![.adamw, .adabelief].contains(kind)
            return perCoordinate(
                q,
                "g\(tt) = ∇f(θ\(tp))" + (decay ? " + λ·θ\(tp)   (L2 weight decay λ = \(n(h.weightDecay)))" : "")
                    + "   (or the gradient typed with `grad`)",
                { "g\(tt) = \(n(value(.g, $0)))" })
        default: break
        }
        return nil
    }

    /// The moments and each optimizer's own state.
    private func explainState(_ q: Quantity) -> Explanation? {
        switch q {
        case .m:
            if [.adam, .adamw, .adamax, .nadam, .radam, .adabelief].contains(kind) {
                let note: String =
                    conv == .pytorch ? "   (PyTorch computes it as m + (1 − β₁)(g − m), one rounding)" : ""
                return perCoordinate(q, "m\(tt) = β₁·m\(tp) + (1 − β₁)·g\(tt)" + note) { i in
                    "m\(tt) = \(n(b1))·\(n(prev(.m, i))) + \(n(1 - b1))·\(n(value(.g, i))) = \(n(value(.m, i)))"
                }
            }
        case .v:
            return perCoordinate(q, "v\(tt) = β₂·v\(tp) + (1 − β₂)·g\(tt)²") { i in
                "v\(tt) = \(n(b2))·\(n(prev(.v, i))) + \(n(1 - b2))·\(n(value(.g, i)))² = \(n(value(.v, i)))"
            }
        case .mHat:
            if kind == .nadam {
                return perCoordinate(
                    q,
                    "m̂\(tt) = μ\(sub(t + 1))·m\(tt)/(1 − Πμ up to t+1) + (1 − μ\(tt))·g\(tt)/(1 − Πμ up to t)   (Nesterov look-ahead)"
                ) { i in
                    "m̂\(tt) = \(n(value(.mHat, i)))   with m\(tt) = \(n(value(.m, i))), g\(tt) = \(n(value(.g, i)))"
                }
            }
            if h.nesterov && (kind == .adam || kind == .adamw) {
                let bcNext = Reference.biasCorrection(beta: b1, t: t + 1), bc = Reference.biasCorrection(beta: b1, t: t)
                return perCoordinate(
                    q,
                    "m̂\(tt) = β₁·m\(tt)/(1 − β₁\(sup(t + 1))) + (1 − β₁)·g\(tt)/(1 − β₁\(sup(t)))   (Optax's Nesterov form: the momentum one step ahead)"
                ) { i in
                    "m̂\(tt) = \(n(b1))·\(n(value(.m, i)))/\(n(bcNext)) + \(n(1 - b1))·\(n(value(.g, i)))/\(n(bc)) = \(n(value(.mHat, i)))"
                }
            }
            if !h.biasCorrection {
                return perCoordinate(q, "m̂\(tt) = m\(tt)   (bias_correction=off: no division by 1 − β₁\(sup(t)))") {
                    i in
                    "m̂\(tt) = \(n(value(.mHat, i)))"
                }
            }
            let bc = Reference.biasCorrection(beta: b1, t: t)
            return perCoordinate(q, "m̂\(tt) = m\(tt) / (1 − β₁\(sup(t)))") { i in
                "m̂\(tt) = \(n(value(.m, i))) / \(n(bc)) = \(n(value(.mHat, i)))"
            }
        case .vHat:
            let bc = h.biasCorrection ? Reference.biasCorrection(beta: b2, t: t) : 1
            let source: Quantity = kind == .adabelief ? .s : .v
            let name = kind == .adabelief ? "s" : "v"
            if !h.biasCorrection {
                return perCoordinate(q, "v̂\(tt) = v\(tt)   (bias_correction=off)") { i in
                    "v̂\(tt) = \(n(value(.vHat, i)))"
                }
            }
            return perCoordinate(q, "\(kind == .adabelief ? "ŝ" : "v̂")\(tt) = \(name)\(tt) / (1 − β₂\(sup(t)))") { i in
                "\(kind == .adabelief ? "ŝ" : "v̂")\(tt) = \(n(value(source, i))) / \(n(bc)) = \(n(value(.vHat, i)))"
            }
        case .u:
            let withEps = conv == .pytorch || conv == .optax
            return perCoordinate(
                q,
                "u\(tt) = max(β₂·u\(tp), |g\(tt)|\(withEps ? " + ε" : ""))   (the exponentially weighted infinity norm)"
            ) { i in
                let plusEps: MathText = withEps ? " + \(n(eps))" : ""
                return "u\(tt) = max(\(n(b2))·\(n(prev(.u, i))), |\(n(value(.g, i)))|\(plusEps)) = \(n(value(.u, i)))"
            }
        case .vMax where conv == .optax:
            return perCoordinate(
                q,
                "v_max\(tt) = max(v_max\(tp), v̂\(tt))   (optax.amsgrad keeps the maximum of the bias-corrected v̂)"
            ) { i in
                "v_max\(tt) = max(\(n(prev(.vMax, i))), \(n(value(.vHat, i)))) = \(n(value(.vMax, i)))"
            }
        case .vMax:
            return perCoordinate(
                q, "v_max\(tt) = max(v_max\(tp), v\(tt))   (AMSGrad never lets the denominator shrink)"
            ) {
                i in
                "v_max\(tt) = max(\(n(prev(.vMax, i))), \(n(value(.v, i)))) = \(n(value(.vMax, i)))"
            }
        case .sMax:
            return perCoordinate(q, "s_max\(tt) = max(s_max\(tp), s\(tt))   (ams_bound: the denominator never shrinks)")
            {
                i in
                "s_max\(tt) = max(\(n(prev(.sMax, i))), \(n(value(.s, i)))) = \(n(value(.sMax, i)))"
            }
        case .s:
            return perCoordinate(
                q,
                "s\(tt) = β₂·s\(tp) + (1 − β₂)·(g\(tt) − m\(tt))² + ε   (the belief: how far g is from its prediction m)"
            ) { i in
                "s\(tt) = \(n(b2))·\(n(prev(.s, i))) + \(n(1 - b2))·(\(n(value(.g, i))) − \(n(value(.m, i))))² + \(n(eps)) = \(n(value(.s, i)))"
            }
        case .buf:
            if kind == .rmsprop {
                return perCoordinate(q, "b\(tt) = μ·b\(tp) + g\(tt)/(√E[g²]\(tt) + ε)") { i in
                    "b\(tt) = \(n(h.momentum))·\(n(prev(.buf, i))) + … = \(n(value(.buf, i)))"
                }
            }
            if t == 1 {
                return perCoordinate(q, "b₁ = g₁   (the first step copies the gradient)") { i in
                    "b₁ = \(n(value(.buf, i)))"
                }
            }
            return perCoordinate(q, "b\(tt) = μ·b\(tp) + (1 − dampening)·g\(tt)") { i in
                "b\(tt) = \(n(h.momentum))·\(n(prev(.buf, i))) + \(n(1 - h.dampening))·\(n(value(.g, i))) = \(n(value(.buf, i)))"
            }
        case .sum:
            return perCoordinate(q, "G\(tt) = G\(tp) + g\(tt)²") { i in
                "G\(tt) = \(n(prev(.sum, i))) + \(n(value(.g, i)))² = \(n(value(.sum, i)))"
            }
        case .squareAvg:
            let a = kind == .adadelta ? h.rho : h.alpha
            let sym = kind == .adadelta ? "ρ" : "α"
            return perCoordinate(q, "E[g²]\(tt) = \(sym)·E[g²]\(tp) + (1 − \(sym))·g\(tt)²") { i in
                "E[g²]\(tt) = \(n(a))·\(n(prev(.squareAvg, i))) + \(n(1 - a))·\(n(value(.g, i)))² = \(n(value(.squareAvg, i)))"
            }
        case .gradAvg:
            return perCoordinate(q, "E[g]\(tt) = α·E[g]\(tp) + (1 − α)·g\(tt)") { i in
                "E[g]\(tt) = \(n(h.alpha))·\(n(prev(.gradAvg, i))) + \(n(1 - h.alpha))·\(n(value(.g, i))) = \(n(value(.gradAvg, i)))"
            }
        case .accDelta:
            return perCoordinate(
                q,
                "E[Δx²]\(tt) = ρ·E[Δx²]\(tp) + (1 − ρ)·Δx\(tt)²,  Δx\(tt) = √(E[Δx²]\(tp) + ε)/√(E[g²]\(tt) + ε)·g\(tt)"
            ) { i in
                "E[Δx²]\(tt) = \(n(value(.accDelta, i)))   (Δx\(tt) = \(n(-value(.update, i) / lr)))"
            }
        default: break
        }
        return nil
    }

    /// The step itself: its scalars, a second-order step's direction and length, Δθ and θₜ.
    private func explainStep(_ q: Quantity) -> Explanation? {
        switch q {
        case .lrT:
            let a = record.scalars[.lrT] ?? .nan
            switch kind {
            case .adam, .adamw:
                if !h.biasCorrection { return Explanation(q, lines: ["α\(tt) = lr = \(n(a))   (bias_correction=off)"]) }
                let bc1 = Reference.biasCorrection(beta: b1, t: t), bc2 = Reference.biasCorrection(beta: b2, t: t)
                return Explanation(
                    q,
                    lines: [
                        "α\(tt) = lr·√(1 − β₂\(sup(t)))/(1 − β₁\(sup(t))) = \(n(lr))·√\(n(bc2))/\(n(bc1)) = \(n(a))",
                        "(the step size once both bias corrections are folded into one number, as Keras computes it)",
                    ])
            case .adamax:
                return Explanation(
                    q,
                    lines: [
                        "α\(tt) = lr/(1 − β₁\(sup(t))) = \(n(lr))/\(n(Reference.biasCorrection(beta: b1, t: t))) = \(n(a))"
                    ]
                )
            case .adagrad:
                return Explanation(q, lines: ["α\(tt) = lr/(1 + (t − 1)·lr_decay) = \(n(a))"])
            case .radam:
                let form: String =
                    record.scalars[.rT] != nil
                    ? "lr·r\(tt)·√(1 − β₂\(sup(t)))/(1 − β₁\(sup(t)))"
                    : "lr/(1 − β₁\(sup(t)))   (un-rectified: ρ\(tt) ≤ \(n(h.threshold)))"
                return Explanation(q, lines: ["α\(tt) = \(form) = \(n(a))"])
            default:
                return Explanation(q, lines: ["α\(tt) = lr = \(n(a))"])
            }
        case .rhoT:
            let rhoInf = 2 / (1 - b2) - 1
            return Explanation(
                q,
                lines: [
                    "ρ∞ = 2/(1 − β₂) − 1 = \(n(rhoInf))",
                    "ρ\(tt) = ρ∞ − 2t·β₂\(sup(t))/(1 − β₂\(sup(t))) = \(n(record.scalars[.rhoT] ?? .nan))",
                    "the variance of the adaptive step is tractable only when ρₜ > \(n(h.threshold)) (threshold=; the paper's Algorithm 2 says 4, PyTorch 5); before that RAdam steps like SGD with momentum",
                ])
        case .rT:
            return Explanation(
                q,
                lines: [
                    "r\(tt) = √((ρ\(tt) − 4)(ρ\(tt) − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ\(tt))) = \(n(record.scalars[.rT] ?? .nan))"
                ])
        case .muT:
            return Explanation(
                q,
                lines: [
                    "μ\(tt) = β₁·(1 − ½·0.96^(t·ψ)) = \(n(b1))·(1 − 0.5·0.96^(\(t)·\(n(h.momentumDecay)))) = \(n(record.scalars[.muT] ?? .nan))",
                    "(NAdam's momentum schedule, ψ = momentum_decay)",
                ])
        case .direction:
            // In two dimensions the solve is shown with the numbers: M⁻¹ = [[c, −b], [−b, a]]/(ac − b²).
            if let c = record.curvature, c.matrix.count == 4, let g = vec(.g), kind != .lbfgs,
                !(kind == .natural && h.metric == "identity")
            {
                let (a, b, d) = (c.matrix[0], c.matrix[1], c.matrix[3])
                let name: MathText = kind == .natural ? "G" : c.remedy == .absolute ? "|H|" : "H"
                if kind == .natural && !h.solve {
                    let rows = [(a, b), (b, d)]
                    return Explanation(
                        q, lines: [directionFormula()],
                        coordinates: (0..<2).map { i in
                            "d\(tt) = −(\(n(rows[i].0))·\(n(g[0])) + \(n(rows[i].1))·\(n(g[1]))) = "
                                + .number(value(.direction, i))
                        }, dimension: 2)
                }
                let det = a * d - b * b
                let matrix: MathText =
                    "\(name) = [[\(n(a)), \(n(b))], [\(n(b)), \(n(d))]]: \(name)⁻¹ = [[\(n(d)), \(MathText.number(-b))], [\(MathText.number(-b)), \(n(a))]]/\(n(det))   (ac − b² = \(n(det)))"
                return Explanation(
                    q, lines: [directionFormula(), matrix],
                    coordinates: [
                        "d\(tt) = −(\(n(d))·\(n(g[0])) − \(n(b))·\(n(g[1])))/\(n(det)) = "
                            + .number(value(.direction, 0)),
                        "d\(tt) = −(\(n(a))·\(n(g[1])) − \(n(b))·\(n(g[0])))/\(n(det)) = "
                            + .number(value(.direction, 1)),
                    ], dimension: 2)
            }
            return perCoordinate(q, directionFormula()) { i in "d\(tt) = " + .number(value(.direction, i)) }
        case .stepLength:
            let tau = n(record.scalars[.stepLength] ?? .nan)
            guard kind == .lbfgs else { return Explanation(q, lines: ["τ\(tt) = lr = \(tau)"]) }
            let strong = h.lineSearch == "strong_wolfe"
            // The run's very first iteration, with its numbers: τ = min(1, 1/Σ|gᵢ|)·lr.
            let first: [MathText] =
                t == 1 && (record.curvature?.iterations ?? 0) == 1 && !strong
                ? vec(.g).map { g in
                    let sum = g.reduce(0) { $0 + Swift.abs($1) }
                    return ["here Σ|gᵢ| = \(n(sum)), so τ\(tt) = min(1, 1/\(n(sum)))·\(n(h.lr)) = \(tau)"]
                } ?? [] : []
            return Explanation(
                q,
                lines: [
                    "τ\(tt) = \(tau): the step length of this step's \((record.curvature?.iterations ?? 1) > 1 ? "last iteration" : "iteration")",
                    "the first iteration of a run tries τ = min(1, 1/Σ|gᵢ|)·lr, every later one τ = lr",
                    strong
                        ? "line_search=strong_wolfe then moves τ until f(θ + τd) ≤ f(θ) + 10⁻⁴·τ·gᵀd and |∇f(θ + τd)ᵀd| ≤ 0.9·|gᵀd| (the strong Wolfe conditions)"
                        : "without a line search that τ is taken as it is, whether f falls or not",
                ] + first)
        case .evaluations:
            let k = record.curvature?.iterations ?? 0
            return Explanation(
                q,
                lines: [
                    "evals = \(n(record.scalars[.evaluations] ?? .nan)): f and ∇f computed that many times this step, over its \(k) iteration\(k == 1 ? "" : "s") (the first at θ\(tp); max_eval = \(Int(h.maxEval)) caps them)"
                ])
        case .update:
            return perCoordinate(q, updateFormula()) { i in "Δθ = " + updateNumbers(i) + .number(value(.update, i)) }
        case .thetaNext:
            return perCoordinate(q, "θ\(tt) = θ\(tp) + Δθ") { i in
                "θ\(tt) = \(n(value(.theta, i))) + \(n(value(.update, i))) = \(n(value(.thetaNext, i)))"
            }
        default: break
        }
        return nil
    }

    /// The decay a step takes beside the adaptive one (AdamW's, torch's decoupled_weight_decay,
    /// AdaBelief's), written first; empty where λθ goes into g or there is none.
    private var decayTerm: MathText {
        let tp = sub(t - 1)
        guard h.weightDecay != 0 else { return "" }
        switch spec.kind {
        case .adamw where h.convention != .optax: return "−lr·λ·θ\(tp) "
        case .adam, .nadam,
            .radam where h.decoupledWeightDecay:
            return "−lr·λ·θ\(tp) "
        case .adabelief where h.weightDecouple: return h.fixedDecay ? "−λ·θ\(tp) " : "−lr·λ·θ\(tp) "
        default: return ""
        }
    }

    /// How a second-order step's direction was found.
    private func directionFormula() -> MathText {
        let tt = sub(t)
        let c = record.curvature
        let damped: MathText = h.damping != 0 ? " + \(n(h.damping))·I" : ""
        switch spec.kind {
        case .newton:
            let matrix: MathText = c?.remedy == .absolute ? "(|H|\(damped))" : (h.damping != 0 ? "(H\(damped))" : "H")
            let why: MathText =
                c?.remedy == .absolute
                ? "   (fix=abs: H is not positive definite, so each eigenvalue's sign is dropped)" : ""
            let target =
                c?.remedy == .absolute || c?.definiteness == .positiveDefinite
                ? "the minimum" : c?.definiteness == .negativeDefinite ? "the maximum" : "the stationary point"
            return "d\(tt) = −\(matrix)⁻¹·g\(tt): the step to \(target) of the quadratic model f + gᵀd + ½dᵀHd" + why
        case .natural where h.metric == "identity":
            return "d\(tt) = −G⁻¹·g\(tt) with G = I: the natural gradient under the identity metric is the gradient"
        case .natural where !h.solve:
            return "d\(tt) = −G·g\(tt)   (solve=off: the metric multiplies g, where it should be solved with)"
        case .natural:
            let metric: MathText = c?.remedy == .absolute ? "|H|\(damped)" : "H\(damped)"
            return "d\(tt) = −G⁻¹·g\(tt) with the metric G = \(metric)   (`show metric`)"
        case .lbfgs:
            let pairs = c?.pairs.count ?? 0
            return pairs == 0
                ? "d\(tt) = −g\(tt)   (no pairs (s, y) in memory yet: the first direction is steepest descent)"
                : "d\(tt) = −H̃·g\(tt) by the two-loop recursion over \(pairs) pair\(pairs == 1 ? "" : "s") (s, y), from H₀ = γI, γ = sᵀy/yᵀy = \(n(c?.initialScale ?? .nan))"
        default: return "d\(tt)"
        }
    }

    private func updateFormula() -> MathText {
        let tt = sub(t)
        let decayFirst = decayTerm
        switch spec.kind {
        case .newton, .natural: return "Δθ = lr·d\(tt)"
        case .lbfgs:
            let k = record.curvature?.iterations ?? 1
            return k == 1
                ? "Δθ = τ\(tt)·d\(tt)"
                : "Δθ = the sum of τ·d over this step's \(k) iterations (d\(tt) and τ\(tt) are the last's)"
        case .sgd, .momentum, .nesterov:
            if h.momentum == 0 { return "Δθ = −lr·g\(tt)" }
            return h.nesterov
                ? "Δθ = −lr·(g\(tt) + μ·b\(tt))   (Nesterov: look ahead along the momentum)" : "Δθ = −lr·b\(tt)"
        case .adagrad: return "Δθ = −α\(tt)·g\(tt)/(√G\(tt) + ε)"
        case .rmsprop:
            let root = h.centered ? "√(E[g²]\(tt) − E[g]\(tt)²)" : "√E[g²]\(tt)"
            return h.momentum > 0
                ? "Δθ = −lr·b\(tt),  b\(tt) = μ·b\(sub(t - 1)) + g\(tt)/(\(root) + ε)" : "Δθ = −lr·g\(tt)/(\(root) + ε)"
        case .adadelta: return "Δθ = −lr·√(E[Δx²]\(sub(t - 1)) + ε)/√(E[g²]\(tt) + ε)·g\(tt)"
        case .adam, .adamw:
            let decay = decayFirst
            let second = h.amsgrad ? "v_max\(tt)/(1 − β₂\(sup(t)))" : "v̂\(tt)"
            switch h.convention {
            case .keras:
                return
                    "Δθ = \(decay)−α\(tt)·m\(tt)/(√\(h.amsgrad ? "v_max" : "v")\(tt) + ε̂)   (Keras: ε̂ added to the uncorrected √v)"
            case .optax:
                let second = h.amsgrad ? "v_max\(tt)" : "v̂\(tt)"
                let nesterov: MathText = h.nesterov ? "   (m̂ in Optax's Nesterov form: `explain m_hat`)" : ""
                return "Δθ = −lr·(m̂\(tt)/(√(\(second) + ε_root) + ε)\(spec.kind == .adamw ? " + λ·θ" : ""))" + nesterov
            default:
                if !h.biasCorrection {
                    return "Δθ = \(decay)−lr·m\(tt)/(√\(h.amsgrad ? "v_max" : "v")\(tt) + ε)   (no bias correction)"
                }
                return "Δθ = \(decay)−lr·m̂\(tt)/(√\(h.amsgrad ? "(\(second))" : second) + ε)"
            }
        case .adamax:
            switch h.convention {
            case .keras: return "Δθ = −lr·m\(tt)/((1 − β₁\(sup(t)))·(u\(tt) + ε))"
            default:
                return "Δθ = −lr/(1 − β₁\(sup(t)))·m\(tt)/u\(tt)" + (h.convention == .paper ? "   (0 where u = 0)" : "")
            }
        case .nadam: return "Δθ = \(decayFirst)−lr·m̂\(tt)/(√v̂\(tt) + ε)   (m̂ is the Nesterov blend of m and g)"
        case .radam:
            return record.scalars[.rT] != nil
                ? "Δθ = \(decayFirst)−lr·r\(tt)·m̂\(tt)·√(1 − β₂\(sup(t)))/(√v\(tt) + ε)"
                : "Δθ = \(decayFirst)−lr·m̂\(tt)   (ρ\(tt) ≤ \(n(h.threshold)): no adaptive step yet)"
        case .adabelief:
            if h.rectify {
                return record.scalars[.rT] != nil
                    ? "Δθ = \(decayFirst)−lr·r\(tt)/(1 − β₁\(sup(t)))·m\(tt)/(√s\(tt) + ε)   (rectified, rₜ with √(1 − β₂ᵗ) in it)"
                    : "Δθ = \(decayFirst)−lr·m̂\(tt)   (ρ\(tt) < 5: momentum SGD)"
            }
            return "Δθ = \(decayFirst)−lr·m̂\(tt)/(√ŝ\(tt) + ε)"
        }
    }

    /// The update with this step's numbers put in, ending in "= " (empty where the formula has many parts).
    private func updateNumbers(_ i: Int) -> MathText {
        let lr = record.scalars[.lrScheduled] ?? h.lr, eps = h.eps
        let g = record.vectors[.g]?[i] ?? .nan
        switch spec.kind {
        case .sgd, .momentum, .nesterov:
            return h.momentum == 0 ? "−\(n(lr))·\(n(g)) = " : ""
        case .newton, .natural:
            guard let d = record.vectors[.direction]?[i] else { return "" }
            return "\(n(lr))·\(n(d)) = "
        case .adam where h.convention == .paper && !h.amsgrad && h.epsRoot == 0 && decayTerm.pieces.isEmpty:
            guard let vHat = record.vectors[.vHat]?[i], let mHat = record.vectors[.mHat]?[i] else { return "" }
            return
                "−\(n(lr))·\(n(mHat))/(√\(n(vHat)) + \(n(eps))) = −\(n(lr))·\(n(mHat))/\(n(vHat.squareRoot() + eps)) = "
        case .adamax where h.convention == .paper:
            guard let m = record.vectors[.m]?[i], let u = record.vectors[.u]?[i] else { return "" }
            return "−\(n(lr))/\(n(Reference.biasCorrection(beta: h.beta1, t: t)))·\(n(m))/\(n(u)) = "
        case .adagrad:
            guard let sum = record.vectors[.sum]?[i] else { return "" }
            return "−\(n(record.scalars[.lrT] ?? lr))·\(n(g))/(√\(n(sum)) + \(n(eps))) = "
        default:
            return ""
        }
    }
}
