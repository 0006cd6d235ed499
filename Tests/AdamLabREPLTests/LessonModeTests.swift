// Taking a lesson: the prompt says which mode the learner is in, answers are never run as commands,
// and going on past an exercise records it.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

@Suite("lesson mode")
struct LessonModeTests {
    static let text = """
        ---
        title: T
        id: t
        order: 1
        ---

        Intro.

        ```adamlab
        use adam lr=0.1
        step
        ```

        The question.

        ```exercise
        id: m1
        question: What is $\\hat{m}_1$ for x?
        answer: m_hat[0]
        explanation: $0.6 / 0.1 = 6$.
        ```

        The end.

        """

    /// A lesson mode at its exercise, with its output and a progress file of its own.
    static func atExercise() throws -> (LessonMode, Session, ProgressStore, () -> String) {
        var out: [String] = []
        let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
        let session = Session(terminal: terminal)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-mode-\(UUID().uuidString)")
            .path
        let store = ProgressStore(path: dir + "/progress.json")
        let mode = try LessonMode(
            lesson: try Lesson(text: text, path: "t.md"), session: session, terminal: terminal, store: store)
        #expect(try mode.handle(""))  // runs the commands
        #expect(try mode.handle(""))  // the prose and its question
        return (mode, session, store, { out.joined(separator: "\n") })
    }

