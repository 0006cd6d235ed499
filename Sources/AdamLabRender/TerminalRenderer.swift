// The terminal's words for the session's values: the one place `Output` becomes text.

import AdamLabCore
import AdamLabLessons
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
        case .plot(let plot):
            return render(plot)
        case .exported(let path, let bytes, let what):
            return "wrote \(path) (\(bytes) bytes): " + (what == .plot ? "the last plot" : "the run's history")
        case .predicting(let expressions):
            let names = expressions.map { name($0, t: nil, coordinate: $0.coordinate) }.joined(separator: ", ")
            return
                "predict: before each step is shown you give \(names); `skip` skips one, `predict off` ends it with your score"
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
            return "your predictions: " + parts.joined(separator: ", ")
        case .summary(let s):
            var text =
                "\(style.bold("t = \(s.t)"))   f(θ) = \(style.number(s.loss))   ‖∇f‖ = \(style.number(s.gradientNorm))"
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
            let single =
                spec.hyper.dtype == .float32
                ? "\n"
                    + style.dim(
                        "every operation in float32 (about 7 significant digits); `precision 9` shows all it keeps")
                : ""
            return wrapped("using \(spec.fullDescription)") + "\n"
                + style.dim("on \(objective.description) from θ₀ = \(vector(start)); `step` to take the first step")
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
            return name + "\nθ₀ = \(vector(start)), f(θ₀) = \(style.number(loss))"
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
                }
                return [
                    r.spec.description, vector(r.theta), style.number(r.loss), style.number(r.gradientNorm),
                    r.reached.map { "\($0)" } ?? "—", status,
                ]
            }
            return "\(c.objective.description) from θ₀ = \(vector(c.start)), \(c.steps) steps\n"
                + Table(
                    header: [
                        "optimizer", "final θ", "f(θ)", "‖∇f‖", "steps to ‖∇f‖ ≤ \(significantDigits(c.tolerance))",
                        "status",
                    ], rows: rows
                ).render(style)
        case .conventions(let c):
            return conventions(c)
        case .explanation(let e):
            return explanation(e)
        case .help(let topic):
            return help(topic)
        }
    }

    private func help(_ topic: HelpTopic) -> String {
        func list(_ names: [String]) -> String { names.joined(separator: " ") }
        switch topic {
        case .overview:
            let width = Command.catalogue.map { cells($0.usage) }.max() ?? 0
            var lines = ["Commands (`help COMMAND` for an example):"]
            // A summary folds under itself, beside the usage column, while the terminal leaves it room.
            let hanging = String(repeating: " ", count: width + 4)
            for c in Command.catalogue {
                let line = "  " + padRight(c.usage, width) + "  " + c.summary
                lines.append(wrapped(line, continuation: style.width - width - 4 >= 24 ? hanging : "    "))
            }
            lines.append(wrapped("Quantities: " + list(Quantity.allCases.map(\.machineName))))
            lines.append(
                wrapped("Expressions (check, explain, predict): " + list(AnswerExpression.summaries.map(\.usage))))
            lines.append(wrapped("Optimizers: " + list(OptimizerKind.allCases.map(\.rawValue))))
            lines.append(wrapped("Objectives: " + list(Objective.names) + ", or f(x,y) = …"))
            return lines.joined(separator: "\n")
        case .command(let name, let kind):
            guard let c = Command.catalogue.first(where: { $0.name == name }) else { return "" }
            var text = [c.usage, "  \(c.summary)", "  example: \(c.example)"]
            if name == "use" || name == "set" {
                text.append("  optimizers: \(list(OptimizerKind.allCases.map(\.rawValue)))")
                text.append(
                    "  hyperparameters of \(kind.rawValue): \(list(OptimizerSpec.applicable(to: kind).map(\.rawValue)))"
                )
            }
            return text.map { wrapped($0, continuation: "    ") }.joined(separator: "\n")
        case .expression(let usage, let summary):
            return wrapped(style.fold("\(usage) (an expression for check, explain, predict and exercises): \(summary)"))
        case .words(let optimizer, let amsgrad, let hyperparameter, let quantity):
            var found: [String] = []
            if let k = optimizer {
                found.append(
                    "\(k.rawValue): \(k.title)\n  hyperparameters: \(list(OptimizerSpec.applicable(to: k).map(\.rawValue)))"
                )
            }
            if amsgrad {
                found.append(
                    "amsgrad: short for `adam amsgrad=on`: Adam dividing by the running maximum of v̂\n  hyperparameters: \(list(OptimizerSpec.applicable(to: .adam).map(\.rawValue)))"
                )
            }
            if let hp = hyperparameter {
                let users = OptimizerKind.allCases.filter { OptimizerSpec.applicable(to: $0).contains(hp) }.map(
                    \.rawValue)
                let fused = hp == .impl ? "\n  fused kernels: \(list(TorchPath.fusedKinds.map(\.rawValue)))" : ""
                found.append(
                    wrapped("\(hp.rawValue) (hyperparameter): \(hp.summary)", continuation: "")
                        + "\n" + wrapped("used by: \(list(users))", indent: "  ", continuation: "    ") + fused)
            }
            if let q = quantity { found.append(wrapped("\(q.machineName) (\(q.displayName)): \(q.summary)")) }
            return found.joined(separator: "\n")
        }
    }

    /// Mathematics with its numbers in this style's digits, folded to ASCII where the style wants it.
    public func render(_ math: MathText) -> String {
        let text = math.pieces.map { piece -> String in
            switch piece {
            case .text(let s): return s
            case .number(let x): return style.number(x)
            case .term(let x): return x < 0 ? "(\(style.number(x)))" : style.number(x)
            }
        }.joined()
        return style.unicode ? text : asciiFold(text)
    }

    private func explanation(_ e: Explanation) -> String {
        var lines = e.lines.map { wrapped(render($0)) }
        let shown = min(e.coordinates.count, style.maxRows)
        for i in 0..<shown {
            lines.append(
                wrapped(
                    (e.dimension > 1 ? "[\(e.firstCoordinate + i)] " : "    ") + render(e.coordinates[i]),
                    continuation: "    "))
        }
        if e.dimension > shown, !e.coordinates.isEmpty, !e.isSingleCoordinate {
            let pointer = e.quantity.map { "; `show \($0.machineName)` lists them" } ?? ""
            lines.append(render("… \(e.dimension - shown) more coordinates\(pointer)"))
        }
        return lines.joined(separator: "\n")
    }

    private func conventions(_ c: ConventionComparison) -> String {
        guard !c.rows.isEmpty else {
            return wrapped(
                "\(c.spec.kind.rawValue) has one formula: the paper, PyTorch, Keras and Optax agree (up to rounding order)"
            )
        }
        var lines = [
            wrapped(
                "\(c.taken ? "the last step, \(c.t)," : "the next step, \(c.t),") of \(c.spec.description) from the same state, under each library's formula:"
            )
        ]
        let rows = c.rows.map { r -> [String] in
            guard let update = r.update, let next = r.thetaNext else {
                return [r.convention.rawValue, "diverged", "", ""]
            }
            return [
                r.convention.rawValue, vector(update), vector(next),
                r.differenceFromPaper.map { style.number($0) } ?? "",
            ]
        }
        lines.append(Table(header: ["convention", "Δθ", "θ\(sub(c.t))", "max |Δθ − paper|"], rows: rows).render(style))
        lines.append(style.dim(wrapped(conventionNote(c.spec.kind), continuation: "")))
        if c.rows.contains(where: { $0.convention == .pytorch }) {
            lines.append(
                style.dim(
                    wrapped(
                        "pytorch is torch's \(pathName(c.spec.hyper.impl)) code path (`impl=` picks another). torch takes its float64 sqrt, exp and cos from a vector math library that is not correctly rounded, so a long torch run can part from these by an ulp.",
                        continuation: "")))
        }
        if c.changedSince {
            lines.append(
                style.dim(
                    wrapped(
                        "(with the hyperparameters step \(c.t) was taken with; `set` since then applies from step \(c.t + 1))"
                    )))
        }
        return lines.joined(separator: "\n")
    }

    /// A line of words wrapped at the style's width, its continuation lines indented.
    private func wrapped(_ line: String, indent: String = "", continuation: String = "  ") -> String {
        wrap(line, width: style.width, indent: indent, continuation: continuation)
    }

    private func pathName(_ path: TorchPath) -> String {
        switch path {
        case .single: return "single-tensor"
        case .foreach: return "multi-tensor (foreach)"
        case .fused: return "fused"
        }
    }

    /// Where the libraries' formulas differ, in a line.
    private func conventionNote(_ kind: OptimizerKind) -> String {
        switch kind {
        case .adam, .adamw:
            return
                "Keras adds its ε to the uncorrected √v, so its step is the paper's with ε/√(1−β₂ᵗ) in place of ε; Optax can put ε_root inside the root; PyTorch is the paper's formula in another order."
        case .adamax:
            return "the paper has no ε; PyTorch and Optax add ε inside the max; Keras adds it to u."
        default: return ""
        }
    }

    private func verdicts(_ v: CheckVerdicts) -> String {
        let r = v.result
        var lines: [String] = []
        for i in 0..<r.expected.count {
            let label = name(v.expression, t: v.t, coordinate: v.coordinates.map { $0[i] })
            let ok = r.absoluteError[i] <= r.tolerance[i]
            let verdict =
                ok
                ? style.good(style.unicode ? "✓ right" : "right")
                : style.bad(style.unicode ? "✗ not right" : "not right")
            let tolerance =
                v.explicitTolerance
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
        }
        switch v.grade.verdict {
        case .mistake(let m):
            lines.append("  " + style.fold(m.explanation))
        case .close:
            lines.append("  close: within 0.5%, and the last digits typed are off; recompute them, or give fewer")
        case .right, .tooCoarse, .unknown:
            break
        }
        return lines.joined(separator: "\n")
    }

    private func predictionVerdict(_ ask: PredictionAsk, expected: [Double], typed: [Double], grade: Grade?) -> String {
        let label = name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate)
        let value = list(expected)
        guard let grade else { return "skipped: \(label) is \(value)" }
        if grade.isRight { return style.good(style.unicode ? "✓ right" : "right") + ": \(label) is \(value)" }
        var text =
            style.bad(style.unicode ? "✗ not right" : "not right") + ": \(label) is \(value); you typed \(list(typed))"
        switch grade.verdict {
        case .mistake(let m): text += "\n  " + style.fold(m.explanation)
        case .close: text += "\n  close: within 0.5%, and the last digits typed are off"
        case .tooCoarse(let digits):
            text +=
                "\n  right to the \(digits) significant digit\(digits == 1 ? "" : "s") typed, but too coarse: give three"
        case .right, .unknown: break
        }
        return text
    }

    private func predictionScore(_ score: PredictionScore) -> String {
        let total = score.right + score.wrong + score.skipped
        var text = "predict off: \(score.right) of \(total) prediction\(total == 1 ? "" : "s") right"
        if score.skipped > 0 { text += ", \(score.skipped) skipped" }
        if !score.mistakes.isEmpty {
            text += "; mistakes: " + score.mistakes.map { "\(mistakeTitle($0.0)) ×\($0.1)" }.joined(separator: ", ")
        }
        return text
    }

    /// A mistake's short name: "no bias correction".
    public func mistakeTitle(_ m: Misconception) -> String { style.fold(m.title) }

    /// One value as it stands, several as (a, b, …).
    private func list(_ values: [Double]) -> String {
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

/// A terminal (or a script's standard output): where a session's values are rendered and written,
/// in a style that `precision` can change.
public final class TerminalOutput {
    public var style: Style
    /// Receives the text, a line or more at a time, without the final newline.
    public let write: (String) -> Void

    public init(style: Style, write: @escaping (String) -> Void) {
        self.style = style
        self.write = write
    }

    public var renderer: TerminalRenderer { TerminalRenderer(style: style) }

    /// Renders a session's value and writes it.
    public func show(_ output: Output) { write(render(output)) }

    /// Takes in what a value changes about the style (`precision N` holds for what follows).
    public func absorb(_ output: Output) {
        if case .precision(let n) = output { style.precision = n }
    }

    /// Renders a value as `show` would, without writing it; `precision N` takes effect for what follows.
    public func render(_ output: Output) -> String {
        absorb(output)
        return renderer.render(output)
    }

    /// `adam t=3 › `: where the learner is.
    public func prompt(for session: Session) -> String {
        if let pending = session.awaiting {
            let ask = pending.current
            // ASCII names: a line editor measures a prompt's width by bytes or code points, and
            // combining marks (the hat of m̂) are lost or misplaced there.
            let name = asciiFold(renderer.name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate))
            return "predict " + name + (style.unicode ? " › " : "> ")
        }
        return "\(session.spec.kind.rawValue) t=\(session.run.t)\(style.unicode ? " › " : "> ")"
    }

    /// The bytes that draw a long run's progress line in place (or clear it, for nil): no newline.
    public func progressLine(_ progress: RunProgress?) -> String {
        "\r\u{1B}[K" + (progress.map { renderer.render($0) } ?? "")
    }

    /// The echo of a command in a script's output.
    public func echo(_ line: String) -> String { renderer.render(.echo(line)) }
}

extension Session {
    /// A session whose values are rendered for a terminal in `style` and written with `write`.
    public convenience init(
        style: Style = Style(), readFile: @escaping (String) throws -> String = { try TextFile.read($0) },
        write: @escaping (String) -> Void
    ) {
        let terminal = TerminalOutput(style: style, write: write)
        self.init(readFile: readFile, output: terminal.show)
        exporter = { SVGRenderer(style: style).export($0) }
    }

    /// A session rendered to `terminal`.
    public convenience init(
        terminal: TerminalOutput, readFile: @escaping (String) throws -> String = { try TextFile.read($0) }
    ) {
        self.init(readFile: readFile, output: terminal.show)
        exporter = { SVGRenderer(style: terminal.style).export($0) }
    }
}
