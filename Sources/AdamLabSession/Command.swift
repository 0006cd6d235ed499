// A typed line turned into a command value, or an error that points at the bad token: the one grammar
// of the REPL, scripts and lesson command blocks.

import AdamLabCore
import Foundation

/// The session's one error type: a message a learner understands, and the column of the bad token.
public struct SessionError: Error, LocalizedError, Equatable, Sendable {
    public var message: String
    /// Where in the command line the error is, when it is at a place.
    public var span: TextSpan?

    /// The message is one line whatever text it quotes: line breaks of any kind (CR, U+2028, …) become spaces.
    public init(_ message: String, at span: TextSpan? = nil) {
        self.message = String(message.map { $0.isNewline ? " " : $0 })
        self.span = span
    }

    public var errorDescription: String? { message }

    /// A core error found in `text`, placed in the whole command line.
    public init(_ e: CoreError, in text: CommandText) {
        self.init(e.message, at: e.span?.shifted(by: text.offset))
    }
}

/// Text following a command word, with its position in the line for error carets.
public struct CommandText: Equatable, Sendable {
    public var text: String
    /// 0-based offset of `text` in the whole line.
    public var offset: Int

    public init(text: String, offset: Int) {
        self.text = text
        self.offset = offset
    }

    /// The text without the whitespace around it, still placed where it is in the line.
    public var trimmed: CommandText {
        let leading = text.prefix { $0.isWhitespace }.count
        return CommandText(text: text.trimmingCharacters(in: .whitespaces), offset: offset + leading)
    }

    /// All of the text, in the whole line.
    public var span: TextSpan { TextSpan(column: offset + 1, width: text.count) }

    /// A token of `tokenize(text)`, in the whole line.
    public func span(of token: SpecToken) -> TextSpan { token.span.shifted(by: offset) }
}

/// Everything a learner can type.
public enum Command: Equatable, Sendable {
    case use(CommandText)
    case set(CommandText)
    case objective(CommandText)
    case start(CommandText)
    case step(Int)
    case run(Int)
    case back(Int)
    case reset
    case grad(CommandText)
    case show([String])
    case showHistory(String)
    case explain(AnswerExpression)
    case check(AnswerExpression, value: CommandText, tolerance: Double?)
    case compare(CommandText)
    case conventions
    /// `plot loss|path|QUANTITY [braille|blocks|ascii]`.
    case plot(PlotRequest, PlotDrawing?)
    /// `export svg|csv|json FILE`.
    case export(ExportFormat, String)
    /// `predict EXPR …`: before each step, ask for these values; `predict off` (nil) ends it.
    case predict([AnswerExpression]?)
    case source(String)
    case help(String?)
    case precision(Int)
    case lesson(String?)
    case quit
    /// An empty line: Enter at the prompt takes a step, as it repeats the last command in gdb.
    case repeatLast
    /// A comment (`# …`) or a line of nothing but whitespace (form feeds, U+2028, …): does nothing.
    case nothing

    /// An answer expression at the start of `text`, its errors placed in the whole line.
    static func expression(at text: CommandText) throws -> (AnswerExpression, length: Int) {
        do { return try AnswerExpression.parsePrefix(text.text) } catch let e as SessionError {
            throw SessionError(e.message, at: e.span?.shifted(by: text.offset))
        }
    }

    /// Command names with a one-line summary and an example, in the order `help` lists them.
    public static let catalogue: [(name: String, usage: String, summary: String, example: String)] = [
        (
            "use", "use OPT [k=v …]", "choose an optimizer and its hyperparameters (starts again from the start)",
            "use adam lr=0.1 beta2=0.99"
        ),
        ("set", "set k=v …", "change hyperparameters mid-run, keeping the optimizer's state", "set lr=0.01"),
        (
            "objective", "objective NAME [k=v …] | f(x,y) = …", "choose the function to minimise",
            "objective rosenbrock a=1 b=100"
        ),
        ("start", "start x,y,…", "choose the starting point (starts again)", "start 3,4"),
        ("step", "step [N]", "take one or N steps and show each (Enter on an empty line takes one step)", "step 3"),
        ("run", "run N", "take N steps quickly and summarise (Ctrl-C stops it)", "run 10000"),
        ("back", "back [N]", "undo the last N steps", "back 2"),
        ("reset", "reset", "go back to t = 0 with the same optimizer, objective and start", "reset"),
        ("grad", "grad g1,g2,…", "use this gradient for the next step instead of the objective's", "grad 1,-2"),
        (
            "show", "show [QUANTITY …|state|spec|history QUANTITY]",
            "show quantities of the last step, the state, or one quantity over time", "show m_hat v_hat"
        ),
        (
            "explain", "explain QUANTITY|EXPR",
            "the formula for a quantity or a reference value, with this step's numbers",
            "explain m_hat"
        ),
        (
            "check", "check QUANTITY|EXPR VALUE[,VALUE…] [tol=T]",
            "check your own value; a wrong one is diagnosed (which mistake gives it)", "check v_hat 0.36,0.64"
        ),
        (
            "plot", "plot loss|path|QUANTITY [blocks|ascii]",
            "draw f(θ) over t, θ's path on the level curves, or a quantity over t",
            "plot path"
        ),
        (
            "export", "export svg|csv|json FILE", "write the last plot (svg), or it or the run's history (csv, json)",
            "export svg loss.svg"
        ),
        (
            "predict", "predict QUANTITY|EXPR … | off", "before each step, type your values and have them graded first",
            "predict m_hat v_hat update"
        ),
        (
            "compare", "compare OPT [k=v …] OPT … [steps=N] [tol=T] [plot|plot=path]",
            "run several optimizers from the same start, side by side", "compare adam sgd lr=0.1 rmsprop steps=500"
        ),
        (
            "conventions", "conventions", "the last step as the paper, PyTorch, Keras and Optax compute it",
            "conventions"
        ),
        ("precision", "precision N", "show N significant digits (1–17)", "precision 10"),
        ("source", "source FILE", "run the commands in a file", "source session.txt"),
        (
            "lesson", "lesson [NAME]",
            "list the lessons, or take one (next, back, hint, skip, reveal, continue, leave)", "lesson adam-one-step"
        ),
        ("help", "help [COMMAND]", "list commands, or explain one", "help check"),
        ("quit", "quit", "leave (Ctrl-D too)", "quit"),
    ]

