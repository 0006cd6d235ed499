// Answers files: one learner's answers to a lesson's exercises, `exercise-id: value` per line.

import AdamLabCore
import AdamLabSession
import Foundation

extension LessonPlayer {
    /// Reads an answers file: `exercise-id: value` per line, `#` comments. An id given twice is an error.
    public static func parseAnswers(_ text: String, path: String) throws -> [String: String] {
        try parseAnswerLines(text, path: path).mapValues(\.answer)
    }

    /// The answers with the line each is on; the first bad line is an error.
    public static func parseAnswerLines(_ text: String, path: String) throws -> [String: (answer: String, line: Int)] {
        let (answers, problems) = readAnswerLines(text, path: path)
        if let first = problems.first { throw first }
        return answers
    }

    /// The answers with the line each is on, and every bad line as an error of its own (a line without
    /// `id:`, an id answered twice: the first answer is kept). An empty answer is no answer.
    public static func readAnswerLines(_ text: String, path: String) -> (
        answers: [String: (answer: String, line: Int)], problems: [LessonError]
    ) {
        var answers: [String: (answer: String, line: Int)] = [:]
        var problems: [LessonError] = []
        for (k, raw) in splitLines(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append(LessonError(file: path, line: k + 1, "expected 'exercise-id: answer'"))
                continue
            }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            if let earlier = answers[id] {
                problems.append(
                    LessonError(file: path, line: k + 1, "'\(id)' is answered twice (first on line \(earlier.line))"))
                continue
            }
            let answer = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if answer.isEmpty { continue }
            answers[id] = (answer, k + 1)
        }
        return (answers, problems)
    }

    /// Answers whose id matches no exercise of `lesson`: each an error naming its line and the ids there are.
    public static func unknownAnswers(_ answers: [String: (answer: String, line: Int)], lesson: Lesson, path: String)
        -> [LessonError]
    {
        let ids = lesson.exercises.map(\.id)
        return answers.filter { !ids.contains($0.key) }.sorted { $0.value.line < $1.value.line }.map { id, entry in
            let hint = didYouMean(id, in: ids).map { "did you mean '\($0)'? " } ?? ""
            return LessonError(
                file: path, line: entry.line,
                "no exercise '\(id)' in \(lesson.id); \(hint)its exercises: \(ids.joined(separator: ", "))")
        }
    }
}
