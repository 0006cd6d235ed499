// Parsing a command line: the words of the line, then one function per command that takes arguments.

import AdamLabCore
import Foundation

/// A line split into its command word and what follows it, with the checks every command shares.
struct CommandWords {
    let line: String
    let first: SpecToken
    let name: String
    let restOffset: Int
    let rest: CommandText
    let args: [SpecToken]

    /// A step count: `default` when none is given, else a whole number from 1 to `limit`.
    func count(default value: Int, max limit: Int) throws -> Int {
        guard let token = args.first else { return value }
        if args.count == 1, token.text.count > 1, token.text.allSatisfy({ ("0"..."9").contains($0) }),
            Int(token.text) == nil
        {
            throw SessionError("at most \(limit) steps at once", at: token.span)
        }
        guard args.count == 1, let n = Int(token.text), n >= 1 else {
            throw SessionError(
                "\(name) takes a whole number of steps, 1 or more, e.g. `\(name) 10`", at: token.span)
        }
        guard n <= limit else { throw SessionError("at most \(limit) steps at once", at: token.span) }
        return n
    }

    func requireArgument(_ what: String) throws {
        if args.isEmpty {
            throw SessionError("\(name) needs \(what); try `help \(name)`", at: TextSpan(column: restOffset + 1))
        }
    }

    func noArguments() throws {
        if let extra = args.first { throw SessionError("\(name) takes nothing after it", at: extra.span) }
    }
}

extension Command {
    /// Parses one line. An empty line means `step` (as Enter does in gdb); comments (a whole line, or
    /// from a `#` after a space) and other blank-looking lines mean nothing.
    public static func parse(_ whole: String) throws -> Command {
        if isEnter(whole) { return .repeatLast }
        if isInert(whole) { return .nothing }
        let line = withoutComment(whole)
        let tokens = tokenize(line)
        guard let first = tokens.first else { return .nothing }
        let restOffset = first.column - 1 + first.text.count
        let w = CommandWords(
            line: line, first: first, name: first.text.lowercased(), restOffset: restOffset,
            rest: CommandText(text: String(line.dropFirst(restOffset)), offset: restOffset),
            args: Array(tokens.dropFirst()))
        switch w.name {
        case "use":
            try w.requireArgument("an optimizer, e.g. `use adam lr=0.1`")
            return .use(w.rest)
        case "set":
            try w.requireArgument("name=value pairs, e.g. `set lr=0.01`")
            return .set(w.rest)
        case "objective", "obj":
            try w.requireArgument("an objective, e.g. `objective rosenbrock` or `objective f(x,y) = x^2 + 5*y^2`")
            return .objective(w.rest)
        case "start":
            try w.requireArgument("a point, e.g. `start 3,4`")
            return .start(w.rest)
        case "step", "s": return .step(try w.count(default: 1, max: 1_000_000))
        case "run":
            try w.requireArgument("a number of steps, e.g. `run 1000`")
            return .run(try w.count(default: 1, max: 1_000_000_000))
        case "back", "b": return .back(try w.count(default: 1, max: 1_000_000_000))
        case "reset":
            try w.noArguments()
            return .reset
        case "grad":
            try w.requireArgument("a gradient, e.g. `grad 1,-2`")
            return .grad(w.rest)
        case "show": return try parseShow(w)
        case "explain": return try parseExplain(w)
        case "check": return try parseCheck(w)
        case "compare":
            try w.requireArgument("two or more optimizers, e.g. `compare adam sgd lr=0.1`")
            return .compare(w.rest)
        case "sweep":
            try w.requireArgument("an optimizer and a range, e.g. `sweep adam lr=1e-4..1 log`")
            return .sweep(w.rest)
        case "conventions":
            try w.noArguments()
            return .conventions
        case "plot": return try parsePlot(w)
        case "export": return try parseExport(w)
        case "predict": return try parsePredict(w)
        case "precision":
            guard w.args.count == 1, let n = Int(w.args[0].text), (1...17).contains(n) else {
                throw SessionError(
                    "precision takes a number of significant digits from 1 to 17",
                    at: TextSpan(column: w.args.first?.column ?? restOffset + 1))
            }
            return .precision(n)
        case "source":
            try w.requireArgument("a file name")
            return .source(w.rest.text.trimmingCharacters(in: .whitespaces))
        case "lesson", "lessons": return .lesson(w.args.first?.text)
        case "help", "?": return .help(w.args.first?.text)
        case "quit", "exit", "q":
            try w.noArguments()
            return .quit
        default:
            let hint = didYouMean(w.name, in: names).map { "did you mean '\($0)'? " } ?? ""
            throw SessionError(
                "unknown command '\(clipped(first.text))'; \(hint)commands: \(names.joined(separator: " "))",
                at: first.span)
        }
    }

