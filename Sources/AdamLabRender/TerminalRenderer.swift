// The terminal's words for the session's values: the one place `Output` becomes text.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

/// Renders `Output` values as terminal text in a `Style` (digits, Unicode or ASCII, colour).
public struct TerminalRenderer {
    public var style: Style

    public init(style: Style) { self.style = style }

    public func render(_ output: Output) -> String {
        switch output {
        case .step(let step):
            return renderStep(step.record, spec: step.spec, groups: step.groups, style: style)
        case .manySteps(let last, let taken):
            return renderStep(last.record, spec: last.spec, groups: last.groups, style: style) + "\n"
                + style.dim("took \(taken) steps; the last is shown (`show history QUANTITY` for the rest)")
        case .stopped(let t):
            return style.dim("stopped by Ctrl-C at t = \(t)")
        case .plot(let plot):
            return render(plot)
        case .exported(let path, let bytes, let what):
            return "wrote \(path) (\(bytes) bytes): " + (what == .plot ? "the last plot" : "the run's history")
        case .predicting(let expressions):
            let names = expressions.map { name($0, t: nil, coordinate: $0.coordinate) }.joined(separator: ", ")
            return wrapped(
                "predict: before each step is shown you give \(names); `skip` skips one, `predict off` ends it with your score"
            )
        case .predictionScore(let score):
            return predictionScore(score)
        case .predictionAsk(let ask):
            let label = name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate)
            let count = ask.coordinates.map { $0.count > 1 ? " (\($0.count) values, as a,b)" : "" } ?? ""
            let lead = ask.index == 1 ? "step \(ask.t.map(String.init) ?? "") is taken; before you see it: " : ""
            return "\(lead)what is \(label)?\(count)"
        case .predictionUnavailable(let missing):
            return style.dim(
                "not asked at this step: "
                    + missing.map { "\(name($0.0, t: nil, coordinate: $0.0.coordinate)) (\($0.1))" }.joined(
                        separator: "; "))
        case .predictionVerdict(let ask, let expected, let typed, let grade):
            return predictionVerdict(ask, expected: expected, typed: typed, grade: grade)
        case .predictionMarks(let marks):
            let parts = marks.map { mark -> String in
                let label = name(mark.ask.expression, t: mark.ask.t, coordinate: mark.ask.expression.coordinate)
                guard let grade = mark.grade else { return "\(label) skipped" }
                if grade.isRight { return "\(label) " + style.good(style.unicode ? "✓" : "right") }
                let why = grade.diagnosis.map { " (\(mistakeTitle($0)))" } ?? ""
                return "\(label) " + style.bad(style.unicode ? "✗" : "wrong") + why
            }
            return wrapped("your predictions: " + parts.joined(separator: ", "))
        case .summary(let s):
            var text =
                "\(style.bold("t = \(s.t)"))   f(θ) = \(style.number(s.loss))   ‖∇f‖ = \(style.number(s.gradientNorm))"
            // A long θ folds between its numbers, never inside one.
            text += "\n" + wrapped("θ = \(vector(s.theta))")
            if let u = s.lastUpdate { text += "\n" + wrapped("last Δθ = \(vector(u))") }
            return text
        case .wentBack(let t, let theta, let loss):
            return "back at t = \(t): θ = \(vector(theta)), f(θ) = \(style.number(loss))"
        case .reset(let start):
            return "back to t = 0 at θ₀ = \(vector(start))"
        case .echo(let line):
            // A long command folds between words, its continuation under the command (a short one is
            // left as typed: an error's caret is placed under it by columns).
            let echo = (style.unicode ? "› " : "> ") + line
            return cells(echo) <= style.width ? echo : wrapped(echo)
        case .using(let spec, let objective, let start):
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
        case .changed(let spec, let t):
            return wrapped("now \(spec.fullDescription)") + (t > 0 ? style.dim("   (state kept at t = \(t))") : "")
        case .objective(let objective, let start, let loss):
            let name: String
            if case .formula = objective {
                name = "objective \(objective.description)"
            } else {
                name = "objective \(objective.description)   \(style.dim(objective.definition))"
            }
            // On a terminal a long definition folds between words, not inside a number at the edge.
            let shown = style.columns.map { wrap(name, width: $0 - 1, indent: "", continuation: "  ") } ?? name
            return shown + "\nθ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
        case .start(let start, let loss):
            return "θ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
        case .typedGradient(let g):
            return "the next step uses g = \(vector(g)) instead of ∇f"
        case .precision(let n):
            return "showing \(n) significant digits"
        case .quantities(let record, let qs):
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
        case .layerQuantities(let record, let qs, let groups, let picked):
            return layerQuantities(record, qs, groups: groups, picked: picked)
        case .state(let s):
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
        case .settings(let spec, let objective, let start, let t):
            return
                "optimizer  \(spec.fullDescription)\nobjective  \(objective.description)   \(style.dim(objective.definition))\nstart      \(vector(start))\nt          \(t)"
        case .history(let q, let records):
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
        case .verdicts(let v):
            return verdicts(v)
        case .comparison(let c):
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
        case .sweep(let sweep):
            return render(sweep)
        case .manyStarts(let race):
            return render(race)
        case .conventions(let c):
            return conventions(c)
        case .explanation(let e):
            return explanation(e)
        case .help(let topic):
            return help(topic)
        }
    }

}

