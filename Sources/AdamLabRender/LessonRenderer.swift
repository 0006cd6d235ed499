// A lesson's events in words for a terminal: as lesson mode says them to a learner, and as `play`
// writes a transcript. Every sentence of a lesson is made here, once.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

/// Words for lesson events, in a terminal's style (its precision follows each event's digits).
public struct LessonRenderer {
    public var style: Style
    /// Where prose folds: the smaller of the terminal's width and a comfortable reading measure.
    public var proseWidth: Int

    public init(style: Style, proseWidth: Int? = nil) {
        self.style = style
        self.proseWidth = proseWidth ?? style.proseWidth
    }

    var terminal: TerminalRenderer { TerminalRenderer(style: style) }
    var prose: ProseStyle { ProseStyle(color: style.color, width: proseWidth, digits: style.precision) }

    /// Inline text (a question, a hint) as the terminal shows it.
    public func text(_ inlines: [Inline]) -> String { renderInlines(inlines, style: prose) }

    /// The reference answer: one number, or a vector's coordinates separated by `separator`.
    func answer(_ values: [Double], separator: String = ", ") -> String {
        values.map { style.number($0) }.joined(separator: separator)
    }

    /// An exercise's question, after its label (with its id in a transcript, where answers files name it).
    func question(_ exercise: ShownExercise, id: Bool) -> String {
        style.bold("Exercise" + (id ? " \(exercise.id)" : "") + ": ") + text(exercise.question)
    }

    /// "the answer is …": the reference answer in a sentence.
    func theAnswer(_ values: [Double]) -> String { "the answer is " + answer(values) }

    /// A grade in words, with the exercise's explanation after a right answer.
    func words(_ grade: Grade, explanation: [Inline]) -> String {
        var explained = grade
        explained.explanation = text(explanation)
        return terminal.words(explained)
    }

    /// Lesson text folded at the prose width, so that no word is cut at the terminal's edge.
    func say(_ text: String, dim: Bool = false) -> String {
        let folded = wrap(text, width: proseWidth, indent: "")
        return dim ? style.dim(folded) : folded
    }

    /// A command block as shown: what it printed, or for a hidden block only its commands and a note;
    /// `render` words each value (and takes in what it changes about the style, as `precision N`).
    func block(_ shown: ShownCommands, render: (Output) -> String, dimNote: Bool) -> String {
        // Going back to a block shows it as it ran (what it printed, marked as already run), so the part
        // reads as it did; nothing runs again.
        var printed = LessonPlayer.printed(shown, render: render)
        if shown.hidden {
            let note = "(output hidden: answer the question first)"
            printed =
                (shown.ran.map { render(.echo($0.command)) } + [dimNote ? style.dim(note) : note])
                .joined(separator: "\n")
        }
        guard shown.again || shown.brief, let newline = printed.firstIndex(of: "\n") else {
            return shown.brief ? printed + style.dim("   (already run)") : printed
        }
        // A block that ran before is shown as it ran, not run again; the learner is told so.
        return String(printed[..<newline]) + style.dim("   (already run)") + String(printed[newline...])
    }

    // MARK: - Lesson mode

    /// What lesson mode says for `event`, folded at the prose width (a command block's output as it
    /// printed); `render` words a session's values. Nil: nothing to say.
    public func interactive(
        _ event: LessonEvent, lesson: Lesson, next: (id: String, title: String)?, render: (Output) -> String
    ) -> String? {
        switch event.kind {
        case .commands(let shown):
            return block(shown, render: render, dimNote: true)
        case .resumed(let part, let parts, let last):
            let head = say(
                "resuming at part \(part) of \(parts)" + (last == nil ? "" : "; where you left off:"), dim: true)
            return last.map { head + "\n" + render($0) } ?? head
        default:
            return words(event, lesson: lesson, next: next).map { say($0) }
        }
    }

