// Taking a lesson inside the REPL: one block at a time, exercises answered and graded, progress saved.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

/// A lesson in progress. Lesson words (`next`, `back`, `hint`, `skip`, `reveal`, `continue`, `leave`) and
/// answers go here; anything else is an ordinary command, run as an experiment that `continue` undoes.
public final class LessonMode {
    public let lesson: Lesson
    private let session: Session
    private let terminal: TerminalOutput
    private let store: ProgressStore?
    private var progress: LearnerProgress
    private var position: Int
    private var hintsShown = 0
    private var experiment: Session.Snapshot?
    private var awaitingAnswer = false
    public private(set) var finished = false

    public static let words = ["next", "back", "hint", "skip", "reveal", "continue", "leave"]

    /// Opens `lesson` where the learner left it (progress from `store`), replaying its commands up to there.
    /// The lesson that comes next in order, suggested at the end.
    let next: (id: String, title: String)?

    public init(
        lesson: Lesson, session: Session, terminal: TerminalOutput, store: ProgressStore?,
        next: (id: String, title: String)? = nil
    ) throws {
        self.lesson = lesson
        self.next = next
        self.session = session
        self.terminal = terminal
        self.store = store
        let (loaded, warning) = store?.load() ?? (LearnerProgress(), nil)
        progress = loaded
        if let warning { terminal.write(terminal.style.bad("warning: ") + warning) }
        position = min(progress.lessons[lesson.id]?.position ?? 0, lesson.blocks.count)
        if position >= lesson.blocks.count { position = 0 }
        session.startAfresh()  // as `verify` and `play` start: the lesson does not depend on what came before
        say(
            "\(lesson.id): \(partCount) parts, about \(lesson.minutes) minutes. Enter or `next` goes on, `leave` stops.",
            dim: true)
        // Prerequisites advise; they never lock a lesson.
        let unfinished = lesson.prerequisites.filter { progress.lessons[$0]?.completed != true }
        if position == 0, !unfinished.isEmpty {
            say(
                "this lesson builds on \(unfinished.joined(separator: ", ")), not finished yet; go ahead, or `leave` and take \(unfinished.count == 1 ? "it" : "them") first",
                dim: true)
        }
        if position > 0 {
            // A question is resumed with the prose that leads up to it.
            if case .exercise = lesson.blocks[position], case .prose = lesson.blocks[position - 1] { position -= 1 }
            var lastOutputs: [Output] = []
            for block in lesson.blocks[..<position] {
                if case .commands(let commands, let line, let hidden) = block {
                    let outputs = try LessonPlayer.run(commands, session: session, path: lesson.path, firstLine: line)
                    outputs.flatMap(\.outputs).forEach(terminal.absorb)
                    // A hidden block's output stays hidden, and what came before it is no longer where things are.
                    lastOutputs = hidden ? [] : outputs.flatMap(\.outputs)
                }
            }
            terminal.write(
                terminal.style.dim(
                    "resuming at part \(partNumber) of \(partCount)"
                        + (lastOutputs.isEmpty ? "" : "; where you left off:")))
            // The last thing the lesson's commands showed, so the part that follows has its context.
            let shown = lastOutputs.filter { if case .echo = $0 { return false } else { return true } }
            if let last = shown.last { terminal.write(terminal.render(last)) }
        }
        show()
    }

    /// Parts as the learner counts them: expected-output blocks are never shown.
    private var partCount: Int { lesson.partCount }
    private var partNumber: Int { lesson.partNumber(atBlock: position) }

    private var current: LessonProgress {
        get { progress.lessons[lesson.id] ?? LessonProgress() }
        set { progress.lessons[lesson.id] = newValue }
    }

    /// Says which mode the learner is in: experimenting, answering, or reading the lesson.
    public var prompt: String {
        let arrow = terminal.style.unicode ? "›" : ">"
        if experiment != nil { return "experiment: " + terminal.prompt(for: session) }
        if awaitingAnswer { return "answer \(arrow) " }
        return "\(lesson.id) \(partNumber)/\(partCount) \(arrow) "
    }

