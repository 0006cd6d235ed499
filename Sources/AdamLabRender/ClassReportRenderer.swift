// `adamlab grade`'s report as a table for a terminal, CSV for a spreadsheet, or JSON.

import AdamLabCore
import AdamLabLessons
import Foundation

public struct ClassReportRenderer {
    public let style: Style

    public init(style: Style) { self.style = style }

    private func cell(_ o: ExerciseOutcome) -> String {
        switch o.verdict {
        case .right: return style.unicode ? "✓" : "right"
        case .wrong: return (style.unicode ? "✗" : "wrong") + (o.mistake.map { " " + style.fold($0.title) } ?? "")
        case .missing: return "—"
        case .invalid: return style.unicode ? "✗ not a value" : "wrong: not a value"
        }
    }

    /// One row per learner (score, each exercise, the mistakes made), then one per exercise.
    public func table(_ r: ClassReport) -> String {
        let learners = Table(
            header: ["learner", "score"] + r.exercises,
            rows: r.learners.map { l in [l.name, "\(l.right)/\(l.total)"] + l.outcomes.map(cell) }
        ).render(style)
        let summary = Table(
            header: ["exercise", "right", "answered", "most common mistake"],
            rows: r.summary.map { s in
                [
                    s.id, "\(s.right)/\(s.learners)", "\(s.answered)/\(s.learners)",
                    s.commonMistake.map { "\(style.fold($0.title)) (\(s.commonMistakeCount))" } ?? "—",
                ]
            }
        ).render(style)
        let count = "\(r.learners.count) learner\(r.learners.count == 1 ? "" : "s")"
        return "\(style.fold(r.title)) (\(r.lesson)): \(count)\n\(learners)\n\n\(summary)"
    }

    /// One row per learner: name, file, score, total, then each exercise's verdict and why (the mistake's
    /// identifier, or what made the answer not a value).
    public func csv(_ r: ClassReport) -> String {
        var rows = [["learner", "file", "right", "total"] + r.exercises.flatMap { [$0, "\($0) why"] }]
        for l in r.learners {
            rows.append(
                [l.name, l.file, "\(l.right)", "\(l.total)"]
                    + l.outcomes.flatMap { [$0.verdict.rawValue, $0.mistake?.rawValue ?? $0.problem ?? ""] })
        }
        return rows.map(DataText.csvRow).joined(separator: "\n")
    }

    /// The whole report, with the per-exercise summary, as JSON (keys sorted, so it diffs well).
    public func json(_ r: ClassReport) -> String {
        struct Summary: Encodable {
            let id: String, right: Int, answered: Int, learners: Int
            let commonMistake: String?, commonMistakeCount: Int
        }
        struct Learner: Encodable {
            let name: String, file: String, right: Int, total: Int
            let answers: [ExerciseOutcome]
        }
        struct Whole: Encodable {
            let lesson: String, title: String, exercises: [String]
            let learners: [Learner], summary: [Summary]
        }
        let whole = Whole(
            lesson: r.lesson, title: r.title, exercises: r.exercises,
            learners: r.learners.map {
                Learner(name: $0.name, file: $0.file, right: $0.right, total: $0.total, answers: $0.outcomes)
            },
            summary: r.summary.map {
                Summary(
                    id: $0.id, right: $0.right, answered: $0.answered, learners: $0.learners,
                    commonMistake: $0.commonMistake?.rawValue, commonMistakeCount: $0.commonMistakeCount)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return (try? encoder.encode(whole)).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
