// The drill: questions drawn from a seed (the same seed, the same question), each graded right by its
// own reference value and not right by every known mistake's value, the spaced repetition, and its
// history kept in the progress file with the care a lesson's progress gets.

import AdamLabCore
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabLessons

@Suite("drill")
struct DrillTests {
    /// The same seed gives the same question, word for word and value for value; another seed, others.
    @Test(arguments: DrillKind.allCases)
    func theSameSeedGivesTheSameQuestion(_ kind: DrillKind) throws {
        let a = try DrillQuestion.make(kind, seed: 42), b = try DrillQuestion.make(kind, seed: 42)
        #expect(a.question == b.question && a.answerText == b.answerText)
        #expect(try a.reference().expected == b.reference().expected)
        let others = try (43..<53).map { try DrillQuestion.make(kind, seed: UInt64($0)).question }
        #expect(Set(others + [a.question]).count > 1, "\(kind): ten seeds drew one question")
    }

    /// 1,000 drawn questions: the reference value, typed to 17 digits, is right; every known mistake's
    /// value that differs from the reference by more than the 0.5% the grading allows is not, and is diagnosed as a mistake (as that mistake when
    /// no other gives the same value).
    @Test func aThousandQuestionsAreGradedByTheirOwnRules() throws {
        var checkedMistakes = 0
        var kinds: Set<DrillKind> = []
        for k in 0..<1000 {
            let kind = DrillKind.allCases[k % DrillKind.allCases.count]
            let q = try DrillQuestion.make(kind, seed: DrillHistory.questionSeed(2026, asked: k))
            kinds.insert(kind)
            let reference = try q.reference()
            func typed(_ values: [Double]) -> String {
                values.map { String(format: "%.17g", $0) }.joined(separator: ",")
            }
            #expect(try q.grade(typed(reference.expected)).isRight, "\(kind) \(k): its own value is not right")
            for (mistake, values) in reference.wrong {
                // A mistake within 0.5% of the reference is graded right by the rule every exercise uses.
                let distinct = zip(values, reference.expected).contains { abs($0 - $1) > 0.006 * abs($1) }
                guard distinct, values.allSatisfy(\.isFinite) else { continue }
                let grade = try q.grade(typed(values))
                #expect(!grade.isRight, "\(kind) \(k): \(mistake.rawValue)'s value \(values) is graded right")
                #expect(grade.diagnosis != nil, "\(kind) \(k): \(mistake.rawValue)'s value \(values) is not diagnosed")
                let alike = reference.wrong.filter { $0.1 == values }.count
                if alike == 1 { #expect(grade.diagnosis == mistake, "\(kind) \(k): \(values) is not \(mistake)") }
                checkedMistakes += 1
            }
        }
        #expect(kinds == Set(DrillKind.allCases))
        #expect(checkedMistakes > 2000)
    }

    /// A question never shows its own answer: the value asked for, to the digits a learner would type, is
    /// not in its words (where it has four digits or more, so a coincidence of a small number is no fault).
    @Test func aQuestionDoesNotShowItsAnswer() throws {
        for k in 0..<300 {
            let kind = DrillKind.allCases[k % DrillKind.allCases.count]
            let q = try DrillQuestion.make(kind, seed: DrillHistory.questionSeed(11, asked: k))
            for value in try q.reference().expected {
                let digits = significantDigits(value, 6)
                guard digits.filter(\.isNumber).count >= 4 else { continue }
                #expect(!q.question.contains(digits), "\(kind) \(k) shows \(digits): \(q.question)")
            }
        }
    }

    /// A wrong answer comes back two questions later; a right one moves up a box and further away.
    @Test func whatWasWrongComesBackSoon() {
        var h = DrillHistory()
        let kinds = DrillKind.allCases
        let first = h.next(among: kinds, seed: 5)
        h.record(first, right: false)
        #expect(h.items[first.rawValue] == DrillItem(box: 1, due: 3, right: 0, wrong: 1))
        let second = h.next(among: kinds, seed: 5)
        #expect(second != first)
        h.record(second, right: true)
        #expect(h.items[second.rawValue] == DrillItem(box: 2, due: 6, right: 1, wrong: 0))
        let third = h.next(among: kinds, seed: 5)
        #expect(third != first && third != second)
        h.record(third, right: true)
        // Three asked: the wrong one is due.
        #expect(h.next(among: kinds, seed: 5) == first)
        // A topic's drill asks only its own kinds.
        var adam = DrillHistory()
        for _ in 0..<12 {
            let k = adam.next(among: DrillKind.of(topic: "adam")!, seed: 9)
            #expect(k.topic == "adam")
            adam.record(k, right: true)
        }
        #expect(DrillKind.of(topic: "nosuch") == nil)
    }

    /// The history travels in the progress file; a corrupt history is dropped and named, the lessons'
    /// progress kept, as for a corrupt lesson entry.
    @Test func aCorruptHistoryIsHandledLikeCorruptProgress() throws {
        var p = LearnerProgress()
        p.lessons["adam-one-step"] = LessonProgress()
        var h = DrillHistory()
        h.record(.gdStep, right: true)
        p.drill = h
        let data = try JSONEncoder().encode(p)
        let back = try LearnerProgress.decode(data)
        #expect(back.progress == p && back.rejected.isEmpty)

        for bad in [
            #"{"asked": 3, "items": {"gd-step": {"box": 9, "due": 4, "right": 1, "wrong": 0}}}"#,
            #"{"asked": -1, "items": {}}"#,
            #"{"asked": 2, "items": {"no-such-kind": {"box": 1, "due": 4, "right": 1, "wrong": 0}}}"#,
            #"{"asked": "two"}"#, "[]",
        ] {
            let json = #"{"version": 1, "lessons": {"adam-one-step": {"position": 3}}, "drill": "# + bad + "}"
            let decoded = try LearnerProgress.decode(Data(json.utf8))
            #expect(decoded.progress.lessons["adam-one-step"]?.position == 3, "\(bad)")
            #expect(decoded.progress.drill == nil)
            #expect(decoded.rejected.map(\.lesson) == ["drill"], "\(bad)")
        }

        // On disk: the file moved aside, the lessons' progress written back, nothing lost.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("progress.json").path
        let json =
            #"{"version": 1, "lessons": {"adam-one-step": {"position": 3}}, "drill": {"asked": -7, "items": {}}}"#
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let (loaded, warning) = ProgressStore(path: path).load()
        #expect(loaded.lessons["adam-one-step"]?.position == 3 && loaded.drill == nil)
        #expect(warning?.contains("drill: asked -7 is out of range") == true, "\(warning ?? "")")
        let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("corrupt") }
        #expect(aside.count == 1)
        #expect(try String(contentsOfFile: folder.appendingPathComponent(aside[0]).path, encoding: .utf8) == json)
    }
}
