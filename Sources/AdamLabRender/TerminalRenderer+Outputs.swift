// The longer pieces of the terminal's words for a session's values, one function per kind of output.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

extension TerminalRenderer {
    func predictionMarks(_ marks: [(ask: PredictionAsk, grade: Grade?)]) -> String {
        let parts = marks.map { mark -> String in
            let label = name(mark.ask.expression, t: mark.ask.t, coordinate: mark.ask.expression.coordinate)
            guard let grade = mark.grade else { return "\(label) skipped" }
            if grade.isRight { return "\(label) " + style.good(style.unicode ? "✓" : "right") }
            let why = grade.diagnosis.map { " (\(mistakeTitle($0)))" } ?? ""
            return "\(label) " + style.bad(style.unicode ? "✗" : "wrong") + why
        }
        return wrapped("your predictions: " + parts.joined(separator: ", "))
    }

    func summary(_ s: RunSummary) -> String {
        var text =
            "\(style.bold("t = \(s.t)"))   f(θ) = \(style.number(s.loss))   ‖∇f‖ = \(style.number(s.gradientNorm))"
        // A long θ folds between its numbers, never inside one.
        text += "\n" + wrapped("θ = \(vector(s.theta))")
        if let u = s.lastUpdate { text += "\n" + wrapped("last Δθ = \(vector(u))") }
        return text
    }

    func using(_ spec: OptimizerSpec, objective: Objective, start: [Double]) -> String {
        let single =
            spec.hyper.dtype == .float32
            ? "\n"
                + style.dim(
                    wrapped(
                        "every operation in float32 (about 7 significant digits); `precision 9` shows all it keeps")
                )
            : ""
        return wrapped("using \(spec.fullDescription)") + "\n"
            + style.dim(
                wrapped("on \(objective.description) from θ₀ = \(vector(start)); `step` to take the first step"))
            + single
    }

    func objectiveText(_ objective: Objective, start: [Double], loss: Double) -> String {
        let name: String
        if case .formula = objective {
            name = "objective \(objective.description)"
        } else {
            name = "objective \(objective.description)   \(style.dim(objective.definition))"
        }
        // On a terminal a long definition folds between words, not inside a number at the edge.
        let shown = style.columns.map { wrap(name, width: $0 - 1, indent: "", continuation: "  ") } ?? name
        return shown + "\nθ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
    }

    func quantities(_ record: StepRecord<Double>, _ qs: [Quantity]) -> String {
        var lines = qs.filter(\.isScalar).map { q in
            "\(style.name(q)) = \(q == .t ? "\(record.t)" : style.number(record[q]![0]))"
        }
        let vectors = qs.filter { !$0.isScalar }
        if !vectors.isEmpty {
            var wide = style
            wide.maxRows = Int.max
            lines.append(vectorTable(columns: vectors, record: record, style: wide))
        }
        return lines.joined(separator: "\n")
    }

    func state(_ s: OptimizerStateView) -> String {
        var lines = ["\(style.bold("t = \(s.t)"))   \(s.spec.description)   f(θ) = \(style.number(s.loss))"]
        let columns = [(Quantity.theta, s.theta)] + s.slots
        let rows = (0..<min(s.theta.count, style.maxRows)).map { i in
            ["\(i)"] + columns.map { style.number($0.1[i]) }
        }
        lines.append(
            Table(
                header: ["i"] + columns.map { $0.0 == .theta ? (style.unicode ? "θ" : "theta") : style.name($0.0) },
                rows: rows
            ).render(style))
        if s.theta.count > style.maxRows {
            lines.append(style.dim("\(s.theta.count) coordinates; the first \(style.maxRows) shown"))
        }
        if let g = s.pendingGradient { lines.append("the next step uses the typed gradient \(vector(g))") }
        return lines.joined(separator: "\n")
    }

    func history(_ q: Quantity, _ records: [(t: Int, values: [Double])]) -> String {
        guard let first = records.first else { return "" }
        let width = min(first.values.count, style.maxRows)
        let header =
            ["t"] + (first.values.count == 1 ? [style.name(q)] : (0..<width).map { "\(style.name(q))[\($0)]" })
        // About 40 rows of a long history, evenly spread, and the last.
        let every = records.count / 40 + 1
        let sampled =
            records.count > 60
            ? stride(from: 0, to: records.count, by: every).map { records[$0] }
                + ((records.count - 1) % every == 0 ? [] : [records.last!])
            : records
        let rows = sampled.map { ["\($0.t)"] + $0.values.prefix(width).map { style.number($0) } }
        var text = Table(header: header, rows: rows).render(style)
        if sampled.count < records.count {
            text += "\n" + style.dim("\(records.count) recorded steps; \(sampled.count) shown")
        }
        return text
    }

    func comparison(_ c: Comparison) -> String {
        let rows = c.rows.map { r -> [String] in
            let status: String
            switch r.status {
            case .ok: status = "ok"
            case .stopped: status = "stopped"
            case .diverged(let t): status = "diverged at \(t)"
            case .noStep(let t): status = "no step \(t): H singular"
            }
            return [
                r.spec.description, vector(r.theta), style.number(r.loss), style.number(r.gradientNorm),
                r.reached.map { "\($0)" } ?? "—", status,
            ]
        }
        // The status column only when a run did not end well; the step at which ‖∇f‖ first fell to the
        // tolerance under a short header, so that six optimizers fit 80 columns.
        let allOK = rows.allSatisfy { $0.last == "ok" }
        // When no run got there, a line says so instead of a column of dashes.
        let noneReached = c.rows.allSatisfy { $0.reached == nil }
        let reachedWords = "‖∇f‖ ≤ \(significantDigits(c.tolerance))"
        let header = ["optimizer", "final θ", "f(θ)", "‖∇f‖", "\(reachedWords) at", "status"]
        // A model's weights are too many to read in a row: its θ is left to `show`.
        let many = c.start.count > 8
        // The columns left out: θ for a model, "reached at" when none did, the status when all ended well.
        let dropped: Set<Int> = Set([many ? 1 : nil, noneReached ? 4 : nil, allOK ? 5 : nil].compactMap { $0 })
        func kept(_ cells: [String]) -> [String] {
            cells.indices.filter { !dropped.contains($0) }.map { cells[$0] }
        }
        let from = many ? "from its \(c.start.count) starting weights" : "from θ₀ = \(vector(c.start))"
        return wrapped("\(c.objective.description) \(from), \(c.steps) steps") + "\n"
            + Table(header: kept(header), rows: rows.map(kept)).render(style)
            + (noneReached ? "\n" + style.dim("no run reached \(reachedWords) in \(c.steps) steps") : "")
    }
}
