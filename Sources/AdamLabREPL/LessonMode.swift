// Taking a lesson inside the REPL: the lesson player's events written to the terminal, its progress
// saved after every action. What a typed line is, the player decides.

import AdamLabCore
import AdamLabLessons
import AdamLabRender
import AdamLabSession
import Foundation

/// A lesson in progress at the prompt. Lesson words and answers go to the player; a command it hands
/// back is run by the REPL as an experiment that `continue` undoes.
public final class LessonMode {
    public let lesson: Lesson
    private let player: LessonPlayer
    private let session: Session
    private let terminal: TerminalOutput
    private let store: ProgressStore?
    private var progress: LearnerProgress
    /// The lesson that comes next in order, suggested at the end.
    let next: (id: String, title: String)?
    /// The digits the terminal shows when the lesson has not asked for others.
    private let basePrecision: Int

    public var finished: Bool { player.finished }

    public static let words = LessonPlayer.words

    /// Opens `lesson` where the learner left it (progress from `store`), replaying its commands up to there.
    public init(
        lesson: Lesson, session: Session, terminal: TerminalOutput, store: ProgressStore?,
        next: (id: String, title: String)? = nil
    ) throws {
        self.lesson = lesson
        self.next = next
        self.session = session
        self.terminal = terminal
        self.store = store
        basePrecision = terminal.style.precision
        let (loaded, warning) = store?.load() ?? (LearnerProgress(), nil)
        progress = loaded
        if let warning { terminal.write(terminal.style.bad("warning: ") + warning) }
        player = LessonPlayer(
            lesson: lesson, session: session, progress: loaded.lessons[lesson.id] ?? LessonProgress(), lenient: true)
        let unfinished = lesson.prerequisites.filter { loaded.lessons[$0]?.completed != true }
        try show(try player.open(unfinished: unfinished))
    }

    /// Says which mode the learner is in: experimenting, answering, or reading the lesson.
    public var prompt: String {
        let arrow = terminal.style.unicode ? "›" : ">"
        if player.experimenting { return "experiment: " + terminal.prompt(for: session) }
        if player.awaitingAnswer { return "answer \(arrow) " }
        return "\(lesson.id) \(player.partNumber)/\(player.partCount) \(arrow) "
    }

    /// Writes the events and saves the progress they changed. An answer that cannot be graded is an
    /// error of the line typed, as a malformed command is (a script stops there).
    private func show(_ events: [LessonEvent]) throws {
        let base = basePrecision
        for event in events {
            terminal.style.precision = event.digits ?? base
            let words = LessonRenderer(style: terminal.style)
            if case .ungradable(_, let typed, let problem, let notAValue, let canExperiment) = event.kind {
                throw SessionError(
                    words.ungradable(typed, problem: problem, notAValue: notAValue, canExperiment: canExperiment))
            }
            if let text = words.interactive(event, lesson: lesson, next: next, render: terminal.render) {
                terminal.write(text)
            }
        }
        terminal.style.precision = session.precision ?? base
        save()
    }

    private lazy var writer = ProgressWriter(store: store, what: "progress")

    private func save() {
        guard progress.lessons[lesson.id] != player.progress else { return }
        progress.lessons[lesson.id] = player.progress
        writer.save(progress, terminal: terminal)
    }

    /// Handles a line if it belongs to the lesson; returns false for a line the REPL runs (an
    /// experiment's command, a prediction, `quit`, `lesson NAME`).
    public func handle(_ line: String) throws -> Bool {
        switch try player.take(line) {
        case .lesson(let events):
            try show(events)
            return true
        case .experiment(_, let events):
            try show(events)
            return false
        case .notForLesson:
            return false
        }
    }
}