    public static var names: [String] { catalogue.map(\.name) }

    /// Every word that starts a command, short forms included.
    public static let words: Set<String> = Set(names + ["obj", "s", "b", "lessons", "?", "exit", "q"])

    /// Whether `line` is a comment or blank-looking (whitespace of any kind, but not an empty line).
    public static func isInert(_ line: String) -> Bool {
        guard let first = line.first(where: { !$0.isWhitespace }) else { return !isEnter(line) }
        return first == "#"
    }

    /// An empty line, or one of spaces and tabs only: what pressing Enter gives.
    public static func isEnter(_ line: String) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    /// The line without a trailing comment: `#` after whitespace starts one, as in a shell.
    public static func withoutComment(_ line: String) -> String {
        var previous: Character = " "
        for (k, c) in line.enumerated() {
            if c == "#", previous.isWhitespace { return String(line.prefix(k)) }
            previous = c
        }
        return line
    }

    /// Parses one line. An empty line means `step` (as Enter does in gdb); comments (a whole line, or
    /// from a `#` after a space) and other blank-looking lines mean nothing.
    public static func parse(_ whole: String) throws -> Command {
        if isEnter(whole) { return .repeatLast }
        if isInert(whole) { return .nothing }
        let line = withoutComment(whole)
        let tokens = tokenize(line)
        guard let first = tokens.first else { return .nothing }
        let name = first.text.lowercased()
        let restOffset = first.column - 1 + first.text.count
        let rest = CommandText(text: String(line.dropFirst(restOffset)), offset: restOffset)
        let args = Array(tokens.dropFirst())

        func count(default value: Int, max limit: Int) throws -> Int {
            guard let token = args.first else { return value }
            if args.count == 1, token.text.count > 1, token.text.allSatisfy({ ("0"..."9").contains($0) }),
                Int(token.text) == nil
            {
                throw SessionError("at most \(limit) steps at once", at: token.span)
            }
            guard args.count == 1, let n = Int(token.text), n >= 1 else {
                throw SessionError(
                    "\(name) takes a whole number of steps, 1 or more, e.g. `\(name) 10`",
                    at: token.span)
            }
            guard n <= limit else {
                throw SessionError("at most \(limit) steps at once", at: token.span)
            }
            return n
        }
        func requireArgument(_ what: String) throws {
            if args.isEmpty {
                throw SessionError("\(name) needs \(what); try `help \(name)`", at: TextSpan(column: restOffset + 1))
            }
        }
        func noArguments() throws {
            if let extra = args.first {
                throw SessionError("\(name) takes nothing after it", at: extra.span)
            }
        }

        switch name {
        case "use":
            try requireArgument("an optimizer, e.g. `use adam lr=0.1`")
            return .use(rest)
        case "set":
            try requireArgument("name=value pairs, e.g. `set lr=0.01`")
            return .set(rest)
        case "objective", "obj":
            try requireArgument("an objective, e.g. `objective rosenbrock` or `objective f(x,y) = x^2 + 5*y^2`")
            return .objective(rest)
        case "start":
            try requireArgument("a point, e.g. `start 3,4`")
            return .start(rest)
        case "step", "s": return .step(try count(default: 1, max: 1_000_000))
        case "run":
            try requireArgument("a number of steps, e.g. `run 1000`")
            return .run(try count(default: 1, max: 1_000_000_000))
        case "back", "b": return .back(try count(default: 1, max: 1_000_000_000))
        case "reset":
            try noArguments()
            return .reset
        case "grad":
            try requireArgument("a gradient, e.g. `grad 1,-2`")
            return .grad(rest)
        case "show":
            if args.first?.text.lowercased() == "history" {
                guard args.count == 2 else {
                    throw SessionError(
                        "show history takes one quantity, e.g. `show history loss`",
                        at: TextSpan(column: args[0].column))
                }
                return .showHistory(args[1].text)
            }
            return .show(args.map(\.text))
        case "explain":
            try requireArgument("a quantity or an expression, e.g. `explain m_hat` or `explain infinity_norm`")
            let (expression, length) = try Command.expression(at: rest)
            let after = CommandText(text: String(rest.text.dropFirst(length)), offset: rest.offset + length)
            if let extra = tokenize(after.text).first {
                throw SessionError(
                    "explain takes one quantity or expression, e.g. `explain m_hat`", at: after.span(of: extra))
            }
            return .explain(expression)
        case "check":
            guard !args.isEmpty else {
                throw SessionError(
                    "check needs a quantity and your value, e.g. `check m_hat 0.27`",
                    at: TextSpan(column: restOffset + 1))
            }
            let (expression, length) = try Command.expression(at: rest)
            let afterExpression = CommandText(text: String(rest.text.dropFirst(length)), offset: rest.offset + length)
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
                throw SessionError(
                    "check needs your value before tol=", at: TextSpan(column: afterExpression.offset + 1))
            }
            let start = firstValue.column - 1
            let end = lastValue.column - 1 + lastValue.text.count
            // Spaces are kept: `6 8` is two numbers typed without a comma, not 68.
            let text = String(Array(afterExpression.text)[start..<end])
            return .check(
                expression, value: CommandText(text: text, offset: afterExpression.offset + start), tolerance: tolerance
            )
        case "compare":
            try requireArgument("two or more optimizers, e.g. `compare adam sgd lr=0.1`")
            return .compare(rest)
        case "conventions":
            try noArguments()
            return .conventions
        case "plot":
            try requireArgument("what to plot: `plot loss`, `plot path` or `plot QUANTITY` (e.g. `plot m_hat`)")
            var drawing: PlotDrawing?
            if args.count == 2 {
                guard let d = PlotDrawing(rawValue: args[1].text.lowercased()) else {
                    throw SessionError(
                        "plot draws in braille, blocks or ascii, e.g. `plot loss blocks`", at: args[1].span)
                }
                drawing = d
            }
            guard args.count <= 2 else {
                throw SessionError("plot takes one thing to plot, e.g. `plot loss`", at: args[2].span)
            }
            switch args[0].text.lowercased() {
            case "loss", "f": return .plot(.loss, drawing)
            case "path", "theta", "θ": return .plot(.path, drawing)
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
        case "export":
            let formats = ExportFormat.allCases.map(\.rawValue).joined(separator: ", ")
            try requireArgument("a format and a file, e.g. `export svg loss.svg` (\(formats))")
            guard let format = ExportFormat(rawValue: args[0].text.lowercased()) else {
                throw SessionError("export writes \(formats), e.g. `export svg loss.svg`", at: args[0].span)
            }
            guard args.count >= 2 else {
                throw SessionError(
                    "export \(format.rawValue) needs a file name, e.g. `export \(format.rawValue) run.\(format.rawValue)`",
                    at: TextSpan(column: args[0].column + args[0].text.count))
            }
            // The file name is the rest of the line, spaces and all.
            let name = String(Array(line)[(args[1].column - 1)...]).trimmingCharacters(in: .whitespaces)
            return .export(format, name)
        case "predict":
            try requireArgument("what to predict, e.g. `predict m_hat v_hat update`, or `predict off`")
            if args.count == 1, args[0].text.lowercased() == "off" { return .predict(nil) }
            var expressions: [AnswerExpression] = []
            var remaining = rest
            while !remaining.text.allSatisfy(\.isWhitespace) {
                let (expression, length) = try Command.expression(at: remaining)
                if expressions.contains(expression) {
                    let leading = remaining.text.prefix { $0.isWhitespace }.count
                    throw SessionError(
                        "predict lists each value once",
                        at: TextSpan(column: remaining.offset + leading + 1, width: length - leading))
                }
                expressions.append(expression)
                remaining = CommandText(
                    text: String(remaining.text.dropFirst(length)), offset: remaining.offset + length)
            }
            guard expressions.count <= 8 else { throw SessionError("predict takes at most 8 values at a time") }
            return .predict(expressions)
        case "precision":
            guard args.count == 1, let n = Int(args[0].text), (1...17).contains(n) else {
                throw SessionError(
                    "precision takes a number of significant digits from 1 to 17",
                    at: TextSpan(column: args.first?.column ?? restOffset + 1))
            }
            return .precision(n)
        case "source":
            try requireArgument("a file name")
            return .source(rest.text.trimmingCharacters(in: .whitespaces))
        case "lesson", "lessons":
            return .lesson(args.first?.text)
        case "help", "?":
            return .help(args.first?.text)
        case "quit", "exit", "q":
            try noArguments()
            return .quit
        default:
            let hint = didYouMean(name, in: names).map { "did you mean '\($0)'? " } ?? ""
            throw SessionError(
                "unknown command '\(clipped(first.text))'; \(hint)commands: \(names.joined(separator: " "))",
                at: first.span)
        }
    }
}
