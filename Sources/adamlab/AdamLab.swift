// The adamlab command line: argument parsing and wiring to the libraries, nothing else.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import ArgumentParser
import Foundation

@main
struct AdamLab: ParsableCommand {
    static let version = "0.5.0"

    static let configuration = CommandConfiguration(
        commandName: "adamlab",
        abstract: "Step through Adam and its relatives one iteration at a time.",
        version: version,
        subcommands: [
            Repl.self, Script.self, LessonCommand.self, Play.self, GradeCommand.self, Render.self, Verify.self,
            ProgressCommand.self, DrillCommand.self,
            Trace.self,
            Bench.self,
        ],
        defaultSubcommand: Repl.self
    )

    /// Runs the command. Bad input of any kind is one line on standard error and exit status 2:
    /// ArgumentParser's own usage errors (which would print the whole usage and exit 64) included.
    static func main() {
        TorchCPU.lanes = TorchCPU.lanes(
            capability: ProcessInfo.processInfo.environment["ATEN_CPU_CAPABILITY"], cpuFlags: cpuFlags())
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
            usageError(error)
        }
        do {
            var running = command
            try running.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            usageError(error)
        }
    }

    private static func usageError(_ error: Error) -> Never {
        let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
        let text = message.hasPrefix("Error: ") ? String(message.dropFirst(7)) : message
        FileHandle.standardError.write(Data("adamlab: error: \(text) (`adamlab help` for usage)\n".utf8))
        Foundation.exit(2)
    }
}

/// The CPU's feature flags as Linux lists them (empty where it does not).
func cpuFlags() -> Set<String> {
    guard let info = try? TextFile.read("/proc/cpuinfo"),
        let flags = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return [] }
    return Set(flags.split(separator: " ").map(String.init))
}

/// Prints a one-line error to standard error and exits with status 2 (bad input). An error that knows
/// its file and line says so itself, once.
func fail(_ what: String, _ error: Error) -> ExitCode {
    if error is FileError || (error as? LessonError)?.span?.file != nil { return failFile(error) }
    var message = (error as? LessonError)?.message ?? (error as? LocalizedError)?.errorDescription ?? "\(error)"
    if let column = (error as? CoreError)?.span?.column { message = "column \(column): " + message }
    FileHandle.standardError.write(Data("adamlab: error: \(what): \(message)\n".utf8))
    return ExitCode(2)
}

/// Prints a file error as `FILE: error: reason` (or `FILE:LINE: error: …`) and exits with status 2.
func failFile(_ error: Error) -> ExitCode {
    FileHandle.standardError.write(Data(((error as? LocalizedError)?.errorDescription ?? "\(error)").utf8 + [0x0A]))
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