    /// Lesson mode's words for an event other than a command block's output, before folding.
    private func words(_ event: LessonEvent, lesson: Lesson, next: (id: String, title: String)?) -> String? {
        switch event.kind {
        case .commands, .resumed:
            return nil
        case .opened(let parts, let minutes, let unfinished, let finishedBefore):
            var text = say(
                "\(lesson.id): \(parts) parts, about \(minutes) minutes. Enter or `next` goes on, `leave` stops (your place is kept), `help` lists the rest.",
                dim: true)
            if finishedBefore {
                text += "\n" + say("you finished this lesson before; it starts again from the top", dim: true)
            }
            // Prerequisites advise; they never lock a lesson.
            if !unfinished.isEmpty {
                text +=
                    "\n"
                    + say(
                        "this lesson builds on \(names(unfinished)), which you have not finished; go on anyway, or `leave` and take \(unfinished.count == 1 ? "it" : "them") first",
                        dim: true)
            }
            return text
        case .prose(let blocks):
            return renderProse(blocks, style: prose)
        case .question(let exercise, let answered):
            if answered { return say(question(exercise, id: false) + style.dim("   (answered)")) }
            return say(question(exercise, id: false)) + "\n"
                + style.dim(
                    "type your answer" + (exercise.hints.isEmpty ? "" : ", or `hint`") + "; `skip` or `reveal` if stuck"
                )
        case .graded(let exercise, _, let grade, let hintsLeft):
            if grade.isRight {
                return say(style.good(style.unicode ? "✓ " : "") + words(grade, explanation: exercise.explanation))
            }
            return say(
                style.bad(style.unicode ? "✗ " : "") + words(grade, explanation: exercise.explanation)
                    + style.dim(hintsLeft ? "   (`hint` for help)" : "   (`reveal` shows the answer)"))
        case .ungradable(_, let typed, let problem, let notAValue, let canExperiment):
            return style.bad("error: ")
                + ungradable(typed, problem: problem, notAValue: notAValue, canExperiment: canExperiment)
        case .hint(let number, let count, let hint):
            return say("hint \(number) of \(count): " + text(hint))
        case .answer(let exercise, let values, let reason):
            let explanation = exercise.explanation.isEmpty ? "" : "\n" + text(exercise.explanation)
            return say((reason == .skipped ? "skipped (recorded): " : "") + theAnswer(values) + explanation)
        case .nextCommands(let commands):
            guard let first = commands.first else { return nil }
            let rest = commands.dropFirst()
            let after =
                rest.isEmpty
                ? ""
                : rest.count <= 2
                    ? " (then `\(rest.joined(separator: "`, `"))`)" : " (then \(rest.count) more commands)"
            return say("next: type `\(first)`\(after), or press Enter", dim: true)
        case .notice(let notice):
            return self.notice(notice)
        case .problem:
            return nil  // the text is shown as written; `verify` names the problem
        case .left(let part):
            return "left \(lesson.id) at part \(part); `lesson \(lesson.id)` resumes it"
        case .finished(let outcome):
            let total = outcome.total
            var text =
                style.bold("Lesson complete")
                + ": \(outcome.passed) of \(total) exercise\(total == 1 ? "" : "s") passed"
                + (outcome.skipped + outcome.revealed > 0
                    ? ", \(outcome.skipped) skipped, \(outcome.revealed) revealed" : "")
            if let next {
                text += "\nNext: \(next.title) (`lesson \(next.id)`)."
            } else {
                text += "\nThat was the last lesson there is so far; `lesson` lists them all."
            }
            return text
        }
    }

    /// Why a typed answer could not be graded, said to the learner who typed it.
    public func ungradable(_ typed: String, problem: String, notAValue: Bool, canExperiment: Bool) -> String {
        guard notAValue else { return problem }
        return
            "'\(clipped(typed.trimmingCharacters(in: .whitespaces)))' is neither a number nor a command; type a number like 0.27"
            + (canExperiment ? " (or a command, to experiment)" : "")
    }

