// The lesson renderer: its sentences pinned, and every lesson's words folded at 60, 80, 120 and 200
// columns without a line too long or a word broken.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

@Suite("lesson renderer")
struct LessonRendererTests {
    static let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("lessons").path
    static let files: [String] = (try? LessonLibrary(directory: lessons).files()) ?? []

    /// What lesson mode says for a whole lesson taken straight through (hints asked, the answer revealed),
    /// at `columns`: (the lesson's own words, the command blocks' output).
    static func spoken(_ file: String, columns: Int) throws -> (words: [String], outputs: [String]) {
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        var style = Style()
        style.columns = columns
        style.width = columns - 1
        let terminal = TerminalOutput(style: style, write: { _ in })
        let player = LessonPlayer(lesson: lesson, session: Session())
        var words: [String] = []
        var outputs: [String] = []
        var events = try player.open()
        while true {
            for event in events {
                terminal.style.precision = event.digits ?? 6
                let renderer = LessonRenderer(style: terminal.style)
                guard let text = renderer.interactive(event, lesson: lesson, next: nil, render: terminal.render) else {
                    continue
                }
                if case .commands = event.kind { outputs.append(text) } else { words.append(text) }
            }
            if player.finished { break }
            if player.awaitingAnswer {
                events = try player.perform(.hint) + player.perform(.hint) + player.perform(.reveal)
            } else {
                events = try player.perform(.on)
            }
        }
        return (words, outputs)
    }

    static func flat(_ texts: [String]) -> String {
        texts.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    @Test("folds at 60, 80, 120 and 200 columns, never mid-word", arguments: files)
    func foldsAtEveryWidth(_ file: String) throws {
        let wide = try LessonRendererTests.spoken(file, columns: 200)
        for columns in [60, 80, 120] {
            let (words, outputs) = try LessonRendererTests.spoken(file, columns: columns)
            for line in words.flatMap({ $0.components(separatedBy: "\n") }) {
                #expect(cells(line) < columns, "\(columns) columns: \(cells(line)) cells: \(line)")
            }
            // The same words in the same order at every width: a fold moved where lines break, nothing else.
            #expect(LessonRendererTests.flat(words) == LessonRendererTests.flat(wide.words), "\(columns) columns")
            #expect(outputs.count == wide.outputs.count)
        }
        // A reading measure: prose never runs wider than 88 columns, however wide the terminal.
        for line in wide.words.flatMap({ $0.components(separatedBy: "\n") }) { #expect(cells(line) <= 88, "\(line)") }
    }

    /// Every formula of a lesson is MathML in its page: one <math> per `$…$` (prose, questions, hints,
    /// explanations), none left as LaTeX, and β₁ᵗ set as one base with both scripts.
    @Test("each page's mathematics is MathML", arguments: files)
    func mathematicsIsMathML(_ file: String) throws {
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        func formulas(_ inlines: [Inline]) -> Int {
            inlines.reduce(0) { n, piece in
                switch piece {
                case .math: return n + 1
                case .emphasis(let c), .strong(let c), .link(let c, _): return n + formulas(c)
                default: return n
                }
            }
        }
        func formulas(_ blocks: [MarkdownBlock]) -> Int {
            blocks.reduce(0) { n, b in
                switch b {
                case .heading(_, let c, _), .paragraph(let c, _): return n + formulas(c)
                case .list(_, let items, _): return n + items.map { formulas($0) }.reduce(0, +)
                case .quote(let c, _): return n + formulas(c)
                default: return n
                }
            }
        }
        let expected = lesson.blocks.reduce(0) { n, block in
            switch block {
            case .prose(let blocks): return n + formulas(blocks)
            case .exercise(let e):
                return n + formulas(e.questionText) + formulas(e.explanationText)
                    + e.hintTexts.map(formulas).reduce(0, +)
            default: return n
            }
        }
        let page = try HTMLLessonRenderer().render(lesson, session: Session())
        #expect(xmlError(page) == nil, "\(xmlError(page) ?? "")")
        let counts = ElementCounter.count(page)
        #expect(expected > 10)
        #expect(counts["math"] == expected, "\(counts["math"] ?? 0) of \(expected)")
        #expect(!page.contains("\\frac") && !page.contains("\\hat") && !page.contains("\\beta"))
    }

    @Test func formulasAsMathML() {
        #expect(
            mathML(Formula("1-\\beta_1^t"))
                == "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\"><mrow><mn>1</mn><mo>−</mo>"
                + "<msubsup><mi>β</mi><mn>1</mn><mi>t</mi></msubsup></mrow></math>")
        #expect(mathML(Formula("\\frac{0.6}{0.1}")).contains("<mfrac><mn>0.6</mn><mn>0.1</mn></mfrac>"))
        #expect(
            mathML(Formula("\\sqrt{\\hat{v}_t}")).contains(
                "<msqrt><msub><mover accent=\"true\"><mi>v</mi><mo>^</mo></mover><mi>t</mi></msub></msqrt>"))
        #expect(mathML(Formula("10^{-8}")).contains("<msup><mn>10</mn><mrow><mo>−</mo><mn>8</mn></mrow></msup>"))
    }

    /// A coordinate pair is one word: at 60 columns the sentence folds before "(3, 4)", not inside it.
    @Test func aCoordinatePairStaysTogether() {
        let text = wrap(
            "We take Adam's first steps on the simplest bowl there is, from (3, 4).", width: 60, indent: "")
        #expect(text == "We take Adam's first steps on the simplest bowl there is,\nfrom (3, 4).")
        #expect(wrap("keep  two  spaces", width: 40, indent: "  ") == "  keep  two  spaces")
    }

    /// The sentences of lesson mode, each pinned once.
    @Test func theSentencesOfALesson() throws {
        let r = LessonRenderer(style: Style())
        let lesson = try Lesson(text: LessonModeTests.text, path: "t.md")
        let exercise = ShownExercise(
            id: "m1", question: [.text("What is "), .math("\\hat{m}_1"), .text(" for "), .code("x"), .text("?")],
            explanation: [.value([-0.5])], hints: [])
        func say(_ kind: LessonEvent.Kind) -> String? {
            r.interactive(LessonEvent(kind, digits: nil), lesson: lesson, next: nil, render: { _ in "" })
        }
        #expect(
            say(.question(exercise, answered: false))
                == "Exercise: What is m̂₁ for `x`?\ntype your answer; `skip` or `reveal` if stuck")
        #expect(
            say(.answer(exercise, values: [6, 8], reason: .skipped)) == "skipped (recorded): the answer is 6, 8\n−0.5")
        #expect(say(.answer(exercise, values: [6], reason: .revealed)) == "the answer is 6\n−0.5")
        #expect(say(.notice(.firstPart)) == "this is the first part")
        #expect(
            say(.notice(.hiddenUntilAnswered))
                == "what that would show is hidden until you answer: type your answer, `hint`, or `reveal`\n(`help` still works)"
        )
        #expect(
            say(.finished(LessonOutcome(passed: 1, total: 2, skipped: 1, revealed: 0)))
                == "Lesson complete: 1 of 2 exercises passed, 1 skipped, 0 revealed\nThat was the last lesson there is so far; `lesson` lists them all."
        )
    }
}
