// A class's answers to one lesson: every learner's file graded by the one grader, then tallied per
// learner and per exercise. Values only; a renderer makes the table, the CSV or the JSON.

import AdamLabCore
import AdamLabSession
import Foundation

/// One learner's answer to one exercise.
public struct ExerciseOutcome: Sendable, Equatable, Codable {
    public enum Verdict: String, Sendable, Codable {
        case right, wrong, missing
        /// Not a value (`abc`, three numbers for two coordinates): counted as wrong, said why.
        case invalid
    }

    public var id: String
    public var answer: String?
    public var verdict: Verdict
    /// The known mistake a wrong value matches.
    public var mistake: Misconception?
    /// Why an invalid answer could not be graded.
    public var problem: String?
}

/// One learner's file, graded.
public struct LearnerResult: Sendable, Equatable, Codable {
    public var name: String
    public var file: String
    public var outcomes: [ExerciseOutcome]

    public init(name: String, file: String, outcomes: [ExerciseOutcome]) {
        self.name = name
        self.file = file
        self.outcomes = outcomes
    }

    public var right: Int { outcomes.filter { $0.verdict == .right }.count }
    public var total: Int { outcomes.count }
    /// The mistakes made, in exercise order.
    public var mistakes: [Misconception] { outcomes.compactMap(\.mistake) }
}

/// How the class did on one exercise.
public struct ExerciseSummary: Sendable, Equatable, Codable {
    public var id: String
    public var right: Int
    public var answered: Int
    public var learners: Int
    /// The mistake most learners made here (the first made, among equals), and how many made it.
    public var commonMistake: Misconception?
    public var commonMistakeCount: Int
}

/// Everything `adamlab grade` reports.
public struct ClassReport: Sendable, Equatable, Codable {
    public var lesson: String
    public var title: String
    public var exercises: [String]
    public var learners: [LearnerResult]

    public init(lesson: String, title: String, exercises: [String], learners: [LearnerResult]) {
        self.lesson = lesson
        self.title = title
        self.exercises = exercises
        self.learners = learners
    }

    /// Per exercise, in the lesson's order.
    public var summary: [ExerciseSummary] {
        exercises.map { id in
            let outcomes = learners.compactMap { learner in learner.outcomes.first { $0.id == id } }
            var counts: [(Misconception, Int)] = []
            for m in outcomes.compactMap(\.mistake) {
                if let k = counts.firstIndex(where: { $0.0 == m }) { counts[k].1 += 1 } else { counts.append((m, 1)) }
            }
            let common = counts.enumerated().max { a, b in
                a.element.1 != b.element.1 ? a.element.1 < b.element.1 : a.offset > b.offset
            }?.element
            return ExerciseSummary(
                id: id, right: outcomes.filter { $0.verdict == .right }.count,
                answered: outcomes.filter { $0.verdict != .missing }.count, learners: learners.count,
                commonMistake: common?.0, commonMistakeCount: common?.1 ?? 0)
        }
    }

    enum CodingKeys: String, CodingKey { case lesson, title, exercises, learners }
}

extension LessonPlayer {
    /// Grades one learner's answers (`exercise-id: value` lines): the lesson is walked in `host` (a
    /// fresh session), each exercise graded where it stands.
    public static func grade(
        _ lesson: Lesson, answers: [String: String], session host: Session
    ) throws -> [ExerciseOutcome] {
        var outcomes: [ExerciseOutcome] = []
        try walk(lesson, session: host, answer: { answers[$0.id].map(WalkAnswer.typed) ?? .unanswered }) { event in
            switch event.kind {
            case .graded(let exercise, let typed, let grade, _):
                outcomes.append(
                    ExerciseOutcome(
                        id: exercise.id, answer: typed, verdict: grade.isRight ? .right : .wrong,
                        mistake: grade.diagnosis))
            case .ungradable(let exercise, let typed, let problem, _, _):
                outcomes.append(ExerciseOutcome(id: exercise.id, answer: typed, verdict: .invalid, problem: problem))
            case .answer(let exercise, _, .unanswered):
                outcomes.append(ExerciseOutcome(id: exercise.id, answer: nil, verdict: .missing))
            default: break
            }
        }
        return outcomes
    }
}
