// How a typed answer to an exercise is graded: by the session's one grader, against the exercise's
// answer expression computed from the lesson's live session.

import AdamLabCore
import AdamLabSession
import Foundation

extension Exercise {
    /// Grades `text` (a number or a comma-separated vector) against the host's reference computation.
    public func grade(_ text: String, host: Session) throws -> Grade {
        let reference: AnswerReference
        do { reference = try host.evaluate(answer) } catch let e as SessionError { throw LessonError(e.message) }
        let typed: [TypedNumber]
        do { typed = try parseTypedAnswer(text) } catch let e as AnswerSyntaxError {
            // Spaces inside what should be one number are not coordinates to separate.
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if reference.expected.count == 1, trimmed.contains(where: \.isWhitespace), !trimmed.contains(",") {
                throw LessonError("'\(clipped(trimmed))' has a space in it; this asks for one number, like 0.27")
            }
            throw LessonError(e.message)
        }
        // One value stands for every coordinate, as in `check` and `predict`.
        guard typed.count == 1 || typed.count == reference.expected.count else {
            throw LessonError(answerCountNote(typed, expectedCount: reference.expected.count))
        }
        return Session.grade(typed: typed, reference: reference, tolerance: tolerance)
    }
}
