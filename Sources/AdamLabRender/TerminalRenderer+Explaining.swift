// The terminal's words for help, `explain` and `conventions`.

import AdamLabCore
import AdamLabLessons
import AdamLabSession

extension TerminalRenderer {
    func help(_ topic: HelpTopic) -> String {
        func list(_ names: [String]) -> String { names.joined(separator: " ") }
        switch topic {
        case .overview:
            // The usage column is as wide as most usages (a long one, `compare …`, takes a line of its own
            // above its summary); a summary folds under itself while the terminal leaves it room.
            let column = min(Command.catalogue.map { cells($0.usage) }.max() ?? 0, 36)
            let roomy = style.width - column - 4 >= 40
            var lines = ["Commands (`help COMMAND` for an example):"]
            let hanging = String(repeating: " ", count: column + 4)
            for c in Command.catalogue {
                if !roomy {
                    lines.append(wrapped("  " + c.usage, continuation: "    "))
                    lines.append(wrapped(c.summary, indent: "    ", continuation: "    "))
                } else if cells(c.usage) <= column {
                    lines.append(wrapped("  " + padRight(c.usage, column) + "  " + c.summary, continuation: hanging))
                } else {
                    lines.append(wrapped("  " + c.usage, continuation: "    "))
                    lines.append(wrapped(c.summary, indent: hanging, continuation: hanging))
                }
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
            if name == "lesson" {
                text.append(
                    "  the lessons are read from $ADAMLAB_LESSONS when it is set, else ./lessons, else where adamlab is installed (share/adamlab/lessons)"
                )
            }
            return text.map { wrapped($0, continuation: "    ") }.joined(separator: "\n")
        case .expression(let usage, let summary):
            return wrapped(style.fold("\(usage) (an expression for check, explain, predict and exercises): \(summary)"))
        case .words(let optimizer, let amsgrad, let hyperparameter, let quantity):
            var found: [String] = []
            func hyperparameters(_ k: OptimizerKind) -> String {
                wrapped(
                    "hyperparameters: \(list(OptimizerSpec.applicable(to: k).map(\.rawValue)))", indent: "  ",
                    continuation: "    ")
            }
            if let k = optimizer { found.append("\(k.rawValue): \(k.title)\n" + hyperparameters(k)) }
            if amsgrad {
                found.append(
                    wrapped("amsgrad: short for `adam amsgrad=on`: Adam dividing by the running maximum of v")
                        + "\n" + hyperparameters(.adam))
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

    func explanation(_ e: Explanation) -> String {
        var lines = e.lines.map { wrapped(render($0)) }
        let shown = min(e.coordinates.count, style.maxRows)
        for i in 0..<shown {
            lines.append(
                wrapped(
                    (e.dimension > 1
                        ? (e.groups.map { "\($0.name(of: e.firstCoordinate + i)) " } ?? "[\(e.firstCoordinate + i)] ")
                        : "    ") + render(e.coordinates[i]),
                    continuation: "    "))
        }
        if e.dimension > shown, !e.coordinates.isEmpty, !e.isSingleCoordinate {
            let pointer =
                e.quantity.map {
                    e.groups == nil
                        ? "; `show \($0.machineName)` lists them"
                        : "; `show \($0.machineName)` sums them up per layer, `explain \($0.machineName)[i]` takes one"
                } ?? ""
            lines.append(render("… \(e.dimension - shown) more coordinates\(pointer)"))
        }
        return lines.joined(separator: "\n")
    }

    func conventions(_ c: ConventionComparison) -> String {
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
    func wrapped(_ line: String, indent: String = "", continuation: String = "  ") -> String {
        wrap(line, width: style.width, indent: indent, continuation: continuation)
    }

    func pathName(_ path: TorchPath) -> String {
        switch path {
        case .single: return "single-tensor"
        case .foreach: return "multi-tensor (foreach)"
        case .fused: return "fused"
        }
    }

    /// Where the libraries' formulas differ, in a line.
    func conventionNote(_ kind: OptimizerKind) -> String {
        switch kind {
        case .adam, .adamw:
            return
                "Keras adds its ε to the uncorrected √v, so its step is the paper's with ε/√(1−β₂ᵗ) in place of ε; Optax can put ε_root inside the root; PyTorch is the paper's formula in another order."
        case .adamax:
            return "the paper has no ε; PyTorch and Optax add ε inside the max; Keras adds it to u."
        default: return ""
        }
    }
}
