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
            return predictionMarks(marks)
        case .summary(let s):
            return summary(s)
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
            return using(spec, objective: objective, start: start)
        case .changed(let spec, let t):
            return wrapped("now \(spec.fullDescription)") + (t > 0 ? style.dim("   (state kept at t = \(t))") : "")
        case .objective(let objective, let start, let loss):
            return objectiveText(objective, start: start, loss: loss)
        case .start(let start, let loss):
            return "θ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
        case .typedGradient(let g):
            return "the next step uses g = \(vector(g)) instead of ∇f"
        case .precision(let n):
            return "showing \(n) significant digits"
        case .quantities(let record, let qs):
            return quantities(record, qs)
        case .layerQuantities(let record, let qs, let groups, let picked):
            return layerQuantities(record, qs, groups: groups, picked: picked)
        case .state(let s):
            return state(s)
        case .settings(let spec, let objective, let start, let t):
            return
                "optimizer  \(spec.fullDescription)\nobjective  \(objective.description)   \(style.dim(objective.definition))\nstart      \(vector(start))\nt          \(t)"
        case .history(let q, let records):
            return history(q, records)
        case .verdicts(let v):
            return verdicts(v)
        case .comparison(let c):
            return comparison(c)
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