    @Test func aHiddenBlockShowsItsCommandsAndItsQuestionAtOnce() throws {
        let text = LessonModeTests.text.replacingOccurrences(of: "```adamlab\n", with: "```adamlab hidden\n")
            .replacingOccurrences(of: "The question.\n\n", with: "")
        var out: [String] = []
        let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
        let mode = try LessonMode(
            lesson: try Lesson(text: text, path: "t.md"), session: Session(terminal: terminal), terminal: terminal,
            store: nil)
        #expect(try mode.handle(""))
        let shown = out.joined(separator: "\n")
        #expect(
            shown.contains(
                "› use adam lr=0.1\n› step\n(output hidden: answer the question first)\nExercise: What is m̂₁"))
        #expect(!shown.contains("t = 1   f(θ₀) = 25"), "the step's table stays hidden")
        #expect(mode.prompt == "answer › ")
        #expect(try mode.handle("6"))
        #expect(out.last?.contains("✓") == true || out.joined().contains("✓ right"))
    }

    @Test func aQuestionsLeadInCountsAsItsPart() throws {
        let lesson = try Lesson(text: LessonModeTests.text, path: "t.md")
        // Intro (1), the commands (2), the question with its lead-in (3), the end (4).
        #expect(lesson.partCount == 4)
        #expect((0..<lesson.blocks.count).map { lesson.partNumber(atBlock: $0) } == [1, 2, 3, 3, 4])
    }

    @Test func prerequisitesAdviseAndTheNextCommandIsNamed() throws {
        let text = LessonModeTests.text.replacingOccurrences(
            of: "order: 1\n", with: "order: 2\nprerequisites: basics\n")
        let lesson = try Lesson(text: text, path: "t.md")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-pre-\(UUID().uuidString)").path
        let store = ProgressStore(path: dir + "/progress.json")
        func open() throws -> (LessonMode, () -> String) {
            var out: [String] = []
            let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
            let mode = try LessonMode(
                lesson: lesson, session: Session(terminal: terminal), terminal: terminal, store: store)
            return (mode, { out.joined(separator: "\n") })
        }
        let (mode, text1) = try open()
        #expect(
            text1().contains(
                "this lesson builds on basics, which you have not finished; go on anyway, or `leave` and\ntake it first"
            ),
            "\(text1())")
        // The intro names the block that follows, which the learner may type instead of pressing Enter.
        #expect(text1().contains("next: type `use adam lr=0.1` (then `step`), or press Enter"), "\(text1())")
        #expect(try mode.handle("use adam lr=0.1"))
        #expect(text1().contains("› step"), "typing the block's first command runs the block")
        _ = try mode.handle("leave")
        var progress = store.load().0
        progress.lessons["basics"] = LessonProgress()
        progress.lessons["basics"]?.completed = true
        progress.lessons["t"] = nil
        try store.save(progress)
        #expect(!(try open().1().contains("builds on")))
    }

    @Test func resumingShowsWhereYouLeftOffAndFinishingSaysWhatIsNext() throws {
        let (mode, _, store, _) = try LessonModeTests.atExercise()
        _ = try mode.handle("leave")
        var out: [String] = []
        let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
        let again = try LessonMode(
            lesson: try Lesson(text: LessonModeTests.text, path: "t.md"), session: Session(terminal: terminal),
            terminal: terminal, store: store, next: (id: "momentum", title: "Momentum"))
        let resumed = out.joined(separator: "\n")
        // The step the question is about, then the prose that leads to the question, then the question.
        #expect(resumed.contains("resuming at part 3 of 4; where you left off:\nt = 1   f(θ₀) = 25"), "\(resumed)")
        #expect(resumed.contains("The question.\nExercise: What is m̂₁ for x?"), "\(resumed)")
        _ = try again.handle("6")
        _ = try again.handle("")
        _ = try again.handle("")
        #expect(
            out.joined(separator: "\n").hasSuffix("Next: Momentum (`lesson momentum`)."),
            "\(out.joined(separator: "\n"))")
    }

    @Test func typingTheLessonsNextCommandGoesOn() throws {
        var out: [String] = []
        let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
        let session = Session(terminal: terminal)
        let mode = try LessonMode(
            lesson: try Lesson(text: LessonModeTests.text, path: "t.md"), session: session, terminal: terminal,
            store: nil)
        // At "Intro.", typing the block's first command runs the block once (one step), not an experiment.
        #expect(try mode.handle("use adam   lr=0.1"))
        #expect(session.run.t == 1)
        #expect(!out.joined(separator: "\n").contains("experimenting"))
        // Another command is an experiment.
        #expect(try mode.handle("step 3") == false)
        #expect(out.joined(separator: "\n").contains("(experimenting; `continue` puts the lesson back where it was)"))
    }

    @Test func somethingThatIsNotACommandIsAnAnswerAttempt() throws {
        let (mode, session, _, output) = try LessonModeTests.atExercise()
        #expect(mode.prompt == "answer › ")
        #expect { try mode.handle("abc") } throws: { error in
            (error as? SessionError)?.message
                == "'abc' is neither a number nor a command; type a number like 0.27 (or a command, to experiment)"
        }
        #expect(mode.prompt == "answer › ")
        #expect(session.run.t == 1)
        #expect(try mode.handle("0.6"))
        #expect(output().contains("✗ not right: that is the value without bias correction"))
        #expect(mode.prompt == "answer › ")
        #expect(try mode.handle("6.01"))
        #expect(output().contains("✗ not right, but close: within 0.5%, and the last digits you typed are off"))
        #expect(try mode.handle("6"))
        #expect(output().contains("✓ right: 6"))
    }

    @Test func aCommandStartsAnExperimentAndThePromptSaysSo() throws {
        let (mode, session, _, _) = try LessonModeTests.atExercise()
        #expect(try mode.handle("step") == false)  // the REPL runs it
        try session.execute("step")
        #expect(mode.prompt == "experiment: adam t=2 › ")
        #expect(try mode.handle("continue"))
        #expect(session.run.t == 1)
        #expect(mode.prompt == "answer › ")
        // A typo is an error, not an experiment.
        #expect(throws: SessionError.self) { try mode.handle("stpe") }
        #expect(mode.prompt == "answer › ")
    }

    @Test func goingOnPastAnExerciseRecordsItAndShowsTheAnswer() throws {
        let (mode, _, store, output) = try LessonModeTests.atExercise()
        #expect(try mode.handle(""))
        #expect(output().contains("type your answer, `hint`, or `skip` to go on without one"))
        #expect(mode.prompt == "answer › ")
        #expect(try mode.handle("next"))
        #expect(output().contains("skipped (recorded): the answer is 6\n0.6 / 0.1 = 6."))
        #expect(store.load().0.lessons["t"]?.exercises["m1"]?.status == .skipped)
        #expect(mode.prompt == "t 4/4 › " || mode.finished)
    }

    @Test func backGoesOnePartBack() throws {
        let (mode, _, _, output) = try LessonModeTests.atExercise()
        #expect(mode.prompt == "answer › ")
        #expect(try mode.handle("back"))
        // The part as it ran: its commands and what they printed, marked as run, nothing run again.
        let back = output().components(separatedBy: "type your answer; `skip` or `reveal` if stuck\n").last ?? ""
        #expect(back.hasPrefix("› use adam lr=0.1   (already run)\nusing adam lr=0.1"), "\(back)")
        #expect(back.contains("› step\nt = 1   f(θ₀) = 25"), "\(back)")
        #expect(mode.prompt == "t 2/4 › ")
        #expect(try mode.handle("back"))
        #expect(mode.prompt == "t 1/4 › ")
        #expect(try mode.handle("back"))
        #expect(output().hasSuffix("this is the first part"))
    }

    /// While experimenting, `back` is the REPL's (undo a step), not the lesson's.
    @Test func experimentKeepsTheREPLsWords() throws {
        let (mode, session, _, _) = try LessonModeTests.atExercise()
        #expect(try mode.handle("step") == false)
        try session.execute("step")
        #expect(try mode.handle("back") == false)
        try session.execute("back")
        #expect(session.run.t == 1 && mode.prompt == "experiment: adam t=1 › ")
        #expect(try mode.handle("continue"))
        #expect(mode.prompt == "answer › ")
    }

    @Test func spacesInAnAnswerGetTheSpecificMessage() throws {
        let (mode, _, _, _) = try LessonModeTests.atExercise()
        #expect { try mode.handle("6 0") } throws: { error in
            (error as? SessionError)?.message
                == "'6 0' has a space in it; this asks for one number, like 0.27"
        }
    }

    @Test func skipShowsTheAnswer() throws {
        let (mode, _, store, output) = try LessonModeTests.atExercise()
        #expect(try mode.handle("skip"))
        #expect(output().contains("skipped (recorded): the answer is 6"))
        #expect(store.load().0.lessons["t"]?.exercises["m1"]?.status == .skipped)
    }

    @Test func aFinishedLessonSaysItStartsAgain() throws {
        let lesson = try Lesson(text: LessonModeTests.text, path: "t.md")
        var done = LessonProgress()
        done.completed = true
        done.position = lesson.blocks.count
        let player = LessonPlayer(lesson: lesson, session: Session(), progress: done)
        let opened = try player.open().first
        guard case .opened(_, _, _, let finishedBefore)? = opened?.kind else {
            Issue.record("\(String(describing: opened))")
            return
        }
        #expect(finishedBefore)
        let fresh = LessonPlayer(lesson: lesson, session: Session())
        guard case .opened(_, _, _, let again)? = try fresh.open().first?.kind else { return }
        #expect(!again)
    }

    @Test func partCountsAgreeWithVerify() throws {
        let lesson = try Lesson(text: LessonModeTests.text, path: "t.md")
        var out: [String] = []
        let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
        _ = try LessonMode(lesson: lesson, session: Session(terminal: terminal), terminal: terminal, store: nil)
        #expect(
            (out.first ?? "").replacingOccurrences(of: "\n", with: " ")
                == "t: \(lesson.partCount) parts, about 10 minutes. Enter or `next` goes on, `leave` stops (your place is kept), `help` lists the rest.",
            "\(out)")
        #expect(lesson.partCount == 4)  // intro, commands, prose with its question, the end
    }
}