    private func save() {
        guard let store else { return }
        do { try store.save(progress) } catch {
            terminal.write(
                terminal.style.bad("warning: ")
                    + "progress not saved: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
        }
    }

    /// Shows the block at `position`, running its commands.
    private func show() {
        hintsShown = 0
        awaitingAnswer = false
        while position < lesson.blocks.count, case .expected = lesson.blocks[position] { position += 1 }
        // The place saved is the part shown, never the expected block before it.
        if position < lesson.blocks.count, current.position != position {
            current.position = position
            save()
        }
        guard position < lesson.blocks.count else {
            finish()
            return
        }
        switch lesson.blocks[position] {
        case .prose(let blocks):
            let shown =
                (try? LessonText.interpolate(blocks, session: session, path: lesson.path, format: terminal.style.number))
                ?? blocks
            terminal.write(renderProse(shown, style: ProseStyle(color: terminal.style.color)))
            // A question belongs with the prose that leads up to it.
            if position + 1 < lesson.blocks.count, case .exercise = lesson.blocks[position + 1] {
                position += 1
                current.position = position
                save()
                show()
            }
        case .commands(let commands, let line, let hidden):
            do {
                terminal.write(
                    try LessonPlayer.shownBlock(
                        commands, hidden: hidden, session: session, render: terminal.render, path: lesson.path,
                        firstLine: line, note: terminal.style.dim))
                // A hidden block is there for the question after it: that comes at once.
                let k = nextPart
                if hidden, k < lesson.blocks.count, case .exercise = lesson.blocks[k] {
                    advance()
                    return
                }
            } catch {
                terminal.write(
                    terminal.style.bad("error: ") + ((error as? LocalizedError)?.errorDescription ?? "\(error)"))
            }
        case .expected:
            break
        case .exercise(let exercise):
            say(
                terminal.style.bold("Exercise: ")
                    + lessonText(exercise.question, session: session, format: terminal.style.number))
            terminal.write(
                terminal.style.dim(
                    "type your answer" + (exercise.hints.isEmpty ? "" : ", or `hint`") + "; `skip` or `reveal` if stuck"
                ))
            awaitingAnswer = true
        }
        if !awaitingAnswer { suggestNextCommand() }
    }

    /// Names the commands of the next part when it is a command block, so the learner can type them
    /// (typing the first is going on, as Enter is).
    private func suggestNextCommand() {
        guard let commands = nextCommands, let first = commands.first else { return }
        let rest = commands.dropFirst()
        let after =
            rest.isEmpty
            ? ""
            : rest.count <= 2
                ? " (then `\(rest.joined(separator: "`, `"))`)" : " (then \(rest.count) more commands)"
        say("next: type `\(first)`\(after), or press Enter", dim: true)
    }

    /// Writes lesson text folded at the prose's width, so that no word is cut at the terminal's edge
    /// (dimmed for lesson mode's own lines).
    private func say(_ text: String, dim: Bool = false) {
        let folded = wrap(text, width: ProseStyle().width, indent: "")
        terminal.write(dim ? terminal.style.dim(folded) : folded)
    }

    private func advance() {
        position += 1
        current.position = position
        save()
        show()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        var p = current
        p.completed = true
        p.position = 0
        current = p
        save()
        let total = lesson.exercises.count
        terminal.write(
            terminal.style.bold("Lesson complete")
                + ": \(p.count(.passed)) of \(total) exercise\(total == 1 ? "" : "s") passed"
                + (p.count(.skipped) + p.count(.revealed) > 0
                    ? ", \(p.count(.skipped)) skipped, \(p.count(.revealed)) revealed" : ""))
        if let next {
            terminal.write("Next: \(next.title) (`lesson \(next.id)`).")
        } else {
            terminal.write("That was the last lesson there is so far; `lesson` lists them all.")
        }
    }

    private func record(_ exercise: Exercise, _ status: ExerciseStatus, attempt: Bool) {
        var p = current
        var e = p.exercises[exercise.id] ?? ExerciseProgress(status: status, attempts: 0)
        if attempt { e.attempts += 1 }
        if e.status != .passed { e.status = status }
        p.exercises[exercise.id] = e
        current = p
        save()
    }

    /// The answer to `exercise` as the reference computes it, for `skip`, `reveal` and a skipping `next`.
    private func answerText(_ exercise: Exercise) throws -> String {
        try session.evaluate(exercise.answer).expected.map { terminal.style.number($0) }.joined(separator: ", ")
    }

    private func skip(_ exercise: Exercise) {
        record(exercise, .skipped, attempt: false)
        say(
            "skipped (recorded): the answer is \((try? answerText(exercise)) ?? "")"
                + (exercise.explanation.isEmpty
                    ? "" : "\n" + lessonText(exercise.explanation, session: session, format: terminal.style.number)))
        advance()
    }

    /// Handles a line if it belongs to the lesson; returns false for ordinary commands.
    /// At `answer ›` anything that is not a command is an answer attempt; a command starts an
    /// experiment (and the prompt says so) only when it parses.
    public func handle(_ line: String) throws -> Bool {
        if Command.isInert(line) { return true }
        // A step waiting for the learner's predictions takes the line (the REPL hands it to the session).
        if session.awaiting != nil { return false }
        let word = line.trimmingCharacters(in: .whitespaces).lowercased()
        let exercise: Exercise? = {
            guard position < lesson.blocks.count, case .exercise(let e) = lesson.blocks[position] else { return nil }
            return e
        }()
        let waiting = exercise != nil && awaitingAnswer && experiment == nil
        // While experimenting, `back`, `hint` and the rest are the REPL's; the lesson keeps only these.
        if experiment != nil, !["", "next", "n", "continue", "leave"].contains(word) {
            _ = try Command.parse(line)
            return false
        }
        switch word {
        case "", "next", "n":
            if experiment != nil {
                endExperiment()
                return true
            }
            if waiting, let exercise {
                if word.isEmpty {
                    terminal.write("type your answer, `hint`, or `skip` to go on without one")
                    return true
                }
                skip(exercise)
                return true
            }
            advance()
            return true
        case "continue":
            if experiment != nil { endExperiment() } else { reshow() }
            return true
        case "back":
            // Back one part as the learner counts them: past expected blocks and the lead-in of this question.
            var previous = position - 1
            while previous > 0, !lesson.isPart(previous) { previous -= 1 }
            guard previous >= 0, lesson.isPart(previous) else {
                terminal.write("this is the first part")
                return true
            }
            position = previous
            awaitingAnswer = false
            reshow()
            return true
        case "hint":
            guard let exercise else {
                terminal.write("no exercise here")
                return true
            }
            guard hintsShown < exercise.hints.count else {
                terminal.write("no more hints; `reveal` shows the answer")
                return true
            }
            say(
                "hint \(hintsShown + 1) of \(exercise.hints.count): "
                    + lessonText(exercise.hints[hintsShown], session: session, format: terminal.style.number))
            hintsShown += 1
            return true
        case "skip":
            if let exercise, awaitingAnswer { skip(exercise) } else { advance() }
            return true
        case "reveal":
            guard let exercise else {
                terminal.write("no exercise here")
                return true
            }
            say(
                "the answer is \(try answerText(exercise))"
                    + (exercise.explanation.isEmpty
                        ? "" : "\n" + lessonText(exercise.explanation, session: session, format: terminal.style.number))
            )
            record(exercise, .revealed, attempt: false)
            awaitingAnswer = false
            return true
        case "leave":
            terminal.write("left \(lesson.id) at part \(partNumber); `lesson \(lesson.id)` resumes it")
            finished = true
            return true
        default:
            break
        }
        let firstWord = tokenize(word).first?.text ?? ""
        if waiting, let exercise, !Command.words.contains(firstWord) {
            let grade: Grade
            do { grade = try exercise.grade(line, host: session) } catch let e as LessonError {
                let word = line.trimmingCharacters(in: .whitespaces)
                if !word.contains(where: { $0.isWhitespace || $0 == "," }), (try? parseTypedAnswer(word)) == nil {
                    throw SessionError(
                        "'\(word.count > 40 ? String(word.prefix(40)) + "…" : word)' is neither a number nor a command; type a number like 0.27 (or a command, to experiment)"
                    )
                }
                throw SessionError(e.message)
            }
            record(exercise, grade.isRight ? .passed : .failed, attempt: true)
            if grade.isRight {
                say(terminal.style.good(terminal.style.unicode ? "✓ " : "") + terminal.renderer.words(grade))
                awaitingAnswer = false
                if nextCommands == nil { terminal.write(terminal.style.dim("Enter to go on")) }
                suggestNextCommand()
            } else {
                say(
                    terminal.style.bad(terminal.style.unicode ? "✗ " : "") + terminal.renderer.words(grade)
                        + terminal.style.dim(
                            exercise.hints.count > hintsShown
                                ? "   (`hint` for help)" : "   (`reveal` shows the answer)"))
            }
            return true
        }
        if experiment == nil, parseTypedVector(word) != nil {
            terminal.write(
                exercise == nil
                    ? "no exercise is waiting for an answer; Enter goes on" : "that exercise is answered; Enter goes on"
            )
            return true
        }
        // Only a command that parses starts an experiment; a typo is an error and changes nothing.
        let command = try Command.parse(line)
        if command == .quit { return false }
        // Typing the lesson's own next command (the prose said "take the step") is going on, not an
        // experiment: the block runs once, as with Enter.
        func words(_ s: String) -> [String] { s.split(whereSeparator: \.isWhitespace).map(String.init) }
        if experiment == nil, !waiting, let next = nextCommand,
            words(next) == words(line) || (try? Command.parse(next)) == command
        {
            advance()
            return true
        }
        if case .lesson = command { return false }
        if experiment == nil {
            experiment = session.snapshot()
            terminal.write(terminal.style.dim("(experimenting; `continue` puts the lesson back where it was)"))
        }
        return false
    }

    /// The index of the block after this one that the learner sees (expected blocks are not shown).
    private var nextPart: Int {
        var k = position + 1
        while k < lesson.blocks.count, case .expected = lesson.blocks[k] { k += 1 }
        return k
    }

    /// The first command of the lesson's next part, when that part is a command block.
    private var nextCommand: String? { nextCommands?.first }

    /// The commands of the lesson's next part (comments and blank lines left out), when it is a command block.
    private var nextCommands: [String]? {
        let k = nextPart
        guard k < lesson.blocks.count, case .commands(let commands, _, _) = lesson.blocks[k] else { return nil }
        let real = commands.filter { !Command.isInert($0) && !Command.isEnter($0) }
        return real.isEmpty ? nil : real.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private func endExperiment() {
        if let saved = experiment { session.restore(saved) }
        experiment = nil
        terminal.write(terminal.style.dim("back in the lesson"))
        reshow()
    }

    /// Shows the current part again without running its commands a second time.
    private func reshow() {
        guard position < lesson.blocks.count else { return }
        if case .commands(let commands, _, _) = lesson.blocks[position] {
            terminal.write(commands.map { "› " + $0 }.joined(separator: "\n") + terminal.style.dim("   (already run)"))
        } else if case .exercise(let e) = lesson.blocks[position], !awaitingAnswer,
            current.exercises[e.id]?.status == .passed
        {
            terminal.write(
                terminal.style.bold("Exercise: ")
                    + lessonText(e.question, session: session, format: terminal.style.number)
                    + terminal.style.dim("   (answered)"))
        } else {
            let hints = hintsShown
            show()
            hintsShown = hints
        }
    }
}
