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
        let leading = text.prefix { $0.isWhitespace && !$0.isNewline }.count
        let start = text.index(text.startIndex, offsetBy: leading)
        var end = text.endIndex
        while end > start, let last = text[..<end].last, last.isWhitespace && !last.isNewline {
            end = text.index(before: end)
        }
        return CommandText(text: String(text[start..<end]), offset: offset + leading)
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
    /// `sweep OPT [k=v …] NAME=LO..HI [points=N] [log] [steps=N]`.
    case sweep(CommandText)
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
            "objective", "objective NAME [k=v …] | f(x,y) = …",
            "choose the function to minimise; noise=σ, sparse=k (the last coordinate's gradient only every k-th step), batch=B (data) and seed=N make its gradient stochastic",
            "objective rosenbrock a=1 b=100 noise=0.5 seed=7"
        ),
        ("start", "start x,y,…", "choose the starting point (starts again)", "start 3,4"),
        ("step", "step [N]", "take one or N steps and show each (Enter on an empty line takes one step)", "step 3"),
        ("run", "run N", "take N steps quickly and summarise (Ctrl-C stops it)", "run 10000"),
        ("back", "back [N]", "undo the last N steps", "back 2"),
        ("reset", "reset", "go back to t = 0 with the same optimizer, objective and start", "reset"),
        ("grad", "grad g1,g2,…", "use this gradient for the next step instead of the objective's", "grad 1,-2"),
        (
            "show", "show [QUANTITY …|state|spec|history QUANTITY] [w1[i,j] …]",
            "show quantities of the last step, the state, or one quantity over time; on a network, per layer, or at the named weights",
            "show m_hat v_hat"
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
            "compare",
            "compare OPT [k=v …] OPT … [steps=N] [tol=T] [plot|plot=path] [starts=N [box=LO..HI] [seed=S] [near=R]]",
            "run several optimizers from the same start, side by side (each optimizer's k=v follow its name); with starts=N, each from the same N Latin-hypercube starts, counting how often it ends within R (0.1) of a global minimum",
            "compare adam sgd lr=0.1 rmsprop steps=500"
        ),
        (
            "sweep", "sweep OPT [k=v …] NAME=LO..HI [points=N] [log] [steps=N] [plot]",
            "run one optimizer from the same start for each value of one hyperparameter: the final loss of each, barred; `plot` draws it against the value",
            "sweep adam lr=1e-4..1 log points=9 plot"
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
}
