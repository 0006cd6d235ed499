// The read–execute loop: prompts and history for a person, echo and stop-on-error for a script.

import AdamLabCore
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
    public var keepGoing: Bool

    public init(session: Session, keepGoing: Bool = false) {
        self.session = session
        self.keepGoing = keepGoing
    }

    /// The echo of a command in a script's output.
    func echo(_ line: String) -> String { (session.style.unicode ? "› " : "> ") + line }

    /// The caret line and the one-line error, the caret under the bad token of `line` shown after `indent`.
    func errorText(_ error: Error, line: String, indent: Int) -> String {
        let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
        var text = ""
        if let e = error as? REPLError, let column = e.column, column >= 1, column <= line.count + 1 {
            let before = cells(String(line.prefix(column - 1)))
            text = String(repeating: " ", count: indent + before) + String(repeating: "^", count: min(e.width, max(1, line.count - column + 1))) + "\n"
        }
        return text + session.style.bad("error: ") + message
    }

    /// Reads and runs commands until the input ends or the learner quits.
    public mutating func run(reader: inout some LineReader) -> REPLExit {
        let interactive = reader.isInteractive
        var failed = false
        let session = self.session
        session.runSourced = { [self] session, lines, path in
            for (number, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                session.write(self.echo(line))
                do { try session.execute(line) } catch {
                    let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                    throw REPLError("\(path):\(number + 1): \(message)")
                }
            }
        }
        if interactive {
            session.shouldStop = { Interrupt.isPending }
        }
        while true {
            let input = reader.read(prompt: interactive ? session.prompt : "")
            switch input {
            case .endOfInput:
                if interactive { session.write("") }
                return failed ? .commandFailed : .ok
            case .interrupted:
                if interactive { session.write(session.style.dim("^C (Ctrl-D or `quit` to leave)")) }
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if !interactive && (trimmed.isEmpty || trimmed.hasPrefix("#")) { continue }
                reader.remember(line)
                if !interactive { session.write(echo(line)) }
                do {
                    let command = try Command.parse(line)
                    if command == .quit { return failed ? .commandFailed : .ok }
                    Interrupt.clear()
                    try session.execute(command, line: line)
                    if interactive { Interrupt.clear() }
                } catch {
                    let indent = interactive ? cells(session.prompt) : cells(echo(""))
                    session.write(errorText(error, line: line, indent: indent))
                    failed = true
                    if !interactive && !keepGoing { return .commandFailed }
                }
            }
        }
    }
}
