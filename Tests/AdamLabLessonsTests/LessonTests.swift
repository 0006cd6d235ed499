// The lesson engine: every shipped lesson verifies, broken lessons fail with file:line, answers are graded.

import AdamLabCore
import AdamLabRender
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabLessons

let lessonsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("lessons").path

/// The terminal's words for a session's values, in the default style (what `adamlab verify` uses).
func render(_ output: Output) -> String { TerminalRenderer(style: Style()).render(output) }

/// A grade in the terminal's words.
func words(_ grade: Grade) -> String { TerminalRenderer(style: Style()).words(grade) }

func host(_ commands: [String] = []) throws -> Session {
    let s = Session(write: { _ in })
    for c in commands { try s.execute(c) }
    return s
}

@Suite("shipped lessons")
struct ShippedLessonTests {
    static let files: [String] = (try? LessonLibrary(directory: lessonsDirectory).files()) ?? []

    @Test func thereAreLessons() { #expect(ShippedLessonTests.files.count >= 2) }

    @Test("verifies against the engine", arguments: files)
    func verifies(_ file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lesson = try Lesson(text: text, path: file)
        // A fresh renderer, so that a lesson's `precision N` holds for the rest of it as it does in `verify`.
        let terminal = TerminalOutput(style: Style(), write: { _ in })
        let (problems, _) = LessonPlayer.verify(lesson, text: text, session: try host(), render: terminal.render)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        #expect(!lesson.exercises.isEmpty)
    }

    /// Each question's reference answer, typed back at 17 digits as a learner's answer, is graded right
    /// where the question stands; a tenfold answer is not. (A grader that drifted from the reference, or
    /// a walk that graded at another step than it showed, fails here.)
    @Test("grades its own reference answers right", arguments: files)
    func playsThrough(_ file: String) throws {
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        var references: [String: String] = [:]
        try LessonPlayer.walk(lesson, session: try host(), answer: { _ in .reference }) { event in
            if case .answer(let exercise, let values, .reference) = event.kind {
                references[exercise.id] = values.map { significantDigits($0, 17) }.joined(separator: ",")
            }
        }
        #expect(references.count == lesson.exercises.count)
        let right = try LessonTranscript(playing: lesson, session: try host(), answers: references, style: Style())
        #expect(right.right == right.total, "\(right.text)")
        let tenfold = references.mapValues {
            $0.split(separator: ",").map { "\(Double($0)! * 10 + 1)" }.joined(separator: ",")
        }
        let wrong = try LessonTranscript(playing: lesson, session: try host(), answers: tenfold, style: Style())
        #expect(wrong.right == 0, "\(wrong.text)")
        let again = try LessonTranscript(playing: lesson, session: try host(), answers: references, style: Style())
        #expect(right.text == again.text)  // deterministic
    }

    /// Installed, adamlab finds its lessons from any folder: in share/adamlab/lessons beside its bin
    /// folder, through a symbolic link to the program too; ADAMLAB_LESSONS comes first.
    @Test func installedLessonsAreFoundFromAnyFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-prefix-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            atPath: root + "/share/adamlab/lessons", withIntermediateDirectories: true)
        try "".write(toFile: root + "/share/adamlab/lessons/README.md", atomically: true, encoding: .utf8)
        try "".write(toFile: root + "/bin/adamlab", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: root + "/adamlab-link", withDestinationPath: root + "/bin/adamlab")
        let elsewhere = FileManager.default.temporaryDirectory.path
        for executable in [root + "/bin/adamlab", root + "/adamlab-link"] {
            let found = LessonLibrary.locate(environment: [:], executable: executable, currentDirectory: elsewhere)
            #expect(found?.directory.hasSuffix("/share/adamlab/lessons") == true, "\(executable)")
        }
        let chosen = LessonLibrary.locate(
            environment: ["ADAMLAB_LESSONS": "/my/lessons"], executable: root + "/bin/adamlab",
            currentDirectory: elsewhere)
        #expect(chosen?.directory == "/my/lessons")
        #expect(LessonLibrary.locate(environment: [:], executable: "", currentDirectory: elsewhere) == nil)
    }

    @Test func libraryFindsByIdFileAndNumber() throws {
        let library = LessonLibrary(directory: lessonsDirectory)
        #expect(try library.find("adam-one-step").order == 4)
        #expect(try library.find("05-bias-correction.md").id == "bias-correction")
        #expect(try library.find("5").id == "bias-correction")
        #expect(throws: LessonError.self) { try library.find("bias-corection") }
    }
}

