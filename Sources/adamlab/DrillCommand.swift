// `adamlab drill`: the command-line wiring of the drill (the questions are in AdamLabLessons, the loop
// in AdamLabREPL).

import AdamLabLessons
import AdamLabREPL
import AdamLabRender
import AdamLabSession
import ArgumentParser
import Foundation

struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Questions like the lessons' exercises, on fresh numbers every time.",
        discussion: """
            Each question draws its objective, start and hyperparameters from a seed and is graded, and a \
            wrong answer diagnosed, by the rules the lessons use. What you got wrong comes back two \
            questions later, what you got right later and later (kept in the progress file). Topics: \
            \(DrillKind.topics.joined(separator: ", ")).

            With --answers FILE (one answer per line, `skip` to pass) the drill runs without a terminal \
            and without touching the progress file, as a transcript.

            Exit status: 0 done; 1 with --answers, some answer wrong; 2 bad input.
            """
    )

    @Argument(help: "A topic to drill (default: every topic).")
    var topic: String?

    @Option(help: "How many questions.")
    var count: Int = 10

    @Option(help: "The seed numbers are drawn from (the same seed and history give the same questions).")
    var seed: UInt64?

    @Option(help: "A file of answers, one per line, for a run without a terminal.")
    var answers: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        guard let kinds = DrillKind.of(topic: topic) else {
            throw fail(
                "drill",
                SessionError("no topic '\(topic ?? "")'; topics: \(DrillKind.topics.joined(separator: ", "))"))
        }
        guard (1...1000).contains(count) else { throw fail("drill", SessionError("--count takes 1 to 1000")) }
        let interactive = answers == nil && isatty(STDIN_FILENO) == 1
        let screen = TerminalOutput(style: try output.style(terminal: interactive), write: writeOut)
        let seed = self.seed ?? UInt64.random(in: 0...UInt64.max)
        if let answers {
            let lines: [FileLine]
            do { lines = try TextFile.lines(answers) } catch { throw failFile(error) }
            var reader = ScriptedReader(fileLines: lines)
            let mode = DrillMode(kinds: kinds, topic: topic, count: count, seed: seed, terminal: screen, store: nil)
            let result = try mode.run(reader: &reader)
            if result.right < count { throw ExitCode(1) }
            return
        }
        let mode = DrillMode(
            kinds: kinds, topic: topic, count: count, seed: seed, terminal: screen,
            store: ProgressStore(path: ProgressStore.defaultPath()))
        if interactive {
            var reader = EditLineReader(historyPath: nil) { _, _ in [] }
            try mode.run(reader: &reader)
        } else {
            var reader = PlainReader()
            try mode.run(reader: &reader)
        }
    }
}