extension TerminalRenderer {
    /// A race from many starts: per optimizer, how many runs ended near a global minimum, and the final f.
    func render(_ race: ManyStarts) -> String {
        let n = race.starts.count
        let d = race.starts.first?.count ?? 0
        let box =
            "[\(style.number(race.box.lowerBound)), \(style.number(race.box.upperBound))]"
            + (style.unicode ? sup(d) : "^\(d)")
        var lines = [
            "\(race.objective.description), \(n) Latin-hypercube start\(n == 1 ? "" : "s") in \(box) (seed \(race.seed)), \(race.steps) steps each"
        ]
        let anyDiverged = race.rows.contains { $0.diverged > 0 }
        var header = ["optimizer"]
        if let r = race.radius { header.append("at a global minimum (±\(style.number(r)))") }
        header += ["median f(θ)", "lowest f(θ)"]
        if anyDiverged { header.append("blew up") }
        let rows = race.rows.map { row -> [String] in
            var cells = [row.spec.description]
            if race.radius != nil {
                let percent = Int((100 * Double(row.reached) / Double(max(1, row.ends.count))).rounded())
                cells.append("\(row.reached) of \(row.ends.count) (\(percent)%)")
            }
            cells.append(row.medianLoss.map(style.number) ?? "—")
            cells.append(row.losses.filter(\.isFinite).min().map(style.number) ?? "—")
            if anyDiverged { cells.append(row.diverged == 0 ? "" : "\(row.diverged)") }
            return cells
        }
        lines.append(Table(header: header, rows: rows).render(style))
        if race.radius == nil { lines.append(style.dim("no global minimum of this objective is known in closed form")) }
        if race.stopped {
            lines.append(
                wrapped(
                    race.rows.isEmpty
                        ? "stopped by Ctrl-C before any optimizer had run from every start"
                        : "stopped by Ctrl-C: the optimizers above ran from every start, the rest did not run"))
        }
        return lines.joined(separator: "\n")
    }

    /// A sweep as a table with a bar per run: the bar's length is the final loss above the best, on a log
    /// scale over the runs' spread, so the best value stands out as the shortest bar.
    func render(_ sweep: Sweep) -> String {
        let finite = sweep.rows.filter { $0.status == .ok && $0.loss.isFinite }.map(\.loss)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        // Excess over the best, floored at a millionth of the spread, so that the best run has a sliver.
        let floor = Swift.max((high - low) * 1e-6, Double.leastNormalMagnitude)
        let top = Foundation.log10(Swift.max(high - low, floor)), bottom = Foundation.log10(floor)
        let width = 24
        let best = sweep.best
        let rows = sweep.rows.enumerated().map { k, r -> [String] in
            var bar: String
            switch r.status {
            case .diverged(let t): bar = "diverged at t = \(t)"
            case .noStep(let t): bar = "no step at t = \(t): H singular"
            case .stopped: bar = "stopped"
            case .ok:
                let x = Foundation.log10(Swift.max(r.loss - low, floor))
                let length = top > bottom ? Int(((x - bottom) / (top - bottom) * Double(width - 1)).rounded()) + 1 : 1
                bar = String(repeating: style.unicode ? "█" : "#", count: length)
                if k == best { bar += sweep.spec.hyper.maximize ? "  ← highest" : "  ← lowest" }
            }
            // A run that blew up has no final loss worth a number.
            if case .diverged = r.status { return [style.number(r.value), "—", "—", bar] }
            return [style.number(r.value), style.number(r.loss), style.number(r.gradientNorm), bar]
        }
        let header = [
            sweep.name.rawValue + (sweep.logarithmic ? " (log)" : ""), "final f(θ)", "‖∇f‖",
            "f(θ) above the lowest (log)",
        ]
        // The spec as typed, but for the swept hyperparameter.
        let others = sweep.spec.description.split(separator: " ").filter { !$0.hasPrefix(sweep.name.rawValue + "=") }
        return
            "\(others.joined(separator: " ")), \(sweep.name.rawValue) swept, on \(sweep.objective.description) from θ₀ = \(vector(sweep.start)), \(sweep.steps) steps each\n"
            + Table(header: header, rows: rows, leftAligned: [3]).render(style)
            + (sweep.rows.count < sweep.planned
                ? "\n" + style.dim("stopped by Ctrl-C after \(sweep.rows.count) of \(sweep.planned) values") : "")
    }
}
