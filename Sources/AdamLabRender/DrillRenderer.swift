// The drill's words: a question with its number, the verdict on an answer, and the score at the end.

import AdamLabCore
import AdamLabLessons
import AdamLabSession

/// Words for `adamlab drill`, folded at the prose width as a lesson's are.
public struct DrillRenderer {
    public var style: Style

    public init(style: Style) { self.style = style }

    private var lesson: LessonRenderer { LessonRenderer(style: style) }
    private func fold(_ text: String, continuation: String = "") -> String {
        wrap(text, width: style.proseWidth, indent: "", continuation: continuation)
    }

    /// What the drill is about to ask, and the words it takes.
    public func opening(count: Int, topic: String?, due: Int, interactive: Bool = true) -> String {
        let about = topic.map { "on \($0)" } ?? "across the curriculum"
        let again = due > 0 ? "; \(due) of them \(due == 1 ? "comes" : "come") back from earlier answers" : ""
        let how =
            interactive
            ? " Type a number (or a,b), `hint`, `reveal`, `skip`, `help` or `quit`." : " One answer a line."
        return fold("Drill: \(count) question\(count == 1 ? "" : "s") \(about), each on fresh numbers\(again).\(how)")
    }

    public func help() -> String {
        fold(
            "a number (or a,b for two) answers; `hint` gives a hint; `reveal` shows the answer and its working; `skip` goes on (both bring the question back soon); `quit` ends the drill, keeping what was answered"
        )
    }

    public func interrupted() -> String { style.dim("(Ctrl-C: `quit` ends the drill, `skip` passes this question)") }

    /// A file's answer to a question, graded once.
    public func answered(_ typed: String, grade: Grade?) -> String {
        guard let grade else {
            return typed.lowercased() == "skip"
                ? "  skipped" : fold("  answered \(typed): not a number", continuation: "  ")
        }
        return fold("  answered \(typed): " + TerminalRenderer(style: style).words(grade), continuation: "  ")
    }

    public func question(_ q: DrillQuestion, number: Int, of count: Int) -> String {
        fold(style.bold("Question \(number)/\(count) (\(q.kind.rawValue)): ") + lesson.text(q.questionInlines))
    }

    public func hint(_ q: DrillQuestion) -> String { style.dim(fold("hint: " + lesson.text(q.hintInlines))) }

    /// The verdict on a typed answer, with the mistake named when one produced it.
    public func verdict(_ grade: Grade) -> String {
        let mark = grade.isRight ? style.good(style.unicode ? "✓ " : "") : style.bad(style.unicode ? "✗ " : "")
        return fold(mark + TerminalRenderer(style: style).words(grade), continuation: "  ")
    }

    public func answer(_ values: [Double]) -> String {
        "the answer is " + values.map { style.number($0) }.joined(separator: ", ")
    }

    public func unreadable(_ typed: String) -> String {
        fold("'\(typed)' is not a number; type the value (a,b for two), `hint`, `reveal`, `skip` or `quit`")
    }

    /// The end: how many were right at the first try, and which kinds come back soonest.
    public func summary(right: Int, asked: Int, again: [DrillKind]) -> String {
        guard asked > 0 else { return "No question answered." }
        var text = "\(right) of \(asked) right at the first try."
        if !again.isEmpty {
            text += " Coming back soon: " + again.map(\.rawValue).joined(separator: ", ") + "."
        }
        return fold(text)
    }

    /// The drill's history in a few lines: how much was asked, what comes back soon, what is well known.
    public func history(_ h: DrillHistory) -> String {
        let right = h.items.values.reduce(0) { $0 + $1.right }
        let soon = h.items.filter { $0.value.box == 1 }.keys.sorted()
        let known = h.items.filter { $0.value.box >= 4 }.keys.sorted()
        var lines = [
            fold("drill: \(h.asked) question\(h.asked == 1 ? "" : "s") asked, \(right) right at the first try")
        ]
        if !soon.isEmpty {
            lines.append(fold("  coming back soon: " + soon.joined(separator: ", "), continuation: "    "))
        }
        if !known.isEmpty { lines.append(fold("  well known: " + known.joined(separator: ", "), continuation: "    ")) }
        return lines.joined(separator: "\n")
    }
}
