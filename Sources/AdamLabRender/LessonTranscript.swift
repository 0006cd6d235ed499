// `play`: a lesson walked straight through and written as a transcript, each question answered by
// the reference or by a learner's answers file (graded, wrong answers diagnosed).

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

/// A played lesson: its text, and how many of its questions were answered right.
public struct LessonTranscript: Sendable {
    public var text: String
    public var right: Int
    public var total: Int

    /// Plays `lesson` in a fresh `session`, in `style` (a lesson's `precision N` holds for the rest of
    /// it, in its tables and in the numbers of its text). Without `answers`, every question shows its
    /// reference answer and counts as right.
    public init(playing lesson: Lesson, session: Session = Session(), answers: [String: String]?, style: Style) throws {
        let terminal = TerminalOutput(style: style, write: { _ in })
        var words = LessonRenderer(style: style)
        var out = [words.transcriptHeading(lesson)]
        var right = 0
        try LessonPlayer.walk(
            lesson, session: session,
            answer: { exercise in
                guard let answers else { return .reference }
                return answers[exercise.id].map(LessonPlayer.WalkAnswer.typed) ?? .unanswered
            }
        ) { event in
            terminal.style.precision = event.digits ?? style.precision
            words.style = terminal.style
            switch event.kind {
            case .graded(_, _, let grade, _) where grade.isRight: right += 1
            case .answer(_, _, .reference): right += 1
            default: break
            }
            if let text = words.transcript(event, render: terminal.render) { out.append(text) }
        }
        let total = lesson.exercises.count
        out.append(words.score(right: right, total: total))
        text = out.joined(separator: "\n")
        self.right = right
        self.total = total
    }
}
