// `adamlab` (the REPL) and `adamlab script FILE`: wiring the session to the terminal or a file.

import AdamLabCore
import AdamLabLessons
import AdamLabREPL
import AdamLabRender
import AdamLabSession
import ArgumentParser
import Foundation

struct OutputOptions: ParsableArguments {
    @Flag(help: "ASCII names and rules instead of Unicode.")
    var ascii = false

    @Option(help: "Significant digits shown (1–17).")
    var precision: Int = 6

    func style(terminal: Bool) throws -> Style {
        guard (1...17).contains(precision) else { throw ValidationError("--precision takes 1 to 17") }
        let env = ProcessInfo.processInfo.environment
        let locale = (env["LC_ALL"] ?? env["LC_CTYPE"] ?? env["LANG"] ?? "").lowercased()
        let utf8 = locale.contains("utf-8") || locale.contains("utf8")
        let color = terminal && env["NO_COLOR"] == nil && isatty(STDOUT_FILENO) == 1 && env["TERM"] != "dumb"
        var style = Style(precision: precision, unicode: !ascii && (utf8 || !terminal), color: color)
        // Plots fill a terminal's width; scripts keep the fixed width, so their output is the same anywhere.
        if terminal, let (columns, rows) = terminalSize() {
            style.width = columns - 1
            style.columns = columns
            style.rows = rows
        }
        return style
    }
}

/// The size of the terminal standard output goes to, or nil when it goes elsewhere.
func terminalSize() -> (columns: Int, rows: Int)? {
    var size = winsize()
    guard isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
        return nil
    }
    return (Int(size.ws_col), Int(size.ws_row))
}

/// The width of the terminal standard output goes to, or nil when it goes elsewhere.
func terminalColumns() -> Int? { terminalSize()?.columns }

/// Where text folds on standard output: a column short of the terminal's width, or 72 off a terminal.
func outputWidth() -> Int { terminalColumns().map { $0 - 1 } ?? Style().width }

/// Standard output, flushed after every piece so a person sees it at once.
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Every piece of output passes here: on an ASCII terminal (`--ascii`, or a locale that is not UTF-8)
/// it is folded to ASCII, whichever command or lesson made it.
func makeSession(style: Style, interactive: Bool) -> (Session, TerminalOutput) {
    let write: (String) -> Void = style.unicode ? { writeOut($0) } : { writeOut(asciiFold($0)) }
    let terminal = TerminalOutput(style: style, write: write)
    let session = Session(terminal: terminal)
    if interactive {
        session.progress = { progress in FileHandle.standardOutput.write(Data(terminal.progressLine(progress).utf8)) }
    }
    return (session, terminal)
}

/// Runs the REPL on libedit when standard input is a terminal, else on plain standard input.
func runREPL(_ repl: inout REPL, terminal: Bool, lessonWords: Bool, greeting: String?) -> REPLExit {
    guard terminal else {
        var reader = PlainReader()
        return repl.run(reader: &reader)
    }
    let session = repl.session
    // The lessons' ids, for `lesson ⇥`: read once, when the REPL starts.
    let lessonIDs = ((try? repl.library?.lessons()) ?? []).map(\.id)
    var reader = EditLineReader(historyPath: EditLineReader.defaultHistoryPath()) { before, word in
        if session.completesFileNames(before: before) { return nil }
        let words = tokenize(before).map { $0.text.lowercased() }
        if words == ["lesson"] || words == ["lessons"] { return lessonIDs.filter { $0.hasPrefix(word.lowercased()) } }
        return session.completions(before: before, word: word)
            + (lessonWords && before.isEmpty ? LessonMode.words.filter { $0.hasPrefix(word) } : [])
    }
    if let greeting {
        repl.terminal.write(repl.terminal.style.dim(wrap(greeting, width: repl.terminal.style.width, indent: "")))
    }
    return repl.run(reader: &reader)
}

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Step an optimizer interactively (the default when adamlab is run without a command).",
        discussion: """
            On a terminal: line editing, history ($XDG_STATE_HOME/adamlab/history), tab completion. \
            With standard input from a file or pipe it runs as a script: `adamlab < session.txt`.

            Exit status: 0 all commands ran; 1 a command failed (a script stops at the first one \
            unless --keep-going).
            """
    )

    @OptionGroup var output: OutputOptions

    @Flag(help: "In a script, go on after a failing command (the exit status is still 1).")
    var keepGoing = false

    func run() throws {
        let terminal = isatty(STDIN_FILENO) == 1
        let (session, screen) = makeSession(style: try output.style(terminal: terminal), interactive: terminal)
        var repl = REPL(
            session: session, terminal: screen, keepGoing: keepGoing, library: findLessons(),
            progressStore: ProgressStore(path: ProgressStore.defaultPath()))
        let exit = runREPL(
            &repl, terminal: terminal, lessonWords: false,
            greeting:
                "adamlab: step Adam and its relatives, starting with adam lr=0.1 on the sphere from θ₀ = (3, 4). `help` lists the commands; Tab completes; Ctrl-D leaves."
        )
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}

struct Script: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a file of REPL commands, echoing each before its output.",
        discussion: "Exit status: 0 all commands ran; 1 a command failed; 2 the file cannot be read."
    )

    @Argument(help: "The file of commands, one per line; # starts a comment. `-` reads standard input.")
    var file: String

    @OptionGroup var output: OutputOptions

    @Flag(help: "Go on after a failing command (the exit status is still 1).")
    var keepGoing = false

    func run() throws {
        let (session, screen) = makeSession(style: try output.style(terminal: false), interactive: false)
        var repl = REPL(
            session: session, terminal: screen, keepGoing: keepGoing, library: findLessons(),
            progressStore: ProgressStore(path: ProgressStore.defaultPath()))
        let exit: REPLExit
        if file == "-" {
            var reader = PlainReader()
            exit = repl.run(reader: &reader)
        } else {
            let lines: [FileLine]
            do { lines = try TextFile.lines(file) } catch { throw failFile(error) }
            var reader = ScriptedReader(fileLines: lines)
            exit = repl.run(reader: &reader)
        }
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}
