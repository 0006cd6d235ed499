// The built binary under a pseudo-terminal: prompt, tab completion, history across sessions, Ctrl-C.

import AdamLabLessons
import Foundation
import Testing

/// adamlab running under `script`, which gives it a real terminal (so Ctrl-C is a signal, as for a person).
final class TerminalSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffer = Data()

    static var binary: URL {
        let beside = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("adamlab")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/adamlab")
    }

    init(stateHome: String, arguments: String = "", columns: Int = 200) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = [
            "-qfec", "stty cols \(columns) rows 50; exec \(TerminalSession.binary.path) \(arguments)", "/dev/null",
        ]
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = stateHome
        env["XDG_DATA_HOME"] = stateHome
        env["TERM"] = "xterm"
        env["LANG"] = "C.UTF-8"
        env["NO_COLOR"] = "1"
        process.environment = env
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.buffer.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: buffer, as: UTF8.self)
    }

    func send(_ keys: String) { input.fileHandleForWriting.write(Data(keys.utf8)) }

    /// Waits until the screen output contains `needle` `count` times, up to `timeout` seconds.
    @discardableResult
    func waitFor(_ needle: String, count: Int = 1, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if text.components(separatedBy: needle).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    func finish() {
        send("\u{04}")
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        output.fileHandleForReading.readabilityHandler = nil
    }
}

@Suite("terminal", .serialized)
struct TerminalTests {
    let stateHome: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-pty-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    @Test func promptCompletionAndCtrlC() throws {
        let term = try TerminalSession(stateHome: stateHome)
        defer { term.finish() }
        #expect(term.waitFor("adam t=0 › "), "no prompt: \(term.text)")
        term.send("step\r")
        #expect(term.waitFor("adam t=1 › "))
        // Tab completes the command and the quantity: `expl⇥ m_h⇥` is `explain m_hat`.
        // (libedit redraws the completed word with cursor moves, so the effect is what is checked.)
        term.send("expl\t")
        Thread.sleep(forTimeInterval: 0.3)
        term.send("m_h\t\r")
        #expect(term.waitFor("m̂₁ = m₁ / (1 − β₁¹)"), "completion did not give explain m_hat: \(term.text)")
        // Ctrl-C during a long run stops it within a second, at a completed step, and the session goes on.
        term.send("run 500000000\r")
        #expect(term.waitFor("t = ", count: 1, timeout: 5))
        Thread.sleep(forTimeInterval: 1.5)
        term.send("\u{03}")
        #expect(
            term.waitFor("stopped by Ctrl-C at t = ", timeout: 1),
            "Ctrl-C did not stop the run within a second: \(term.text.suffix(400))")
        term.send("show t\r")
        #expect(term.waitFor("t = ", count: 1, timeout: 2))
        #expect(term.waitFor("adam t=", count: 4, timeout: 2))
        // `step N` stops the same way: a million steps of a small network take many seconds.
        term.send("objective network layers=10,16,1 rows=500\r")
        #expect(term.waitFor("193 weights"))
        term.send("step 1000000\r")
        Thread.sleep(forTimeInterval: 1.5)
        term.send("\u{03}")
        #expect(
            term.waitFor("stopped by Ctrl-C at t = ", count: 2, timeout: 1),
            "Ctrl-C did not stop `step`: \(term.text.suffix(400))")
        Thread.sleep(forTimeInterval: 0.3)
        term.send("show spec\r")
        #expect(term.waitFor("optimizer  adam"))
        // Ctrl-C at the prompt clears the line instead of running it.
        term.send("use sgd")
        Thread.sleep(forTimeInterval: 0.3)
        term.send("\u{03}")
        #expect(term.waitFor("^C"))
        Thread.sleep(forTimeInterval: 0.3)
        term.send("show spec\r")
        #expect(term.waitFor("optimizer  adam", count: 2), "\(term.text.suffix(600))")
        #expect(!term.text.contains("using sgd"))
    }

    /// The learner's report: at v̂₂'s question in adam-one-step (it reads "v₂ = 0.069604"), `back`, `back`
    /// and Enter ran the hidden `step` again (the question then read 0.100897 and the true v̂₂ was graded
    /// wrong). v̂₂[0] = 0.069604 / (1 − 0.999²) = 34.8194 (by hand).
    @Test func backBackEnterInALessonRunsNothingTwice() throws {
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("lessons/04-adam-one-step.md").path
        let lesson = try Lesson(text: String(contentsOfFile: lessons, encoding: .utf8), path: lessons)
        let position = try #require(
            lesson.blocks.firstIndex { if case .exercise(let e) = $0 { e.id == "v-hat-2" } else { false } })
        try FileManager.default.createDirectory(atPath: stateHome + "/adamlab", withIntermediateDirectories: true)
        try #"{"version": 1, "lessons": {"adam-one-step": {"position": \#(position)}}}"#.write(
            toFile: stateHome + "/adamlab/progress.json", atomically: true, encoding: .utf8)
        let term = try TerminalSession(stateHome: stateHome, arguments: "lesson adam-one-step", columns: 80)
        defer { term.finish() }
        #expect(term.waitFor("answer › "), "\(term.text)")
        #expect(term.text.contains("v₂ = 0.069604"), "\(term.text)")
        term.send("back\r")
        Thread.sleep(forTimeInterval: 0.3)
        term.send("back\r")
        Thread.sleep(forTimeInterval: 0.3)
        term.send("\r")
        #expect(term.waitFor("v₂ = 0.069604", count: 2), "\(term.text.suffix(1500))")
        #expect(term.waitFor("answer › ", count: 2))
        #expect(!term.text.contains("0.100897"))
        term.send("34.8194\r")
        #expect(term.waitFor("✓ right"), "\(term.text.suffix(800))")
    }

    @Test func historyIsKeptAcrossSessions() throws {
        let first = try TerminalSession(stateHome: stateHome)
        #expect(first.waitFor("› "))
        first.send("use rmsprop lr=0.003\r")
        #expect(first.waitFor("using rmsprop"))
        first.send("quit\r")
        first.finish()
        let file = stateHome + "/adamlab/history"
        // libedit's history file writes spaces as \040.
        let saved = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "\\040", with: " ")
        #expect(saved.contains("use rmsprop lr=0.003"))

        let second = try TerminalSession(stateHome: stateHome)
        defer { second.finish() }
        #expect(second.waitFor("adam t=0 › "))
        second.send("\u{10}\u{10}\r")  // Ctrl-P twice: back past `quit` to the `use` line of the last session
        #expect(second.waitFor("using rmsprop lr=0.003"), "history not recalled: \(second.text)")
    }
}
