// The terminal's words for the session's values: the one place `Output` becomes text.

import AdamLabCore
import AdamLabSession

/// Renders `Output` values as terminal text in a `Style` (digits, Unicode or ASCII, colour).
public struct TerminalRenderer {
    public var style: Style

    public init(style: Style) { self.style = style }

    public func render(_ output: Output) -> String {
        switch output {
        case .step(let step):
            return renderStep(step.record, spec: step.spec, style: style)
        case .manySteps(let last, let taken):
            return renderStep(last.record, spec: last.spec, style: style) + "\n"
                + style.dim("took \(taken) steps; only the last is shown (`show history QUANTITY` for the rest)")
        case .stopped(let t):
            return style.dim("stopped by Ctrl-C at t = \(t)")
        case .summary(let s):
            var text = "\(style.bold("t = \(s.t)"))   f(θ) = \(style.number(s.loss))   ‖∇f‖ = \(style.number(s.gradientNorm))"
            text += "\nθ = \(vector(s.theta))"
            if let u = s.lastUpdate { text += "\nlast Δθ = \(vector(u))" }
            return text
        case .wentBack(let t, let theta, let loss):
            return "back at t = \(t): θ = \(vector(theta)), f(θ) = \(style.number(loss))"
        case .reset(let start):
            return "back to t = 0 at θ₀ = \(vector(start))"
        case .echo(let line):
            return (style.unicode ? "› " : "> ") + line
        case .using(let spec, let objective, let start):
            return "using \(spec.fullDescription)\n"
                + style.dim("on \(objective.description) from θ₀ = \(vector(start)); `step` to take the first step")
        case .changed(let spec, let t):
            return "now \(spec.fullDescription)" + (t > 0 ? style.dim("   (state kept at t = \(t))") : "")
        case .objective(let objective, let start, let loss):
            let name: String
            if case .formula = objective { name = "objective \(objective.description)" } else {
                name = "objective \(objective.description)   \(style.dim(objective.definition))"
            }
            return name + "\nθ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
        case .start(let start, let loss):
            return "θ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
        case .typedGradient(let g):
            return "the next step uses g = \(vector(g)) instead of ∇f"
        case .precision(let n):
            return "showing \(n) significant digits"
        }
    }

    /// The progress line of a long run.
    public func render(_ progress: RunProgress) -> String {
        "t = \(progress.t) / \(progress.target)   f(θ) = \(style.number(progress.loss))"
    }

    /// A vector as `(a, b, …)`, long ones cut after `maxRows` entries.
    public func vector(_ v: [Double]) -> String {
        let shown = v.prefix(style.maxRows).map { style.number($0) }.joined(separator: ", ")
        return "(" + shown + (v.count > style.maxRows ? ", … \(v.count - style.maxRows) more" : "") + ")"
    }
}