    private static func parseShow(_ w: CommandWords) throws -> Command {
        if w.args.first?.text.lowercased() == "history" {
            guard w.args.count == 2 else {
                throw SessionError(
                    "show history takes one quantity, e.g. `show history loss`", at: TextSpan(column: w.args[0].column))
            }
            return .showHistory(w.args[1].text)
        }
        return .show(w.args.map(\.text))
    }

    private static func parseExplain(_ w: CommandWords) throws -> Command {
        try w.requireArgument("a quantity or an expression, e.g. `explain m_hat` or `explain infinity_norm`")
        let (expression, length) = try Command.expression(at: w.rest)
        let after = CommandText(text: String(w.rest.text.dropFirst(length)), offset: w.rest.offset + length)
        if let extra = tokenize(after.text).first {
            throw SessionError(
                "explain takes one quantity or expression, e.g. `explain m_hat`", at: after.span(of: extra))
        }
        return .explain(expression)
    }

    private static func parseCheck(_ w: CommandWords) throws -> Command {
        guard !w.args.isEmpty else {
            throw SessionError(
                "check needs a quantity and your value, e.g. `check m_hat 0.27`",
                at: TextSpan(column: w.restOffset + 1))
        }
        let (expression, length) = try Command.expression(at: w.rest)
        let afterExpression = CommandText(text: String(w.rest.text.dropFirst(length)), offset: w.rest.offset + length)
        var valueTokens = tokenize(afterExpression.text)
        guard !valueTokens.isEmpty else {
            // The caret goes where the missing value would be: just after what was typed.
            throw SessionError(
                "check needs your value after the \(expression.isQuantity ? "quantity" : "expression"), e.g. `check m_hat 0.27`",
                at: TextSpan(column: afterExpression.offset + 1))
        }
        var tolerance: Double?
        if let last = valueTokens.last, last.text.lowercased().hasPrefix("tol=") {
            guard let t = parseNumber(String(last.text.dropFirst(4))), t >= 0, t.isFinite else {
                throw SessionError(
                    "tol= needs a non-negative number, e.g. tol=1e-4", at: afterExpression.span(of: last))
            }
            tolerance = t
            valueTokens.removeLast()
        }
        guard let firstValue = valueTokens.first, let lastValue = valueTokens.last else {
            throw SessionError("check needs your value before tol=", at: TextSpan(column: afterExpression.offset + 1))
        }
        let start = firstValue.column - 1
        let end = lastValue.column - 1 + lastValue.text.count
        // Spaces are kept: `6 8` is two numbers typed without a comma, not 68.
        let text = String(Array(afterExpression.text)[start..<end])
        return .check(
            expression, value: CommandText(text: text, offset: afterExpression.offset + start), tolerance: tolerance)
    }

