// Where command lines come from: libedit on a terminal, plain stdin otherwise, a list in tests.

import AdamLabSession
import CEditLine
import CInterrupt
import Foundation

/// What one attempt to read a line gave.
public enum LineInput: Equatable, Sendable {
    case line(String)
    /// A line whose bytes are not UTF-8 (its 1-based number, where the reader counts lines).
    case undecodable(Int?)
    case interrupted
    case endOfInput
}

/// A source of command lines.
public protocol LineReader {
    /// Reads one line, showing `prompt` where the reader has one.
    mutating func read(prompt: String) -> LineInput
    /// Remembers a line for history, where the reader keeps one.
    mutating func remember(_ line: String)
    /// Whether this reader is a person at a terminal (prompts and colour) or a script.
    var isInteractive: Bool { get }
}

extension LineReader {
    public mutating func remember(_ line: String) {}
}

/// Lines given up front: a script file's (`adamlab script FILE`), or a test's.
public struct ScriptedReader: LineReader {
    private var lines: [LineInput]
    public let isInteractive: Bool

    public init(_ lines: [String], interactive: Bool = false) {
        self.lines = lines.map { $0 == "^C" ? .interrupted : .line($0) }
        self.isInteractive = interactive
    }

    /// A file's lines as read by `TextFile.lines`: a line that is not UTF-8 is reported, not run.
    public init(fileLines: [String?]) {
        self.lines = fileLines.enumerated().map { k, line in line.map(LineInput.line) ?? .undecodable(k + 1) }
        self.isInteractive = false
    }

    public mutating func read(prompt: String) -> LineInput {
        lines.isEmpty ? .endOfInput : lines.removeFirst()
    }
}

/// Standard input without line editing, for pipes and files (`adamlab < session.txt`), read a line at
/// a time (so a pipe drives the session as it goes). LF, CRLF and CR all end a line; a line whose
/// bytes are not UTF-8 is reported as such.
public struct PlainReader: LineReader {
    private var lineNumber = 0
    private var pendingCR = false
    public init() {}
    public var isInteractive: Bool { false }

    public mutating func read(prompt: String) -> LineInput {
        var bytes: [UInt8] = []
        while true {
            let c = getchar()
            if c == EOF {
                if bytes.isEmpty { return .endOfInput }
                break
            }
            if c == 0x0A && pendingCR {
                pendingCR = false
                continue
            }  // the LF of a CRLF
            pendingCR = false
            if c == 0x0A { break }
            if c == 0x0D {
                pendingCR = true
                break
            }
            bytes.append(UInt8(c))
        }
        lineNumber += 1
        // A byte-order mark that some editors put at the start of a file is not part of the first command.
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let line = String(validating: bytes, as: UTF8.self) else { return .undecodable(lineNumber) }
        return .line(line)
    }
}

/// Interrupts (Ctrl-C): a flag raised by the signal handler, read by the REPL and long runs.
public enum Interrupt {
    /// Installs the handler; from then on Ctrl-C raises the flag instead of ending the program.
    public static func install() { adamlab_install_sigint() }
    /// Whether Ctrl-C was pressed since the last `clear()`.
    public static var isPending: Bool { adamlab_peek_interrupt() != 0 }
    /// Lowers the flag, returning whether it was raised.
    @discardableResult public static func clear() -> Bool { adamlab_take_interrupt() != 0 }
}

/// Completion candidates for a partly typed line, or nil for file names; set by the REPL, asked by libedit.
nonisolated(unsafe) var completionProvider: ((_ lineBeforeWord: String, _ word: String) -> [String]?)?

/// Turns candidates into the NULL-terminated, malloc'd array libedit expects: the common prefix first.
private func completionArray(_ word: String, _ candidates: [String]) -> UnsafeMutablePointer<
    UnsafeMutablePointer<CChar>?
>? {
    guard !candidates.isEmpty else { return nil }
    var prefix = candidates[0]
    for c in candidates.dropFirst() {
        while !c.hasPrefix(prefix) { prefix.removeLast() }
    }
    // libedit's layout: the text to insert, then every match, then NULL. It tells a single match by
    // matches[2] == NULL, so a lone match is listed too (never [match, NULL]: it would read past the end).
    let all = [candidates.count == 1 ? candidates[0] : prefix] + candidates
    let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: all.count + 1)
    for (i, s) in all.enumerated() { array[i] = strdup(s) }
    array[all.count] = nil
    return array
}

/// libedit with history and tab completion, for a person at a terminal.
public final class EditLineReader: LineReader {
    private let historyPath: String?
    public var isInteractive: Bool { true }

    /// `historyPath` is read now and written after every line (so a crash or kill loses nothing).
    /// `complete` gives the candidates, or nil where a file name is typed (libedit then completes file names).
    public init(historyPath: String?, complete: @escaping (_ lineBeforeWord: String, _ word: String) -> [String]?) {
        self.historyPath = historyPath
        adamlab_set_locale()
        adamlab_rl_set_catch_signals(0)
        Interrupt.install()
        completionProvider = complete
        adamlab_rl_set_completion { text, start, _ in
            guard let text, let line = adamlab_rl_line_buffer(), let provider = completionProvider else { return nil }
            let word = String(cString: text)
            let before = String(decoding: Array(String(cString: line).utf8.prefix(Int(start))), as: UTF8.self)
            guard let candidates = provider(before, word) else {
                adamlab_rl_set_completion_over(0)
                return nil
            }
            adamlab_rl_set_completion_over(1)
            adamlab_rl_set_append_character(candidates.count == 1 && candidates[0].hasSuffix("=") ? 0 : 32)
            return completionArray(word, candidates)
        }
        stifle_history(1000)
        if let historyPath {
            try? FileManager.default.createDirectory(
                atPath: (historyPath as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            _ = read_history(historyPath)
        }
    }

    public func read(prompt: String) -> LineInput {
        Interrupt.clear()
        guard let raw = readline(prompt) else {
            return Interrupt.clear() ? .interrupted : .endOfInput
        }
        defer { free(raw) }
        // Bytes that are not UTF-8 (pasted from elsewhere) are reported, never repaired and run.
        let bytes = UnsafeBufferPointer(start: raw, count: strlen(raw)).map { UInt8(bitPattern: $0) }
        guard let line = String(validating: bytes, as: UTF8.self) else { return .undecodable(nil) }
        return .line(line)
    }

    public func remember(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return }
        _ = add_history(trimmed)
        if let historyPath { _ = write_history(historyPath) }
    }

    /// `$XDG_STATE_HOME/adamlab/history`, else `~/.local/state/adamlab/history`.
    public static func defaultHistoryPath(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> String?
    {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/adamlab/history" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/adamlab/history"
    }
}
