// `adamlab drill`: questions on fresh numbers, one after another, the spaced-repetition history saved
// after every question with the learner's lesson progress.

import AdamLabCore
import AdamLabLessons
import AdamLabRender
import AdamLabSession
import Foundation

/// A drill at the prompt: draws each question, grades what is typed, explains the answer, and keeps
/// the history in the progress file (with the same care as a lesson's progress).
public struct DrillMode {
    public let kinds: [DrillKind]
    public let topic: String?
    public let count: Int
    public let seed: UInt64
    private let terminal: TerminalOutput
    private let store: ProgressStore?

    public init(
        kinds: [DrillKind], topic: String?, count: Int, seed: UInt64, terminal: TerminalOutput, store: ProgressStore?
    ) {
        (self.kinds, self.topic, self.count, self.seed, self.terminal, self.store) =
            (kinds, topic, count, seed, terminal, store)
    }

    /// Runs the drill; returns how many were right at the first try and how many were asked. At a
    /// terminal a question waits until it is right, revealed or skipped; from a file each line answers
    /// one question (a blank line or `skip` passes it), graded once, with the answer shown after.
    @discardableResult
    public func run(reader: inout some LineReader) throws -> (right: Int, asked: Int) {
        var (progress, warning) = store?.load() ?? (LearnerProgress(), nil)
        if let warning { terminal.write(terminal.style.bad("warning: ") + warning) }
        var history = progress.drill ?? DrillHistory()
        let words = DrillRenderer(style: terminal.style)
        let dueNow = kinds.filter { history.items[$0.rawValue].map { $0.due <= history.asked } ?? false }.count
        terminal.write(
            words.opening(
                count: count, topic: kinds.first?.topic == kinds.last?.topic ? topic?.lowercased() : nil,
                due: min(dueNow, count), interactive: reader.isInteractive))
        var right = 0, asked = 0
        var writer = ProgressWriter(store: store, what: "drill history")
        questions: for number in 1...count {
            let kind = history.next(among: kinds, seed: seed)
            let q = try DrillQuestion.make(kind, seed: DrillHistory.questionSeed(seed, asked: history.asked))
            terminal.write("\n" + words.question(q, number: number, of: count))
            var first: Bool?
            answering: while true {
                let input = reader.read(prompt: terminal.style.unicode ? "answer › " : "answer> ")
                var line: String
                switch input {
                case .line(let raw): line = raw.trimmingCharacters(in: .whitespaces)
                case .interrupted:
                    terminal.write(words.interrupted())
                    continue
                case .undecodable:
                    line = "(a line that is not UTF-8)"
                case .endOfInput: break questions
                }
                if !reader.isInteractive {
                    // From a file: this line is this question's one answer.
                    let answered = line.isEmpty ? "skip" : line
                    let grade = answered.lowercased() == "skip" ? nil : try? q.grade(answered)
                    terminal.write(words.answered(answered, grade: grade))
                    first = grade?.isRight ?? false
                    if grade?.isRight != true { terminal.write(words.answer(try q.reference().expected)) }
                    explain(q)
                    break answering
                }
                switch line.lowercased() {
                case "": continue
                case "quit", "leave", "exit": break questions
                case "help": terminal.write(words.help())
                case "hint": terminal.write(words.hint(q))
                case "reveal", "skip":
                    first = first ?? false
                    if line.lowercased() == "reveal" {
                        terminal.write(words.answer(try q.reference().expected))
                        explain(q)
                    }
                    break answering
                default:
                    guard let grade = try? q.grade(line) else {
                        terminal.write(words.unreadable(line))
                        continue
                    }
                    // Right to its digits but too coarse is neither right nor wrong yet: the learner adds digits.
                    if case .tooCoarse = grade.verdict {} else { first = first ?? grade.isRight }
                    terminal.write(words.verdict(grade))
                    if grade.isRight {
                        explain(q)
                        break answering
                    }
                }
            }
            history.record(kind, right: first ?? false)
            asked += 1
            if first == true { right += 1 }
            progress.drill = history
            writer.save(progress, terminal: terminal)
        }
        let soon = store == nil ? [] : kinds.filter { k in history.items[k.rawValue].map { $0.box == 1 } ?? false }
        terminal.write("\n" + words.summary(right: right, asked: asked, again: soon))
        return (right, asked)
    }

    /// The worked computation, as `explain` gives it at the prompt.
    private func explain(_ q: DrillQuestion) {
        guard let outputs = try? q.session.collect("explain \(q.answerText)") else { return }
        for output in outputs { terminal.write(terminal.style.dim(terminal.render(output))) }
    }
}
