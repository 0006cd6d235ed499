// A lesson walked straight through, as play, grade, verify and the page take it; and one command block run.

import AdamLabCore
import AdamLabSession
import Foundation

extension LessonPlayer {
    /// How a straight walk answers a question.
    public enum WalkAnswer {
        case typed(String)
        /// The reference answer is shown (a lesson played without a learner).
        case reference
        /// A learner's answers that have none for this question.
        case unanswered
    }

    /// Plays the lesson straight through, each question answered by `answer`, handing each event to
    /// `emit` as it happens. Play, grade, verify and the page are this walk; `lenient` (verify) reports
    /// what cannot be computed as `.problem` events and goes on, to the end or to the first command
    /// that fails (thrown).
    public static func walk(
        _ lesson: Lesson, session: Session, lenient: Bool = false, answer: (Exercise) -> WalkAnswer,
        emit: (LessonEvent) -> Void
    ) throws {
        let player = LessonPlayer(lesson: lesson, session: session, lenient: lenient)
        try player.enter().forEach(emit)
        while !player.finished {
            if player.awaitingAnswer, let exercise = player.currentExercise {
                do {
                    switch answer(exercise) {
                    case .typed(let typed):
                        let graded = try player.perform(.answer(typed))
                        graded.forEach(emit)
                        let wrong = graded.contains {
                            if case .graded(_, _, let grade, _) = $0.kind { return !grade.isRight }
                            return false
                        }
                        if wrong { emit(try player.answerEvent(exercise, .afterWrong)) }
                    case .reference: emit(try player.answerEvent(exercise, .reference))
                    case .unanswered: emit(try player.answerEvent(exercise, .unanswered))
                    }
                } catch let e as LessonError where lenient {
                    player.report(e).forEach(emit)
                }
                player.awaitingAnswer = false
            }
            try player.advance().forEach(emit)
        }
    }

    /// The events of a straight walk, collected.
    public static func walk(
        _ lesson: Lesson, session: Session, lenient: Bool = false, answer: (Exercise) -> WalkAnswer
    ) throws -> [LessonEvent] {
        var events: [LessonEvent] = []
        try walk(lesson, session: session, lenient: lenient, answer: answer) { events.append($0) }
        return events
    }

    /// Runs one command block (line k of it is line `firstLine + k` of the lesson) and gives back each
    /// command with its values; a command that fails is an error at its own line.
    public static func run(_ commands: [String], session: Session, path: String, firstLine: Int) throws -> [(
        command: String, outputs: [Output]
    )] {
        var out: [(String, [Output])] = []
        for (k, command) in commands.enumerated() {
            // A blank line in a block is spacing, not Enter.
            if Command.isInert(command) || Command.isEnter(command) { continue }
            do { out.append((command, try session.collect(command))) } catch {
                let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                throw LessonError(file: path, line: firstLine + k, "command failed: \(message)")
            }
        }
        return out
    }
}
