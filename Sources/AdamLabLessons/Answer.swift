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
            throw LessonError(e.message)
        }
        // One value stands for every coordinate, as in `check` and `predict`.
        guard typed.count == 1 || typed.count == reference.expected.count else {
            throw LessonError(answerCountNote(typed, expectedCount: reference.expected.count))
        }
        return Session.grade(typed: typed, reference: reference, tolerance: tolerance)
    }
}
