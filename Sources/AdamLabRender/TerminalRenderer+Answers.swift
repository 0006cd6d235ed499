// The terminal's words for answers: `check`'s verdicts, predictions, grades and the names of what is asked.

import AdamLabCore
import AdamLabLessons
import AdamLabSession

extension TerminalRenderer {
    func verdicts(_ v: CheckVerdicts) -> String {
        let r = v.result
        var lines: [String] = []
        // One note for the whole answer only when one mistake explains every coordinate; a note that fits
        // some of them goes under each coordinate it explains.
        let everyCoordinateWrong = (0..<r.expected.count).allSatisfy { r.absoluteError[$0] > r.tolerance[$0] }
        var wholeMistake = false
        if case .mistake = v.grade.verdict, everyCoordinateWrong || v.coordinateGrades.isEmpty { wholeMistake = true }
        for i in 0..<r.expected.count {
            let label = name(v.expression, t: v.t, coordinate: v.coordinates.map { $0[i] })
            let ok = r.absoluteError[i] <= r.tolerance[i]
            let verdict =
                ok
                ? style.good(style.unicode ? "✓ right" : "right")
                : style.bad(style.unicode ? "✗ not right" : "not right")
            let tolerance =
                r.resolutionSetTolerance[i]
                ? "±\(style.number(r.tolerance[i])), four units in the last place of a double"
                : v.explicitTolerance
                    ? "tol \(style.number(r.tolerance[i]))"
                    : r.digitsSetTolerance[i]
                        ? "±\(style.number(r.tolerance[i])) from the digits typed"
                        : "±\(style.number(r.tolerance[i])), 0.5% of the value"
            let typed = v.typed(at: i)
            lines.append(
                "\(verdict): \(label) is \(style.number(r.expected[i])); you typed \(typed.text)   (error \(style.number(r.absoluteError[i])), relative \(style.number(r.relativeError[i])), \(tolerance))"
            )
            if r.tooCoarse[i] {
                lines.append(
                    style.dim(
                        "  right to the \(typed.significantDigits) significant digit\(typed.significantDigits == 1 ? "" : "s") typed, but too coarse: give three"
                    ))
            }
            // A coordinate's own note, under its own verdict, unless one mistake explains the whole answer.
            if !wholeMistake, i < v.coordinateGrades.count, let note = note(v.coordinateGrades[i]) {
                lines.append(note)
            }
        }
        if wholeMistake || v.coordinateGrades.isEmpty, let note = note(v.grade) { lines.append(note) }
        return lines.joined(separator: "\n")
    }

    /// The line under a verdict that says which mistake gives the value, or that it is close.
    private func note(_ grade: Grade) -> String? {
        switch grade.verdict {
        case .mistake(let m): return "  " + style.fold(m.explanation)
        case .close: return "  close: within 0.5%, and the last digits typed are off; recompute them, or give fewer"
        case .right, .tooCoarse, .unknown: return nil
        }
    }

    func predictionVerdict(_ ask: PredictionAsk, expected: [Double], typed: [Double], grade: Grade?) -> String {
        let label = name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate)
        let value = list(expected)
        guard let grade else { return "skipped: \(label) is \(value)" }
        if grade.isRight { return style.good(style.unicode ? "✓ right" : "right") + ": \(label) is \(value)" }
        var text =
            style.bad(style.unicode ? "✗ not right" : "not right") + ": \(label) is \(value); you typed \(list(typed))"
        switch grade.verdict {
        case .mistake(let m): text += "\n" + wrapped(style.fold(m.explanation), indent: "  ")
        case .close: text += "\n  close: within 0.5%, and the last digits typed are off"
        case .tooCoarse(let digits):
            text +=
                "\n  right to the \(digits) significant digit\(digits == 1 ? "" : "s") typed, but too coarse: give three"
        case .right, .unknown: break
        }
        return text
    }

    func predictionScore(_ score: PredictionScore) -> String {
        let total = score.right + score.wrong + score.skipped
        var text = "predict off: \(score.right) of \(total) prediction\(total == 1 ? "" : "s") right"
        if score.skipped > 0 { text += ", \(score.skipped) skipped" }
        if !score.mistakes.isEmpty {
            text += "; mistakes: " + score.mistakes.map { "\(mistakeTitle($0.0)) ×\($0.1)" }.joined(separator: ", ")
        }
        return wrapped(text)
    }

    /// A mistake's short name: "no bias correction".
    public func mistakeTitle(_ m: Misconception) -> String { style.fold(m.title) }

    /// One value as it stands, several as (a, b, …).
    func list(_ values: [Double]) -> String {
        values.count == 1 ? style.number(values[0]) : vector(values)
    }

    /// An answer expression as a learner reads it: m̂₂[0], 1 − β₁³, E[m₂][0], …
    public func name(_ e: AnswerExpression, t: Int?, coordinate: Int?) -> String {
        let index = coordinate.map { "[\($0)]" } ?? ""
        let at = t.map(sub) ?? "ₜ"
        let text: String
        switch e {
        case .quantity(let q, _):
            return (t.map { style.name(q, at: $0) } ?? style.name(q)) + index
        case .biasCorrection(let beta, let given):
            text = "1 − β\(beta == 1 ? "₁" : "₂")\((given ?? t).map(sup) ?? "ᵗ")"
        case .scaledUpdate(let c, _):
            text = "Δθ\(at)\(index) with every g × \(style.number(c))"
        case .infinityNorm:
            text = "infinity norm u\(at)\(index)"
        case .lpNorm(let p, _):
            text = "L\(style.number(p)) moment\(index)"
        case .updateBound:
            text = "the bound on one step"
        case .expectedM:
            text = "E[m\(at)]\(index)"
        }
        return style.fold(text)
    }

    /// A grade in words: the verdict, and for a right answer the value and the exercise's explanation.
    public func words(_ grade: Grade) -> String {
        switch grade.verdict {
        case .right:
            return "right: \(grade.expected.map { style.number($0) }.joined(separator: ", "))"
                + (grade.explanation.isEmpty ? "" : "\n" + grade.explanation)
        case .tooCoarse(let digits):
            return
                "not right yet: that is right to the \(digits) significant digit\(digits == 1 ? "" : "s") you typed, but too coarse; give three"
        case .mistake(let m):
            return "not right: \(m.explanation)"
        case .close:
            if let asked = grade.tolerance {
                return
                    "not right, but close: within 0.5%, and this question asks for it to ±\(style.number(asked)); recompute"
            }
            return
                "not right, but close: within 0.5%, and the last digits you typed are off; recompute them, or give fewer"
        case .unknown:
            return "not right, and not a mistake I know"
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
