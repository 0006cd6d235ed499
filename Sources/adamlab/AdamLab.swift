// The adamlab command line: argument parsing and wiring to the libraries, nothing else.

import AdamLabCore
import ArgumentParser
import Foundation

@main
struct AdamLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adamlab",
        abstract: "Step through Adam and its relatives one iteration at a time.",
        subcommands: [Repl.self, Script.self, LessonCommand.self, Play.self, Verify.self, ProgressCommand.self, Trace.self, Bench.self],
        defaultSubcommand: Repl.self
    )
}

/// Prints a one-line error to standard error and exits with status 2 (bad input).
func fail(_ what: String, _ error: Error) -> ExitCode {
    var message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
    if let e = error as? CoreError, let column = e.column { message = "column \(column): " + message }
    FileHandle.standardError.write(Data("adamlab: error: \(what): \(message)\n".utf8))
    return ExitCode(2)
}

/// Writes to standard output through a buffer; `print` per line is too slow for long traces.
struct StandardOutput: TextOutputStream {
    private var buffer = ""
    mutating func write(_ string: String) {
        buffer += string
        if buffer.utf8.count > 1 << 16 { flush() }
    }
    mutating func flush() {
        FileHandle.standardOutput.write(Data(buffer.utf8))
        buffer = ""
    }
}