    /// Names in running text: `a`, `a and b`, `a, b and c`.
    func names(_ items: [String]) -> String {
        items.count <= 1 ? items.joined() : items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    func notice(_ notice: LessonNotice) -> String {
        switch notice {
        case .firstPart: return "this is the first part"
        case .noExercise: return "no exercise here"
        case .noMoreHints: return "no more hints; `reveal` shows the answer"
        case .answerExpected: return "type your answer, `hint`, or `skip` to go on without one"
        case .noQuestionWaiting(let answered):
            return answered
                ? "that exercise is answered; Enter goes on" : "no exercise is waiting for an answer; Enter goes on"
        case .hiddenUntilAnswered:
            return say(
                "what that would show is hidden until you answer: type your answer, `hint`, or `reveal` (`help` still works)"
            )
        case .experimenting: return style.dim("(experimenting; `continue` puts the lesson back where it was)")
        case .backInLesson: return style.dim("back in the lesson")
        case .enterGoesOn: return style.dim("Enter to go on")
        case .lessonWords:
            return [
                "In a lesson:",
                "  Enter   go on (at a question: type your answer first)",
                "  back    the part before (nothing runs twice)",
                "  hint    the next hint of the question here",
                "  reveal  the answer, with its explanation",
                "  skip    go on without answering",
                "  leave   end the lesson here (progress is kept); `quit` leaves adamlab",
                "Any other command (show, explain, plot, step …) experiments; `continue` comes back.",
                say("`help COMMAND` tells one command, `help commands` every one."),
            ].joined(separator: "\n")
        }
    }

    // MARK: - Transcript

    /// The first lines of a played lesson.
    public func transcriptHeading(_ lesson: Lesson) -> String {
        "\(lesson.title)  (\(lesson.id), about \(lesson.minutes) minutes)\n"
    }

    /// What `play` writes for `event` (each part followed by a blank line). Nil: nothing.
    /// To a terminal (a style that knows its columns) every line folds at the prose width; to a file or a
    /// pipe the transcript keeps its fixed measure, the same on every machine.
    public func transcript(_ event: LessonEvent, render: (Output) -> String) -> String? {
        guard let text = transcriptText(event, render: render) else { return nil }
        guard style.columns != nil, case .commands = event.kind else {
            guard style.columns != nil else { return text }
            return text.components(separatedBy: "\n").map { line in
                let indent = String(line.prefix { $0 == " " })
                return cells(line) <= proseWidth
                    ? line : wrap(line, width: proseWidth, indent: "", continuation: indent + "  ")
            }.joined(separator: "\n")
        }
        return text
    }

    private func transcriptText(_ event: LessonEvent, render: (Output) -> String) -> String? {
        switch event.kind {
        case .prose(let blocks):
            let width = style.columns != nil ? proseWidth : ProseStyle(digits: style.precision).width
            return renderProse(blocks, style: ProseStyle(width: width, digits: style.precision)) + "\n"
        case .commands(let shown): return block(shown, render: render, dimNote: false) + "\n"
        case .question(let exercise, _): return question(exercise, id: true)
        case .graded(let exercise, let typed, let grade, _):
            let words = words(grade, explanation: exercise.explanation).replacingOccurrences(of: "\n", with: "\n  ")
            return "  answered \(typed): \(words)" + (grade.isRight ? "\n" : "")
        case .ungradable(_, let typed, let problem, _, _):
            return "  answered \(typed): \(problem)\n"
        case .answer(let exercise, let values, let reason):
            switch reason {
            case .unanswered: return "  no answer given (\(theAnswer(values)))\n"
            case .afterWrong: return "  \(theAnswer(values))\n"
            default:
                // As a learner would type it in an answers file.
                return "  answer: \(answer(values, separator: ","))\n"
                    + (exercise.explanation.isEmpty ? "" : "  " + text(exercise.explanation) + "\n")
            }
        default: return nil
        }
    }

    /// The last line of a transcript.
    public func score(right: Int, total: Int) -> String { "score: \(right)/\(total)" }
}

/// The lessons in order, with what the learner has done in each.
/// Each entry folds at `width`, its continuation under the title.
public func lessonList(library: LessonLibrary, progress: LearnerProgress, width: Int = 72) throws -> String {
    var lines = ["Lessons (`lesson NAME` to take one):"]
    for lesson in try library.lessons() {
        var p = progress.lessons[lesson.id]
        let ids = Set(lesson.exercises.map(\.id))
        // An exercise since renamed or removed.
        if let kept = p?.exercises.filter({ ids.contains($0.key) }) { p?.exercises = kept }
        let total = lesson.exercises.count
        var state = "not started"
        if let p {
            state = p.completed ? "done" : "at part \(lesson.partNumber(atBlock: p.position)) of \(lesson.partCount)"
            if total > 0 { state += ", \(p.count(.passed))/\(total) passed" }
            if p.count(.skipped) > 0 { state += ", \(p.count(.skipped)) skipped" }
        }
        let number = "  \(lesson.order). "
        // "20 min", "not started" and each part of a state fold as one word (joined by a no-break space
        // while folding).
        func together(_ text: String) -> String {
            text.components(separatedBy: ", ").map { $0.replacingOccurrences(of: " ", with: "\u{00A0}") }.joined(
                separator: ", ")
        }
        let entry = wrap(
            "\(lesson.title)  [\(lesson.id)]  \(together("\(lesson.minutes) min"))  \(together(state))"
                + (lesson.prerequisites.isEmpty ? "" : "  (after \(lesson.prerequisites.joined(separator: ", ")))"),
            width: width, indent: number, continuation: String(repeating: " ", count: number.count))
        lines.append(entry.replacingOccurrences(of: "\u{00A0}", with: " "))
    }
    return lines.joined(separator: "\n")
}