@Suite("broken lessons")
struct BrokenLessonTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String, where_: String, message: String
        var testDescription: String { message }
    }

    static let head = "---\ntitle: T\nid: t\norder: 1\n---\n"

    @Test(arguments: [
        Case(text: "# no front matter\n", where_: "x.md:1:1", message: "starts with front matter"),
        Case(text: "---\ntitle: T\nid: t\norder: 1\n", where_: "x.md:1:1", message: "not closed"),
        Case(text: "---\ntitle: T\nid: t\nordr: 1\n---\n", where_: "x.md:4:1", message: "did you mean 'order'"),
        Case(text: "---\ntitle: T\nid: t\norder: first\n---\n", where_: "x.md:4:8", message: "whole number"),
        Case(text: "---\ntitle: T\nid: t\norder:   first\n---\n", where_: "x.md:4:10", message: "whole number"),
        Case(text: "---\ntitle: T\nid: t\norder: 1\nminutes:ten\n---\n", where_: "x.md:5:9", message: "whole number"),
        Case(text: head + "text\n\n```expected\nx\n```\n", where_: "x.md:8:1", message: "must follow an adamlab block"),
        Case(text: head + "```adamlab\nstep\nstpe 3\n```\n", where_: "x.md:8:1", message: "did you mean 'step'"),
        Case(
            text: head + "```adamlab\nuse adam\nstep many\n```\n", where_: "x.md:8:6",
            message: "step takes a whole number of steps"),
        Case(
            text: head + "```adamlab\ncheck m_hat\n```\n", where_: "x.md:7:12",
            message: "check needs your value after the quantity"),
        Case(
            text: head + "\n> > > " + String(repeating: ">", count: 200) + " deep\n", where_: "x.md:7:1",
            message: "nested more than 100 deep"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer: m_hta[0]\n```\n", where_: "x.md:9:9",
            message: "did you mean 'm_hat'"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer:    bias_correction(beta3)\n```\n",
            where_: "x.md:9:28", message: "beta1 or beta2"),
        Case(text: head + "```exercise\nid: a\nquestion: q\n```\n", where_: "x.md:6:1", message: "needs 'answer:'"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer: m\nhint: 1\nhint: 2\nhint: 3\nhint: 4\n```\n",
            where_: "x.md:13:1", message: "at most three hints"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer: m\nfoo: 1\n```\n", where_: "x.md:10:1",
            message: "unknown exercise key"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer: m\ntolerance: lots\n```\n", where_: "x.md:10:12",
            message: "tolerance"),
        Case(
            text: head + "```exercise\nid: a\nquestion: q\nanswer: m\ntolerance:\tlots\n```\n", where_: "x.md:10:12",
            message: "tolerance"),
        Case(
            text: head
                + "```exercise\nid: a\nquestion: q\nanswer: m\n```\n```exercise\nid: a\nquestion: q\nanswer: v\n```\n",
            where_: "x.md:12:1", message: "used twice"),
    ])
    func errorsNameFileLineAndColumn(_ c: Case) {
        do {
            _ = try Lesson(text: c.text, path: "x.md")
            Issue.record("accepted")
        } catch let e as LessonError {
            #expect(e.errorDescription!.hasPrefix(c.where_ + ": error: "), "\(e.errorDescription!)")
            #expect(e.message.contains(c.message), "\(e.message)")
        } catch { Issue.record("\(error)") }
    }

    @Test func verifyReportsDriftWithADiffAndFixRewritesIt() throws {
        let text =
            BrokenLessonTests.head
            + "Step once.\n\n```adamlab\nuse sgd lr=0.5\nstep\n```\n\n```expected\n› use sgd lr=0.5\nusing sgd lr=0.5 momentum=0.0 dampening=0.0 nesterov=off weight_decay=0.0 convention=paper\non sphere from θ₀ = (3, 4); `step` to take the first step\n› step\nt = 1   f(θ₀) = 25   α₁ = 0.5\ni │ gₜ  Δθ  θₜ\n──┼─────────\n0 │  6  -3   0\n1 │  8  -4   1\n```\n"
        let lesson = try Lesson(text: text, path: "drift.md")
        let (problems, fixed) = LessonPlayer.verify(lesson, text: text, session: try host(), render: render)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("drift.md:14: error: the output differs") == true)
        #expect(problems.first?.contains("-1 │  8  -4   1") == true)
        #expect(problems.first?.contains("+1 │  8  -4   0") == true)
        let (after, _) = LessonPlayer.verify(
            try Lesson(text: fixed, path: "drift.md"), text: fixed, session: try host(), render: render)
        #expect(after.isEmpty)
        #expect(fixed.hasPrefix(BrokenLessonTests.head + "Step once."))
    }

    @Test func exerciseThatCannotBeAnsweredIsReported() throws {
        let text = BrokenLessonTests.head + "```exercise\nid: a\nquestion: q\nanswer: m_hat[0]\n```\n"
        let (problems, _) = LessonPlayer.verify(
            try Lesson(text: text, path: "y.md"), text: text, session: try host(), render: render)
        #expect(
            problems.first?.contains(
                "y.md:6:1: error: exercise 'a' cannot be answered here: no step taken yet") == true)
    }
}

@Suite("output matching")
struct OutputMatchTests {
    /// The engine is deterministic: any changed digit or step number is a changed result.
    @Test func outputMustMatchExactly() {
        // Trailing spaces aside.
        #expect(LessonPlayer.outputsMatch(expected: "x = 0.271759   ", actual: "x = 0.271759"))
        #expect(!LessonPlayer.outputsMatch(expected: "x = 0.271759", actual: "x = 0.2717591"))
        #expect(!LessonPlayer.outputsMatch(expected: "t = 2   f(θ₁) = 84.46", actual: "t = 1   f(θ₁) = 84.46"))
        #expect(!LessonPlayer.outputsMatch(expected: "0 │  6  -0.03  2.9", actual: "0 │  6  -0.02  2.9"))
        #expect(!LessonPlayer.outputsMatch(expected: "θ = 1", actual: "θ = 1\nmore"))
        #expect(!LessonPlayer.outputsMatch(expected: "m = 1", actual: "v = 1"))
    }

    /// Only where a lesson marks a relative tolerance may numbers differ, and only by that much.
    @Test func markedToleranceIsRelative() {
        #expect(LessonPlayer.outputsMatch(expected: "x = 0.271759", actual: "x = 0.2717591", tolerance: 1e-6))
        #expect(!LessonPlayer.outputsMatch(expected: "x = 0.271759", actual: "x = 0.27179", tolerance: 1e-6))
        #expect(!LessonPlayer.outputsMatch(expected: "t = 2 x = 1", actual: "t = 1 x = 1", tolerance: 1e-6))
        #expect(!LessonPlayer.outputsMatch(expected: "m = 1", actual: "v = 1", tolerance: 0.5))
    }
}

@Suite("LaTeX to Unicode")
struct LatexTests {
    @Test(arguments: [
        ("\\beta_1", "β₁"), ("\\hat{m}_t", "m̂ₜ"), ("\\sqrt{\\hat{v}_t}", "√v̂ₜ"), ("\\sqrt{v + \\epsilon}", "√(v + ε)"),
        ("\\frac{m_t}{1-\\beta_1^t}", "mₜ/(1−β₁ᵗ)"), ("x^2 + 5y^2", "x² + 5y²"), ("\\theta_{t-1}", "θₜ₋₁"),
        ("\\nabla f(\\theta)", "∇f(θ)"), ("\\alpha \\cdot g", "α · g"),
        ("u_t = \\max(\\beta_2 u_{t-1}, |g_t|)", "uₜ = max(β₂ uₜ₋₁, |gₜ|)"),
        ("10^{-8}", "10⁻⁸"), ("w_q", "w_q"), ("\\Delta\\theta = -\\text{lr}", "Δθ = −lr"), ("\\beta_2 u", "β₂ u"),
    ])
    func converts(_ c: (String, String)) {
        #expect(latexToUnicode(c.0) == c.1)
    }

    /// Past the depth limit a formula is kept as typed (and converting it stays linear).
    @Test func tooDeepIsKeptAsTyped() {
        let chain = String(repeating: "\\sqrt", count: 20_000) + "x"
        #expect(latexToUnicode(chain) == chain)
        let wide = "\\frac{" + String(repeating: "a+", count: 30_000) + "a}{b}"
        #expect(latexToUnicode(wide).hasSuffix("+a)/b"))
    }

    @Test func proseKeepsUnderscoresInsideMath() throws {
        let lesson = try Lesson(
            text: BrokenLessonTests.head + "Both $\\hat{m}_t$ and $v_t$ matter, *really*.\n", path: "m.md")
        guard case .prose(let blocks) = lesson.blocks.first else {
            Issue.record("no prose")
            return
        }
        #expect(renderProse(blocks) == "Both m̂ₜ and vₜ matter, really.")
    }
}

@Suite("grading")
struct GradingTests {
    static func exercise(_ answer: String, tolerance: Double? = nil) throws -> Exercise {
        Exercise(
            id: "e", question: "q", answer: try AnswerExpression(answer), answerText: answer, tolerance: tolerance,
            hints: [], explanation: "", line: 1)
    }

    /// Adam on x² + y² from (3, 4), three steps: the state the diagnoses are computed from.
    static func adamHost() throws -> Session { try host(["use adam lr=0.1", "step 3"]) }

    /// Adam lr=0.1 on x² + y² from (3, 4), three steps, computed by hand (in Python, the paper's formulas,
    /// 12 significant digits): each wrong value the mistake gives, and the right one.
    @Test(arguments: [
        ("m_hat[0]", Misconception.forgotBiasCorrection, "1.56802054151", "5.78605365872"),
        ("m_hat[0]", .exponentTMinusOne, "8.25273969217", "5.78605365872"),
        ("m_hat[0]", .swappedBetas, "523.196535975", "5.78605365872"),
        ("v_hat[1]", .forgotBiasCorrection, "0.182413473476", "60.8653362065"),
        ("v_hat[1]", .squaredMomentNotGradient, "43.0775253182", "60.8653362065"),
        ("v_hat[1]", .forgotOneMinus, "0.182961810204", "60.8653362065"),
        ("update[0]", .forgotSquareRoot, "-0.0171866960610", "-0.0997211839640"),
        ("update[0]", .epsilonInsideRoot, "-0.0997211841211", "-0.0997211839640"),
        ("update[0]", .forgotLearningRate, "-0.997211839640", "-0.0997211839640"),
        ("update[0]", .wrongSign, "0.0997211839640", "-0.0997211839640"),
        ("update[0]", .usedMNotMHat, "-0.0270244408543", "-0.0997211839640"),
        ("update[0]", .usedGradientNotMoment, "-0.0965181360818", "-0.0997211839640"),
        ("m[0]", .forgotPreviousState, "0.560020541483", "1.56802054151"),
        ("v[1]", .swappedBetas, "5.88852334724", "0.182413473476"),
    ])
    func wrongAnswersAreDiagnosedByValue(_ c: (String, Misconception, String, String)) throws {
        let h = try GradingTests.adamHost()
        let ex = try GradingTests.exercise(c.0)
        let grade = try ex.grade(c.2, host: h)
        #expect(!grade.isRight)
        #expect(grade.diagnosis == c.1, "\(c.0) typed \(c.2): \(words(grade))")
        #expect(try ex.grade(c.3, host: h).isRight, "\(c.0): \(c.3)")
    }

    /// Reference computations in exercises, diagnosed by the same grader as `check` (values by hand in
    /// Python from the paper's AdaMax and Adam: AdaMax β₂ = 0.5, three steps, u₃ = (5.59673, 7.59757);
    /// Adam lr=0.1, three steps, Δθ₃ ≈ (−0.0997212, −0.0997909)).
    @Test func referenceExercisesAreDiagnosed() throws {
        let adamax = try host(["use adamax lr=0.1 beta2=0.5", "step 3"])
        let sum = try GradingTests.exercise("infinity_norm").grade("17.3967,23.3976", host: adamax)
        #expect(sum.diagnosis == .adamaxSumNotMax)
        #expect(try GradingTests.exercise("infinity_norm[1]").grade("7.59757", host: adamax).isRight)
        let adam = try GradingTests.adamHost()
        let scaled = try GradingTests.exercise("scaled_update(100)[0]").grade("-9.97212", host: adam)
        #expect(scaled.diagnosis == .updateScalesWithGradient)
        #expect(words(scaled) == "not right: " + Misconception.updateScalesWithGradient.explanation)
    }

    @Test func aFailingCommandIsNamedByItsOwnLineBlankLinesIncluded() throws {
        // Lines 1–5 front matter, 6 the fence: `use adam` is line 7, a blank line 8, `back 3` line 9.
        let text = BrokenLessonTests.head + "```adamlab\nuse adam\n\nback 3\n```\n"
        let problems = LessonPlayer.verify(
            try Lesson(text: text, path: "b.md"), text: text, session: try host(), render: render
        ).problems
        #expect(problems == ["b.md:9:1: error: command failed: already at t = 0"], "\(problems)")
    }

    @Test func proseStatesOnlyComputedNumbers() throws {
        // After one Adam step on x² + y² from (3, 4): m̂₁ = g₁ = (6, 8), 1 − β₂ = 0.001 (seed 004).
        let text =
            BrokenLessonTests.head
            + "```adamlab\nuse adam lr=0.1\nstep\n```\n\nNow m̂₁ is {{m_hat}} and 1 − β₂ is {{bias_correction(beta2)}}; "
            + "*m̂₁[1] = {{m_hat[1]}}*.\n\n```exercise\nid: a\nquestion: Given m̂₁[0] = {{m_hat[0]}}, what is v̂₁[0]?\n"
            + "answer: v_hat[0]\nexplanation: {{v_hat[0]}} = 6².\n```\n"
        let lesson = try Lesson(text: text, path: "i.md")
        let played = try LessonTranscript(
            playing: lesson, session: try host(), answers: nil, style: Style(precision: 17))
        #expect(
            played.text.contains("Now m̂₁ is (6, 8) and 1 − β₂ is 0.0010000000000000009; m̂₁[1] = 8."),
            "\(played.text)")
        #expect(played.text.contains("Exercise a: Given m̂₁[0] = 6, what is v̂₁[0]?"))
        #expect(played.text.contains("  36 = 6²."))
        #expect(LessonPlayer.verify(lesson, text: text, session: try host(), render: render).problems.isEmpty)
        // A name the answer language does not know is found at load, with its line.
        #expect(throws: LessonError.self) {
            try Lesson(text: BrokenLessonTests.head + "Here {{m_hta}}.\n", path: "j.md")
        }
        do { _ = try Lesson(text: BrokenLessonTests.head + "\nHere {{m_hta}}.\n", path: "j.md") } catch let e
            as LessonError
        {
            #expect(
                e.errorDescription?.hasPrefix("j.md:7:1: error: {{m_hta}}: 'm_hta' is not a quantity") == true, "\(e)")
        }
        // One that cannot be computed where it stands (before any step) is a verify problem there.
        let early = BrokenLessonTests.head + "\nSee {{m_hat}}.\n"
        let problems = LessonPlayer.verify(
            try Lesson(text: early, path: "k.md"), text: early, session: try host(), render: render
        ).problems
        #expect(
            problems == ["k.md:7:1: error: {{m_hat}} cannot be computed here: no step taken yet; type `step` first"],
            "\(problems)")
    }

    @Test func aLessonCanPredict() throws {
        let text =
            BrokenLessonTests.head
            + "```adamlab\nuse adam lr=0.1\npredict m_hat\nstep\n0.6,0.8\npredict off\n```\n"
        let lesson = try Lesson(text: text, path: "p.md")
        guard case .commands(let commands, _, _) = lesson.blocks.first else {
            Issue.record("no command block")
            return
        }
        let out = try LessonPlayer.run(commands, session: try host(), path: "p.md", firstLine: 7)
            .flatMap { [render(.echo($0.command))] + $0.outputs.map(render) }.joined(separator: "\n")
        #expect(out.contains("your predictions: m̂₁ ✗ (no bias correction)"), "\(out)")
        #expect(out.contains("predict off: 0 of 1 prediction right; mistakes: no bias correction ×1"), "\(out)")
        // Without `predict`, a value in a command block is a mistake of the lesson's, found at load.
        let plain = BrokenLessonTests.head + "```adamlab\nuse adam lr=0.1\nstep\n0.6,0.8\n```\n"
        #expect(throws: LessonError.self) { try Lesson(text: plain, path: "q.md") }
    }

    @Test func unknownMistakeAndToleranceFromDigits() throws {
        let h = try GradingTests.adamHost()  // m̂₃ = (5.78605, 7.78603)
        let ex = try GradingTests.exercise("m_hat[0]")
        #expect(try ex.grade("5.79", host: h).isRight)
        #expect(try !ex.grade("5.7", host: h).isRight)
        let unknown = try ex.grade("42", host: h)
        #expect(unknown.diagnosis == nil && words(unknown) == "not right, and not a mistake I know")
        #expect(try GradingTests.exercise("m_hat[0]", tolerance: 1e-9).grade("5.786", host: h).isRight == false)
        #expect(throws: LessonError.self) { try ex.grade("abc", host: h) }
        #expect(try GradingTests.exercise("m_hat").grade("5.786,7.786", host: h).isRight)
    }

    /// Short and scientific answers get no absurd tolerance: the reference's magnitude sets the bar
    /// (0.5%), the digits typed only tighten it. References: seed 004's Adam on x² + 5y² from (3, 4)
    /// (Δθ₁ = −0.1 per coordinate, v̂₂[0] = 0.069604 / 0.001999 = 34.8194…, g₁[0] = 6).
    @Test func shortAndScientificAnswersCannotGame() throws {
        let h = try host(["objective f(x,y) = x^2 + 5*y^2", "start 3,4", "use adam lr=0.1", "step 2"])
        let vHat = try GradingTests.exercise("v_hat[0]")
        #expect(try !vHat.grade("0e2", host: h).isRight)
        #expect(try !vHat.grade("35", host: h).isRight)
        #expect(try vHat.grade("34.8", host: h).isRight)
        #expect(try vHat.grade("34.82", host: h).isRight)
        #expect(try !vHat.grade("34.81", host: h).isRight)  // more digits, tighter: 34.8194 rounds to 34.82
        #expect(try vHat.grade("3.482e1", host: h).isRight)
        let g = try host(["objective f(x,y) = x^2 + 5*y^2", "start 3,4", "use adam lr=0.1", "step"])
        #expect(try !GradingTests.exercise("g[0]").grade("1e1", host: g).isRight)
        #expect(try GradingTests.exercise("g[0]").grade("6", host: g).isRight)
        let update = try GradingTests.exercise("update[0]")
        #expect(try !update.grade("0", host: g).isRight)
        #expect(try update.grade("-0.1", host: g).isRight)
        #expect(try update.grade("\u{2212}0.1", host: g).isRight)  // the minus sign explain prints
        #expect(try update.grade("-0.10", host: g).isRight)
    }

    @Test func numbersAreNotGluedTogether() throws {
        let g = try host(["objective f(x,y) = x^2 + 5*y^2", "start 3,4", "use adam lr=0.1", "step"])
        let whole = try GradingTests.exercise("g")
        #expect(try whole.grade("6, 40", host: g).isRight)
        #expect { try whole.grade("6 40", host: g) } throws: { error in
            (error as? LessonError)?.message
                == "'6 40' has a space inside a number; separate coordinates with commas, e.g. 6,40"
        }
        #expect { try GradingTests.exercise("update[0]").grade("0,6", host: g) } throws: { error in
            (error as? LessonError)?.message
                == "this asks for one number; if you meant 0.6, write the decimal point as '.' (commas separate coordinates)"
        }
    }

    /// A mistake is recognised under the same rule as the right answer: `0` is not the uncorrected
    /// v₁ = 0.001·8² = 0.064 (lesson 1's v-hat-1, x² + y² from (3, 4)), and `1e1` is not 5.89 to one digit.
    @Test func mistakesMatchUnderTheSameRule() throws {
        let h = try host(["use adam lr=0.1", "step"])
        let zero = try GradingTests.exercise("v_hat[1]").grade("0", host: h)
        #expect(zero.diagnosis == nil && words(zero) == "not right, and not a mistake I know")
        #expect(try GradingTests.exercise("v_hat[1]").grade("0.064", host: h).diagnosis == .forgotBiasCorrection)
        // M̂₂[0] = 1.12 / 0.19 = 5.89474.
        let two = try host(["objective f(x,y) = x^2 + 5*y^2", "use adam lr=0.1", "step 2"])
        let ten = try GradingTests.exercise("m_hat[0]").grade("1e1", host: two)
        #expect(words(ten) == "not right, and not a mistake I know")
        let six = try GradingTests.exercise("m_hat[0]").grade("6", host: two)
        #expect(
            words(six)
                == "not right yet: that is right to the 1 significant digit you typed, but too coarse; give three")
    }

    @Test func coarseAnswerIsToldSo() throws {
        let h = try host(["objective f(x,y) = x^2 + 5*y^2", "start 3,4", "use adam lr=0.1", "step 2"])
        let grade = try GradingTests.exercise("v_hat[0]").grade("35", host: h)
        #expect(
            words(grade)
                == "not right yet: that is right to the 2 significant digits you typed, but too coarse; give three")
    }

    @Test func biasCorrectionScaleInvarianceInfinityNormAndBound() throws {
        let h = try host(["use adam lr=0.02 beta2=0.9999", "step 3"])
        let bc = try GradingTests.exercise("bias_correction(beta2)")
        #expect(try bc.grade("0.00029997", host: h).isRight)
        #expect(try bc.grade("0.99970003", host: h).diagnosis == .forgotOneMinus)
        #expect(try bc.grade("0.00019999", host: h).diagnosis == .exponentTMinusOne)
        #expect(try bc.grade("0.271", host: h).diagnosis == .swappedBetas)

        let scaled = try GradingTests.exercise("scaled_update(1000)[0]", tolerance: 1e-9)
        #expect(try scaled.grade("\(h.lastRecord![.update]![0])", host: h).isRight)

        #expect(try GradingTests.exercise("update_bound").grade("0.2", host: h).isRight)

        let a = try host(["use adamax", "step 4"])
        let norm = try GradingTests.exercise("infinity_norm[0]", tolerance: 1e-12)
        #expect(try norm.grade("\(a.lastRecord![.u]![0])", host: a).isRight)
        let gs = a.gradientHistory!.map { abs($0[0]) }
        let sum = gs.reduce(0) { 0.999 * $0 + $1 }
        #expect(try norm.grade("\(sum)", host: a).diagnosis == .adamaxSumNotMax)
    }

    @Test func playGradesAnAnswersFile() throws {
        let file = lessonsDirectory + "/04-adam-one-step.md"
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        let answers = try LessonPlayer.parseAnswers("# mine\nm-hat-1: 0.6\nv-hat-1: 64\nupdate-1: -1\n", path: "a.txt")
        let t = try LessonTranscript(
            playing: lesson, session: try host(), answers: answers, style: Style(precision: 17))
        #expect(t.right == 1 && t.total == 6)
        #expect(t.text.contains("answered 0.6: not right: that is the value without bias correction"))
        #expect(t.text.contains("answered -1: not right: that leaves out the learning rate"))
        #expect(t.text.contains("Exercise scale-3") && t.text.contains("no answer given"))
        #expect(throws: LessonError.self) { try LessonPlayer.parseAnswers("nonsense\n", path: "a.txt") }
    }

    /// scale-3 asks for Δθ₃[0] = −0.1·5.78605/(√33.6659 + 1e-8) = −0.0997212 (seed 004's numbers on
    /// x² + y²), so −0.099721 is right, and so is the three-digit −0.0997.
    @Test func fiveSignificantDigitsAreAccepted() throws {
        let file = lessonsDirectory + "/04-adam-one-step.md"
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        for typed in ["-0.099721", "-0.0997", "\u{2212}0.099721"] {
            let t = try LessonTranscript(
                playing: lesson, session: try host(), answers: ["scale-3": typed], style: Style(precision: 17))
            #expect(t.text.contains("answered \(typed): right: "), "\(typed)")
        }
        let wrong = try LessonTranscript(
            playing: lesson, session: try host(), answers: ["scale-3": "-0.099722"], style: Style(precision: 17))
        #expect(wrong.text.contains("answered -0.099722: not right"))
    }

    @Test func answersForNoExerciseAreNamed() throws {
        let file = lessonsDirectory + "/04-adam-one-step.md"
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        let lines = try LessonPlayer.parseAnswerLines("m-hat-1: 6\nscale3: 1\n", path: "a.txt")
        let unknown = LessonPlayer.unknownAnswers(lines, lesson: lesson, path: "a.txt")
        #expect(
            unknown.map { $0.errorDescription ?? "" } == [
                "a.txt:2:1: error: no exercise 'scale3' in adam-one-step; did you mean 'scale-3'? its exercises: m-hat-1, v-hat-1, update-1, v-hat-2, alpha-3, scale-3"
            ])
        #expect { try LessonPlayer.parseAnswerLines("a: 1\na: 2\n", path: "a.txt") } throws: {
            ($0 as? LessonError)?.errorDescription == "a.txt:2:1: error: 'a' is answered twice (first on line 1)"
        }
    }
}

