// A second-order step's curvature in words: the Hessian or metric, its eigenvalues and what they meant,
// and L-BFGS's memory.

import AdamLabCore

/// The lines under a second-order step's table (nothing for a first-order step).
func curvatureLines(_ record: StepRecord<Double>, spec: OptimizerSpec, style: Style) -> String? {
    guard let c = record.curvature else { return nil }
    func say(_ text: String) -> String { wrap(text, width: style.width, indent: "", continuation: "  ") }
    func list(_ v: [Double]) -> String { "(" + v.map(style.number).joined(separator: ", ") + ")" }
    var lines: [String] = []
    if spec.kind == .lbfgs {
        let stop = c.stop.map { " (\(stopText($0)))" } ?? ""
        lines.append(
            say(
                "\(c.iterations) iteration\(c.iterations == 1 ? "" : "s"), \(c.evaluations) evaluation\(c.evaluations == 1 ? "" : "s") of f and ∇f\(stop)"
            ))
        if record.scalars[.stepLength] == 0, spec.hyper.lineSearch == "strong_wolfe" {
            lines.append(
                say(
                    "τ = 0: torch lets the line search search with max_eval = \(Int(spec.hyper.maxEval)) less the evaluations already spent, so after its first try it could look no further; f rose there, and θ stayed (max_eval is max_iter·5/4 unless given: try max_eval=10)"
                ))
        }
        if !c.pairs.isEmpty {
            let n = c.pairs[0].s.count
            let shown = c.pairs.suffix(5)
            let first = c.pairs.count - shown.count
            let rows = shown.enumerated().map { k, p -> [String] in
                let s = n <= 3 ? list(p.s) : style.number(norm(p.s)), y = n <= 3 ? list(p.y) : style.number(norm(p.y))
                return ["\(first + k + 1)", s, y, style.number(p.rho)]
            }
            let header = n <= 3 ? ["pair", "s", "y", "ρ = 1/yᵀs"] : ["pair", "‖s‖", "‖y‖", "ρ = 1/yᵀs"]
            lines.append(Table(header: header.map(style.fold), rows: rows).render(style))
            let more = first > 0 ? "; the \(first) older not shown" : ""
            lines.append(
                style.dim(
                    say(
                        "memory: \(c.pairs.count) of history_size = \(Int(spec.hyper.historySize)) pairs\(more); H₀ = γI with γ = \(style.number(c.initialScale ?? 1))"
                    )))
        }
        return lines.joined(separator: "\n")
    }
    let n = record.vectors[.theta]?.count ?? 0
    let usesH = !c.hessian.isEmpty
    if usesH, n <= 4 { lines.append(matrixTable("H", c.hessian, n: n, style: style)) }
    if usesH {
        lines.append(
            say("eigenvalues of H: \(list(c.eigenvalues)): \(definitenessText(c.definiteness, kind: spec.kind))"))
    }
    let matrixIsH = c.matrix == c.hessian
    if spec.kind == .natural, !matrixIsH, n <= 4 {
        lines.append(matrixTable("G", c.matrix, n: n, style: style))
    }
    switch (spec.kind, c.remedy) {
    case (.newton, .absolute):
        lines.append(say("fix=abs: solved with |H|, the same eigenvectors with every eigenvalue made positive"))
    case (.natural, .absolute):
        lines.append(say("a metric must be positive definite: G = |H| + damping·I, each eigenvalue's sign dropped"))
    case (.natural, .none) where spec.hyper.metric == "identity":
        lines.append(say("metric=identity: G = I, so −G⁻¹g is −g: gradient descent"))
    default: break
    }
    return lines.isEmpty ? nil : lines.joined(separator: "\n")
}

private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// A small matrix as a table, its name in the corner.
private func matrixTable(_ name: String, _ m: [Double], n: Int, style: Style) -> String {
    let rows = (0..<n).map { i in ["\(i)"] + (0..<n).map { j in style.number(m[i * n + j]) } }
    return Table(header: [name] + (0..<n).map { "\($0)" }, rows: rows).render(style)
}

private func definitenessText(_ d: Definiteness?, kind: OptimizerKind) -> String {
    switch d {
    case .positiveDefinite?: return "positive definite (the quadratic model has a minimum)"
    case .indefinite?:
        return kind == .newton
            ? "indefinite (a saddle in the quadratic model: a plain Newton step heads for it)"
            : "indefinite (not a metric as it is)"
    case .negativeDefinite?:
        return kind == .newton
            ? "negative definite (the quadratic model is upside down: a plain Newton step heads for its maximum)"
            : "negative definite (not a metric as it is)"
    case .singular?: return "singular (flat in some direction: the model has no single minimum)"
    case .notFinite?: return "not finite (f is not twice differentiable here)"
    case nil: return ""
    }
}

private func stopText(_ stop: LBFGSStop) -> String {
    switch stop {
    case .optimal: return "stopped: every |gᵢ| ≤ tolerance_grad"
    case .maxIter: return "stopped: max_iter"
    case .maxEval: return "stopped: max_eval"
    case .noDescent: return "stopped: gᵀd > −tolerance_change, d no longer descends"
    case .smallStep: return "stopped: the step moved θ by at most tolerance_change"
    case .smallChange: return "stopped: f changed by less than tolerance_change"
    }
}
