// `explain` for the reference computations (bias_correction, infinity_norm, scaled_update, …): what
// each is, why, and this run's numbers put in.

import AdamLabCore
import Foundation

extension ExplainContext {
    /// A reference computation explained: what it is, why, and this run's numbers put in.
    func explain(_ e: AnswerExpression, reference: AnswerReference, gradients: [[Double]]?) throws -> Explanation {
        let values = reference.expected
        let coordinates = reference.coordinates ?? []
        let b1 = h.beta1, b2 = h.beta2
        func n(_ x: Double) -> MathText { .term(x) }
        func perCoordinate(_ lines: [MathText], _ line: (Int, Double) -> MathText) -> Explanation {
            var out = Explanation(
                nil, lines: lines, coordinates: zip(coordinates, values).prefix(Explanation.coordinateLimit).map(line),
                dimension: record.vectors[.theta]?.count ?? 1)
            if let i = e.coordinate {
                out.firstCoordinate = i
                out.isSingleCoordinate = true
            }
            return out
        }
        switch e {
        case .quantity(let q, _):
            return try explain(q)
        case .biasCorrection(let beta, let given):
            let t = given ?? self.t
            let (name, b, moment) = beta == 1 ? ("β₁", b1, "m") : ("β₂", b2, "v")
            return Explanation(
                nil,
                lines: [
                    "1 − \(name)\(sup(t)): \(moment) starts at 0, so after \(t) step\(t == 1 ? "" : "s") of a steady gradient it has reached only this fraction of it; \(moment)̂ divides by it",
                    "1 − \(name)\(sup(t)) = 1 − \(n(b))\(sup(t)) = \(MathText.number(values[0]))",
                ])
        case .expectedM:
            let bc = Reference.biasCorrection(beta: b1, t: t)
            return perCoordinate(
                [
                    "E[m\(sub(t))] = (1 − β₁\(sup(t)))·g under a constant gradient g: m starts at 0, and this shortfall is the bias m̂ removes",
                    "with g this step's gradient gₜ:",
                ]
            ) { i, x in "E[m\(sub(t))] = \(n(bc))·\(n(record.vectors[.g]?[i] ?? 0)) = \(MathText.number(x))" }
        case .infinityNorm:
            guard let gradients else { return Explanation(nil, lines: []) }
            let steps = gradients.count
            let inside = spec.infinityNormEpsilon
            let plusEps: MathText = inside != 0 ? " + ε" : ""
            return perCoordinate(
                [
                    "u\(sub(steps)) = max(β₂·u\(sub(steps - 1)), |g\(sub(steps))|\(plusEps)) = max over i of β₂^(\(steps)−i)·\(inside != 0 ? "(|gᵢ| + ε)" : "|gᵢ|"): the largest past |g|, decayed by β₂ for each step since"
                ]
            ) { c, x in
                let terms = gradients.enumerated().map { k, g in
                    (k + 1, Foundation.pow(b2, Double(steps - 1 - k)) * (abs(g[c]) + inside))
                }
                let winner = terms.max { $0.1 < $1.1 }?.0 ?? steps
                let shown = terms.suffix(4).map { k, v in "\(n(v))" as MathText }
                let list = shown.dropFirst().reduce(shown.first ?? "") { $0 + ", " + $1 }
                return
                    "u\(sub(steps)) = max(\(terms.count > 4 ? "…, " : "")\(list)) = \(MathText.number(x)), from g\(sub(winner))"
            }
        case .lpNorm(let p, _):
            guard let gradients else { return Explanation(nil, lines: []) }
            let steps = gradients.count
            return perCoordinate(
                [
                    "the Lp moment ((1 − β₂ᵖ)·Σᵢ β₂^(p(\(steps)−i))·|gᵢ|ᵖ)^(1/p) at p = \(MathText.number(p)): as p grows the largest term wins, and the limit p → ∞ is AdaMax's u"
                ]
            ) { c, x in
                let u = Reference.infinityNorm(
                    gradients: gradients.map { $0[c] }, beta2: b2, eps: spec.infinityNormEpsilon)
                return
                    "L\(MathText.number(p)) moment = \(MathText.number(x)); the infinity norm u\(sub(steps)) = \(MathText.number(u))"
            }
        case .scaledUpdate(let scale, _):
            guard let gradients else { return Explanation(nil, lines: []) }
            let r = Reference.scaledUpdate(spec: spec, start: start, gradients: gradients, scale: scale)
            let lines: [MathText] =
                Reference.isScaleInvariant(spec.kind)
                ? [
                    "every g × c scales the numerator of the step by c and the root of the average of g² by |c|: c cancels, so the step keeps its size (scale invariance)",
                    "only ε does not scale: the scaled run acts as if ε were ε/|c| = \(MathText.number(h.eps / abs(scale))), which matters once the root is near ε",
                ]
                : [
                    "\(spec.kind.rawValue)'s step is lr times the gradient (through the momentum buffer): every g × c makes it c times larger; nothing divides c out"
                ]
            return perCoordinate(lines) { c, x in
                let base = c < r.unscaled.count ? r.unscaled[c] : 0
                let difference = base == 0 ? 0 : abs(x - base) / abs(base)
                return
                    "Δθ with every g × \(MathText.number(scale)) = \(MathText.number(x)); unscaled \(MathText.number(base)); relative difference \(MathText.number(difference))"
            }
        case .updateBound:
            let a = 1 - b1, root = (1 - b2).squareRoot()
            if spec.kind == .adamax {
                return Explanation(
                    nil,
                    lines: [
                        "|Δθ| ≲ lr for AdaMax: |m̂ₜ|, an average of past g, is at most about uₜ, a decayed maximum of the same |g|",
                        "lr = \(MathText.number(values[0]))",
                    ])
            }
            return Explanation(
                nil,
                lines: [
                    "|Δθ| ≲ lr·(1 − β₁)/√(1 − β₂) when 1 − β₁ > √(1 − β₂), else ≲ lr: Adam's step has a size set by lr, whatever the gradient's",
                    "1 − β₁ = \(n(a)), √(1 − β₂) = \(n(root)): the bound is \(MathText.number(values[0]))",
                ])
        }
    }
}