@Suite("progress")
struct ProgressTests {
    func temporaryPath() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-progress-\(UUID().uuidString)")
        return dir.path + "/progress.json"
    }

    @Test func savesAtomicallyAndReadsBack() throws {
        let store = ProgressStore(path: temporaryPath())
        var p = LearnerProgress()
        p.lessons["a"] = LessonProgress()
        p.lessons["a"]!.position = 3
        p.lessons["a"]!.exercises["x"] = ExerciseProgress(status: .passed, attempts: 2)
        try store.save(p)
        let (loaded, warning) = store.load()
        #expect(warning == nil && loaded == p)
        let dir = (store.path as NSString).deletingLastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["progress.json"])  // no temp files left
    }

    @Test func corruptFileIsMovedAsideNotLost() throws {
        let store = ProgressStore(path: temporaryPath())
        try FileManager.default.createDirectory(
            atPath: (store.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "{\"lessons\": [oops".write(toFile: store.path, atomically: true, encoding: .utf8)
        let (loaded, warning) = store.load()
        #expect(loaded == LearnerProgress())
        #expect(warning?.contains("moved to") == true)
        #expect(!warning!.contains("\n"))
        let dir = (store.path as NSString).deletingLastPathComponent
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir).filter {
            $0.hasPrefix("progress.json.corrupt-")
        }
        #expect(aside.count == 1)
        #expect(try String(contentsOfFile: dir + "/" + aside[0], encoding: .utf8) == "{\"lessons\": [oops")
    }

    @Test func missingFileIsAFreshStart() {
        let (p, warning) = ProgressStore(path: temporaryPath()).load()
        #expect(p.lessons.isEmpty && warning == nil)
    }

    /// A `tolerance:` tighter than three significant digits must be said in the question: AdaMax's Δθ₁ is
    /// −0.1 (x² + y² from (3, 4)), and ±1e-7 asks for seven significant digits of it.
    @Test func aTighterToleranceUnsaidIsReported() throws {
        let exercise = { (question: String) in
            BrokenLessonTests.head
                + "```adamlab\nuse adamax lr=0.1\nstep\n```\n\n```exercise\nid: a\nquestion: \(question)\nanswer: update[0]\ntolerance: 1e-7\n```\n"
        }
        let unsaid = exercise("What is the step for x?")
        let (problems, _) = LessonPlayer.verify(
            try Lesson(text: unsaid, path: "t.md"), text: unsaid, session: try host(), render: render)
        #expect(
            problems
                == [
                    "t.md:11: error: exercise 'a' asks for its answer to ±1e-07, more than three significant digits, and its question does not say so; add 'to 7 significant digits'"
                ])
        let said = exercise("What is the step for x, to seven significant digits?")
        let (none, _) = LessonPlayer.verify(
            try Lesson(text: said, path: "t.md"), text: said, session: try host(), render: render)
        #expect(none.isEmpty)
    }
}