    private static func parsePlot(_ w: CommandWords) throws -> Command {
        try w.requireArgument("what to plot: `plot loss`, `plot path` or `plot QUANTITY` (e.g. `plot m_hat`)")
        var args = w.args
        var drawing: PlotDrawing?
        if args.count >= 2, let d = PlotDrawing(rawValue: args.last!.text.lowercased()) {
            drawing = d
            args.removeLast()
        }
        // Several coordinates, each named with its index: `plot g[0] m_hat[0] grad_f[0]`.
        if args.count > 1, !args.contains(where: { $0.text.contains("[") }) {
            throw SessionError(
                "plot draws in braille, blocks or ascii, e.g. `plot loss blocks`; to draw several quantities give each a coordinate, e.g. `plot g[0] m_hat[0]`",
                at: args[1].span)
        }
        if args.count > 1 || args[0].text.contains("[") {
            let picked = try args.map { word -> (Quantity, Int) in
                guard let open = word.text.firstIndex(of: "["), word.text.hasSuffix("]"),
                    let i = Int(word.text[word.text.index(after: open)..<word.text.index(before: word.text.endIndex)]),
                    i >= 0, let q = Quantity(name: String(word.text[..<open]))
                else {
                    throw SessionError(
                        "plot several quantities by coordinate, e.g. `plot g[0] m_hat[0] grad_f[0]`; '\(word.text)' is not QUANTITY[i]",
                        at: word.span)
                }
                return (q, i)
            }
            guard picked.count <= 8 else {
                throw SessionError("plot draws at most 8 lines at once", at: args[8].span)
            }
            return .plot(.coordinates(picked), drawing)
        }
        switch args[0].text.lowercased() {
        case "loss", "f": return .plot(.loss, drawing)
        case "path": return .plot(.path, drawing)
        case "theta", "θ": return .plot(.quantity(.theta), drawing)
        default:
            guard let q = Quantity(name: args[0].text) else {
                let choices = ["loss", "path"] + Quantity.allCases.map(\.machineName)
                let hint = didYouMean(args[0].text, in: choices).map { "did you mean '\($0)'? " } ?? ""
                throw SessionError(
                    "cannot plot '\(args[0].text)'; \(hint)plot loss, path, or a quantity: \(Quantity.allCases.map(\.machineName).joined(separator: " "))",
                    at: args[0].span)
            }
            return .plot(.quantity(q), drawing)
        }
    }

    private static func parseExport(_ w: CommandWords) throws -> Command {
        let args = w.args
        let formats = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
        try w.requireArgument("a format and a file, e.g. `export svg loss.svg` (\(formats))")
        guard let format = ExportFormat(rawValue: args[0].text.lowercased()) else {
            throw SessionError("export writes \(formats), e.g. `export svg loss.svg`", at: args[0].span)
        }
        guard args.count >= 2 else {
            throw SessionError(
                "export \(format.rawValue) needs a file name, e.g. `export \(format.rawValue) run.\(format.rawValue)`",
                at: TextSpan(column: args[0].column + args[0].text.count))
        }
        // The file name is the rest of the line, spaces and all.
        let name = String(Array(w.line)[(args[1].column - 1)...]).trimmingCharacters(in: .whitespaces)
        return .export(format, name)
    }

    private static func parsePredict(_ w: CommandWords) throws -> Command {
        try w.requireArgument("what to predict, e.g. `predict m_hat v_hat update`, or `predict off`")
        if w.args.count == 1, w.args[0].text.lowercased() == "off" { return .predict(nil) }
        var expressions: [AnswerExpression] = []
        var remaining = w.rest
        while !remaining.text.allSatisfy(\.isWhitespace) {
            let (expression, length) = try Command.expression(at: remaining)
            if expressions.contains(expression) {
                let leading = remaining.text.prefix { $0.isWhitespace }.count
                throw SessionError(
                    "predict lists each value once",
                    at: TextSpan(column: remaining.offset + leading + 1, width: length - leading))
            }
            expressions.append(expression)
            remaining = CommandText(text: String(remaining.text.dropFirst(length)), offset: remaining.offset + length)
        }
        guard expressions.count <= 8 else { throw SessionError("predict takes at most 8 values at a time") }
        return .predict(expressions)
    }
}
