// The read–execute loop: prompts and history for a person, echo and stop-on-error for a script.

import AdamLabCore
import AdamLabLessons
import AdamLabRender
import AdamLabSession
import Foundation

/// How a REPL session ended, as the process exit status.
public enum REPLExit: Int32 {
    /// Every command ran (or the learner quit).
    case ok = 0
    /// A command failed (a script stops at the first unless `--keep-going`).
    case commandFailed = 1
}

public struct REPL {
    public var session: Session
    /// Where the session's values and the REPL's own notes are written, and in what style.
    public let terminal: TerminalOutput
    public var keepGoing: Bool
    public var library: LessonLibrary?
    public var progressStore: ProgressStore?
    public private(set) var lessonMode: LessonMode?
    /// Set for `adamlab lesson NAME`: leaving or finishing the lesson ends the program, back at the shell.
    public var endsWithLesson = false

    public init(
        session: Session, terminal: TerminalOutput, keepGoing: Bool = false, library: LessonLibrary? = nil,
        progressStore: ProgressStore? = nil
    ) {
        self.session = session
        self.terminal = terminal
        self.keepGoing = keepGoing
        self.library = library
        self.progressStore = progressStore
    }

    /// Opens a lesson by name, or lists the lessons and the learner's progress.
    public mutating func openLesson(_ name: String?) throws {
        guard let library else { throw SessionError("no lessons folder found (set ADAMLAB_LESSONS to one)") }
        guard let name else {
            let progress = progressStore?.load().0 ?? LearnerProgress()
            terminal.write(try lessonList(library: library, progress: progress, width: terminal.style.width))
            return
        }
        let lesson: Lesson
        do { lesson = try library.find(name) } catch let e as LessonError { throw SessionError(e.message) }
        // The lesson that follows in order, to suggest when this one is done.
        let next = (try? library.lessons())?.filter { $0.order > lesson.order }.min { $0.order < $1.order }
        lessonMode = try LessonMode(
            lesson: lesson, session: session, terminal: terminal, store: progressStore,
            next: next.map { (id: $0.id, title: $0.title) })
        if lessonMode?.finished == true { lessonMode = nil }
    }

    func echo(_ line: String) -> String { terminal.echo(line) }

    /// The caret line and the one-line error, the caret under the bad token of `line` shown after `indent`.
    func errorText(_ error: Error, line: String, indent: Int) -> String {
        let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        var text = ""
        if let span = (error as? SessionError)?.span, span.column <= line.count + 1 {
            let before = cells(String(line.prefix(span.column - 1)))
            // A caret per character of the bad token, but never a screenful of them.
            let carets = min(span.width, max(1, line.count - span.column + 1), 40)
            text = String(repeating: " ", count: indent + before) + String(repeating: "^", count: carets) + "\n"
        }
        // On a terminal a long message folds at its width, its continuation indented; a script's stays one line.
        guard let columns = terminal.style.columns else { return text + terminal.style.bad("error: ") + message }
        let folded = wrap("error: " + message, width: max(20, columns - 1), indent: "", continuation: "  ")
        return text + terminal.style.bad("error: ") + folded.dropFirst("error: ".count)
    }

    /// Leaving while `predict` is on shows the step that waited, if one did, and the score.
    private func endPredicting() {
        if !session.predicting.isEmpty { _ = try? session.execute(.predict(nil)) }
    }

    /// Reads and runs commands until the input ends or the learner quits.
    public mutating func run(reader: inout some LineReader) -> REPLExit {
        let interactive = reader.isInteractive
        var failed = false
        let session = self.session
        if interactive {
            session.shouldStop = { Interrupt.isPending }
        }
        while true {
            // The prompt the line was typed after: an error's caret is placed by its width.
            let prompt = interactive ? (lessonMode?.prompt ?? terminal.prompt(for: session)) : ""
            let input = reader.read(prompt: prompt)
            switch input {
            case .endOfInput:
                if interactive { terminal.write("") }
                if !interactive, let pending = session.awaiting {
                    let ask = pending.current
                    let name = terminal.renderer.name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate)
                    terminal.write(
                        terminal.style.bad("error: ")
                            + "the input ended while step \(pending.step.record.t) waited for \(name)")
                    failed = true
                }
                endPredicting()
                return failed && !interactive ? .commandFailed : .ok  // a typo at the prompt is not a failure
            case .interrupted:
                if interactive { terminal.write(terminal.style.dim("^C (Ctrl-D or `quit` to leave)")) }
                continue
            case .undecodable(let number):
                let place = number.map { "line \($0)" } ?? "the line"
                terminal.write(terminal.style.bad("error: ") + "\(place) is not valid UTF-8; it was not run")
                failed = true
                if !interactive && !keepGoing { return .commandFailed }
            case .line(let line):
                // Comments and blank-looking lines do nothing anywhere; in a script an empty line
                // is not Enter either (except in a lesson, where it goes on).
                if Command.isInert(line) { continue }
                if !interactive && Command.isEnter(line) && lessonMode == nil { continue }
                reader.remember(line)
                if !interactive { terminal.write(echo(line)) }
                do {
                    if let mode = lessonMode {
                        let handled = try mode.handle(line)
                        if mode.finished {
                            lessonMode = nil
                            if endsWithLesson { return failed && !interactive ? .commandFailed : .ok }
                        }
                        if handled { continue }
                    }
                    // A step waiting for predictions takes the line as a value (or `skip`, `predict off`);
                    // `quit` still leaves.
                    if session.awaiting != nil, (try? Command.parse(line)) != .quit {
                        try session.execute(line)
                        continue
                    }
                    let command = try Command.parse(line)
                    if command == .quit {
                        endPredicting()
                        return failed && !interactive ? .commandFailed : .ok
                    }
                    if case .lesson(let name) = command {
                        try openLesson(name)
                        continue
                    }
                    Interrupt.clear()
                    try session.execute(command)
                    if interactive { Interrupt.clear() }
                } catch {
                    let indent = interactive ? cells(prompt) : cells(echo(""))
                    terminal.write(errorText(error, line: line, indent: indent))
                    failed = true
                    if !interactive && !keepGoing { return .commandFailed }
                }
            }
        }
    }
}
