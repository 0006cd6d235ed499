// The one lesson player: where the learner is, what they do there, and what happens, as values.
// Verify, play, grade, the page and lesson mode all walk a lesson through it.

import AdamLabCore
import AdamLabSession
import Foundation

/// A lesson being taken. Its state at a part is a function of that part alone: every command block up
/// to it has run once, in order, from a fresh session; going back, going on again, resuming and
/// experimenting all arrive at that same state, and a block that has run is recalled, never run again.
public final class LessonPlayer {
    public let lesson: Lesson
    public let session: Session
    /// The index of the block shown last (for a question with its lead-in, the question's).
    public private(set) var position = 0
    public private(set) var hintsShown = 0
    /// A question waits for an answer.
    public internal(set) var awaitingAnswer = false
    /// An experiment is under way: `continue` (or Enter) puts the lesson back.
    public private(set) var experimenting = false
    public private(set) var finished = false
    /// This lesson's entry in the learner's progress (the caller saves it).
    public private(set) var progress: LessonProgress

    /// Each command block that has run: what it gave, the digits before it, and the state after it.
    private var ran: [Int: (shown: [(command: String, outputs: [Output])], digits: Int?, after: Session.Snapshot)] =
        [:]
    private let fresh: Session.Snapshot

    /// A `{{…}}` or an answer that cannot be computed is a `.problem` event and the walk goes on (the
    /// text is shown as written), rather than an error that ends it.
    private let lenient: Bool
    /// Problems met so far in a lenient walk, each reported once.
    private var reported: Set<String> = []

    public static let words = ["next", "n", "back", "hint", "skip", "reveal", "continue", "leave"]

    /// A player for `lesson` in `session` (started afresh, as every way of taking a lesson starts).
    public init(lesson: Lesson, session: Session, progress: LessonProgress = LessonProgress(), lenient: Bool = false) {
        self.lesson = lesson
        self.session = session
        self.progress = progress
        self.lenient = lenient
        // The lesson's own files (`file=data/…`) are found beside it, wherever adamlab runs.
        session.fileBase = (lesson.path as NSString).deletingLastPathComponent
        session.startAfresh()
        fresh = session.snapshot()
    }

    private func event(_ kind: LessonEvent.Kind) -> LessonEvent { LessonEvent(kind, digits: session.precision) }

    public var partCount: Int { lesson.partCount }
    public var partNumber: Int { lesson.partNumber(atBlock: position) }

    /// Opens the lesson where `progress` left it (the start, for a finished or new one), running its
    /// command blocks up to there; `unfinished` are prerequisites the learner has not finished.
    public func open(unfinished: [String] = []) throws -> [LessonEvent] {
        position = min(progress.position, lesson.blocks.count)
        if position >= lesson.blocks.count { position = 0 }
        var events = [
            event(
                .opened(
                    parts: partCount, minutes: lesson.minutes, unfinished: position == 0 ? unfinished : [],
                    finishedBefore: progress.completed && position == 0))
        ]
        guard position > 0 else { return events + (try enter()) }
        // A question is resumed with the prose that leads up to it.
        if case .exercise = lesson.blocks[position], case .prose = lesson.blocks[position - 1] { position -= 1 }
        try catchUp(before: position)
        // The last thing the lesson's commands showed (a hidden block's output stays hidden).
        var last: Output?
        for k in ran.keys.sorted() where k < position {
            guard case .commands(_, _, let hidden) = lesson.blocks[k] else { continue }
            last = hidden ? nil : ran[k]?.shown.flatMap(\.outputs).last { if case .echo = $0 { false } else { true } }
        }
        restoreState(atBlock: position - 1)
        events.append(event(.resumed(part: partNumber, of: partCount, lastShown: last)))
        return events + (try enter())
    }

    /// Does what the learner asked.
    public func perform(_ action: LessonAction) throws -> [LessonEvent] {
        switch action {
        case .on:
            if experimenting { return endExperiment() }
            if awaitingAnswer, let exercise = currentExercise { return try skip(exercise) }
            return try advance()
        case .continue:
            return experimenting ? endExperiment() : try reshow()
        case .back:
            var previous = position - 1
            while previous > 0, !lesson.isPart(previous) { previous -= 1 }
            guard previous >= 0, lesson.isPart(previous) else { return [event(.notice(.firstPart))] }
            position = previous
            restoreState(atBlock: position)
            awaitingAnswer = false
            hintsShown = 0
            return try reshow()
        case .hint:
            guard let exercise = currentExercise else { return [event(.notice(.noExercise))] }
            guard hintsShown < exercise.hints.count else { return [event(.notice(.noMoreHints))] }
            hintsShown += 1
            return [
                event(.hint(number: hintsShown, of: exercise.hints.count, try shown(exercise).hints[hintsShown - 1]))
            ]
        case .skip:
            if let exercise = currentExercise, awaitingAnswer { return try skip(exercise) }
            return try advance()
        case .reveal:
            guard let exercise = currentExercise else { return [event(.notice(.noExercise))] }
            record(exercise, .revealed, attempt: false)
            let wasWaiting = awaitingAnswer
            awaitingAnswer = false
            // Once shown, the answer is what the learner has: what to do next is said as after a right one.
            let next = nextCommandEvents()
            return [try answerEvent(exercise, .revealed)]
                + (wasWaiting ? (next.isEmpty ? [event(.notice(.enterGoesOn))] : next) : [])
        case .leave:
            finished = true
            return [event(.left(part: partNumber))]
        case .answer(let typed):
            guard let exercise = currentExercise, awaitingAnswer else {
                return [event(.notice(.noQuestionWaiting(answered: currentExercise != nil)))]
            }
            return try grade(typed, exercise)
        }
    }

    /// Decides what a typed line is and takes it if it is the lesson's. Throws for a line that is not a
    /// lesson word, not an answer and not a command that parses.
    public func take(_ line: String) throws -> TypedLine {
        if Command.isInert(line) { return .lesson([]) }
        // A step waiting for the learner's predictions takes the line.
        if session.awaiting != nil { return .notForLesson }
        let word = line.trimmingCharacters(in: .whitespaces).lowercased()
        if experimenting {
            // While experimenting, `back`, `hint` and the rest are the REPL's; the lesson keeps these.
            switch word {
            case "", "next", "n", "continue": return .lesson(endExperiment())
            case "leave": return .lesson(try perform(.leave))
            default:
                let command = try Command.parse(line)
                if case .lesson = command { return .notForLesson }
                return command == .quit ? .notForLesson : .experiment(command, events: [])
            }
        }
        switch word {
        case "":
            if awaitingAnswer { return .lesson([event(.notice(.answerExpected))]) }
            return .lesson(try perform(.on))
        case "next", "n": return .lesson(try perform(.on))
        case "continue": return .lesson(try perform(.continue))
        case "back": return .lesson(try perform(.back))
        case "hint": return .lesson(try perform(.hint))
        case "skip": return .lesson(try perform(.skip))
        case "reveal": return .lesson(try perform(.reveal))
        case "leave": return .lesson(try perform(.leave))
        case "help", "?": return .lesson([event(.notice(.lessonWords))])
        default: break
        }
        let firstWord = tokenize(word).first?.text ?? ""
        if awaitingAnswer, currentExercise != nil, !Command.words.contains(firstWord) {
            return .lesson(try perform(.answer(line)))
        }
        if parseTypedVector(word) != nil { return .lesson(try perform(.answer(line))) }
        // Only a command that parses starts an experiment; a typo is an error and changes nothing.
        let command = try Command.parse(line)
        if command == .quit { return .notForLesson }
        if case .lesson = command { return .notForLesson }
        // Typing the lesson's own next command (the prose said "take the step") is going on, not an
        // experiment: the block runs once, as with Enter.
        func words(_ s: String) -> [String] { s.split(whereSeparator: \.isWhitespace).map(String.init) }
        if !awaitingAnswer, let next = nextCommands?.first,
            words(next) == words(line) || (try? Command.parse(next)) == command
        {
            return .lesson(try advance())
        }
        // `help` changes nothing: it runs as it is, never as an experiment.
        if isHelp(command) { return .notForLesson }
        // What a question asks for stays hidden until it is answered: a command would show it.
        if awaitingAnswer, questionFollowsHiddenBlock {
            return .lesson([event(.notice(.hiddenUntilAnswered))])
        }
        experimenting = true
        return .experiment(command, events: [event(.notice(.experimenting))])
    }

    private func isHelp(_ command: Command) -> Bool {
        if case .help = command { return true }
        return false
    }

    // MARK: - Walking

    var currentExercise: Exercise? {
        guard position < lesson.blocks.count, case .exercise(let e) = lesson.blocks[position] else { return nil }
        return e
    }

    /// Whether the question here asks about output a hidden block kept back.
    private var questionFollowsHiddenBlock: Bool {
        for k in stride(from: position - 1, through: 0, by: -1) {
            if case .commands(_, _, let hidden) = lesson.blocks[k] { return hidden }
        }
        return false
    }

    /// The index of the block after this one that the learner sees (expected blocks are not shown).
    private var nextPart: Int {
        var k = position + 1
        while k < lesson.blocks.count, case .expected = lesson.blocks[k] { k += 1 }
        return k
    }

    /// The commands of the lesson's next part (comments and blank lines left out), when it is a command block.
    public var nextCommands: [String]? {
        let k = nextPart
        guard k < lesson.blocks.count, case .commands(let commands, _, _) = lesson.blocks[k] else { return nil }
        let real = commands.filter { !Command.isInert($0) && !Command.isEnter($0) }
        return real.isEmpty ? nil : real.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private func nextCommandEvents() -> [LessonEvent] {
        nextCommands.map { [event(.nextCommands($0))] } ?? []
    }

    func advance() throws -> [LessonEvent] {
        position += 1
        return try enter()
    }

    /// Shows the block at `position` (running its commands the first time), and what comes with it.
    func enter() throws -> [LessonEvent] {
        hintsShown = 0
        awaitingAnswer = false
        while position < lesson.blocks.count, case .expected = lesson.blocks[position] { position += 1 }
        guard position < lesson.blocks.count else { return finish() }
        progress.position = position
        switch lesson.blocks[position] {
        case .prose(let blocks):
            var events: [LessonEvent] = []
            var text = blocks
            do { text = try LessonText.interpolate(blocks, session: session, path: lesson.path) } catch let e
                as LessonError where lenient
            {
                events += report(e)
            }
            events.append(event(.prose(text)))
            // A question belongs with the prose that leads up to it.
            if position + 1 < lesson.blocks.count, case .exercise = lesson.blocks[position + 1] {
                return events + (try advance())
            }
            return events + nextCommandEvents()
        case .commands(_, _, let hidden):
            let shown = try commandsEvent(at: position, brief: false)
            // A hidden block is there for the question after it: that comes at once.
            if hidden, nextPart < lesson.blocks.count, case .exercise = lesson.blocks[nextPart] {
                return [shown] + (try advance())
            }
            return [shown] + nextCommandEvents()
        case .expected:
            return []
        case .exercise(let exercise):
            let answered = isAnswered(exercise)
            awaitingAnswer = !answered
            let question = event(.question(try shown(exercise), answered: answered))
            let problems = pendingProblems
            pendingProblems = []
            return problems + [question] + (answered ? nextCommandEvents() : [])
        }
    }

    /// The part at `position` again, without running anything: a command block as already run, an
    /// answered question as answered, anything else as when it was first shown.
    private func reshow() throws -> [LessonEvent] {
        guard position < lesson.blocks.count else { return [] }
        if case .commands = lesson.blocks[position] { return [try commandsEvent(at: position, brief: true)] }
        return try enter()
    }

    /// A command block as an event: run the first time, recalled (and the state after it restored) after.
    private func commandsEvent(at index: Int, brief: Bool) throws -> LessonEvent {
        guard case .commands(let commands, let line, let hidden) = lesson.blocks[index] else {
            preconditionFailure("block \(index) is not a command block")
        }
        let again = ran[index] != nil
        if !again { try run(index, commands: commands, firstLine: line) }
        guard let done = ran[index] else { preconditionFailure("block \(index) did not run") }
        session.restore(done.after)
        // Once the question after it is answered, a hidden block's output is no longer held back.
        let stillHidden = hidden && !answeredAfter(index)
        return LessonEvent(
            .commands(
                ShownCommands(ran: done.shown, hidden: stillHidden, again: again, brief: brief, index: index)),
            digits: done.digits)
    }

    /// Whether the questions a hidden block at `index` is there for have been answered (or revealed).
    private func answeredAfter(_ index: Int) -> Bool {
        var k = index + 1
        var any = false
        while k < lesson.blocks.count {
            switch lesson.blocks[k] {
            case .exercise(let e):
                guard isAnswered(e) else { return false }
                any = true
            case .expected: break
            case .prose where !lesson.isPart(k): break  // a question's lead-in
            default: return any
            }
            k += 1
        }
        return any
    }

    /// Runs command block `index` from the state after the blocks before it.
    private func run(_ index: Int, commands: [String], firstLine: Int) throws {
        try catchUp(before: index)
        restoreState(atBlock: index - 1)
        let digits = session.precision
        let shown = try LessonPlayer.run(commands, session: session, path: lesson.path, firstLine: firstLine)
        ran[index] = (shown, digits, session.snapshot())
    }

    /// Runs every command block before `index` that has not run yet, in order.
    private func catchUp(before index: Int) throws {
        for k in 0..<min(index, lesson.blocks.count) where ran[k] == nil {
            if case .commands(let commands, let line, _) = lesson.blocks[k] {
                try run(k, commands: commands, firstLine: line)
            }
        }
    }

    /// Puts the session in the state of having played straight to block `index` (commands included).
    private func restoreState(atBlock index: Int) {
        let last = ran.keys.filter { $0 <= index }.max()
        session.restore(last.flatMap { ran[$0]?.after } ?? fresh)
    }

    private func endExperiment() -> [LessonEvent] {
        experimenting = false
        restoreState(atBlock: position)
        let reshown = (try? reshow()) ?? []
        return [event(.notice(.backInLesson))] + reshown
    }

    private func finish() -> [LessonEvent] {
        guard !finished else { return [] }
        finished = true
        progress.completed = true
        progress.position = 0
        let p = progress
        return [
            event(
                .finished(
                    LessonOutcome(
                        passed: p.count(.passed), total: lesson.exercises.count, skipped: p.count(.skipped),
                        revealed: p.count(.revealed))))
        ]
    }

    // MARK: - Exercises

    /// A problem event, the first time this problem is met.
    func report(_ error: LessonError) -> [LessonEvent] {
        reported.insert(error.errorDescription ?? error.message).inserted ? [event(.problem(error))] : []
    }

    /// Problems met while computing the texts of the exercise shown last (a lenient walk's).
    private var pendingProblems: [LessonEvent] = []

    private func computed(_ inlines: [Inline], _ exercise: Exercise) throws -> [Inline] {
        do { return try LessonText.interpolate(inlines, session: session) } catch let e as LessonError {
            let placed = e.located(file: lesson.path, line: exercise.line)
            guard lenient else { throw placed }
            pendingProblems += report(placed)
            return inlines
        }
    }

    private func shown(_ exercise: Exercise) throws -> ShownExercise {
        ShownExercise(
            id: exercise.id, question: try computed(exercise.questionText, exercise),
            explanation: try computed(exercise.explanationText, exercise),
            hints: try exercise.hintTexts.map { try computed($0, exercise) })
    }

    /// The reference answer, an error at the exercise's line when it cannot be computed here.
    private func reference(_ exercise: Exercise) throws -> [Double] {
        do { return try session.evaluate(exercise.answer).expected } catch let e as SessionError {
            throw LessonError(
                file: lesson.path, line: exercise.line,
                "exercise '\(exercise.id)' cannot be answered here: \(e.message)")
        }
    }

    func answerEvent(_ exercise: Exercise, _ reason: AnswerReason) throws -> LessonEvent {
        event(.answer(try shown(exercise), values: try reference(exercise), reason: reason))
    }

    private func skip(_ exercise: Exercise) throws -> [LessonEvent] {
        record(exercise, .skipped, attempt: false)
        return [try answerEvent(exercise, .skipped)] + (try advance())
    }

    private func grade(_ typed: String, _ exercise: Exercise) throws -> [LessonEvent] {
        _ = try reference(exercise)
        let grade: Grade
        do { grade = try exercise.grade(typed, host: session) } catch let e as LessonError {
            let word = typed.trimmingCharacters(in: .whitespaces)
            let notAValue =
                !word.contains(where: { $0.isWhitespace || $0 == "," }) && (try? parseTypedAnswer(word)) == nil
            return [
                event(
                    .ungradable(
                        try shown(exercise), typed: typed, problem: e.message, notAValue: notAValue,
                        canExperiment: !questionFollowsHiddenBlock))
            ]
        }
        record(exercise, grade.isRight ? .passed : .failed, attempt: true)
        let graded = event(
            .graded(try shown(exercise), typed: typed, grade, hintsLeft: exercise.hints.count > hintsShown))
        guard grade.isRight else { return [graded] }
        awaitingAnswer = false
        let next = nextCommandEvents()
        return [graded] + (next.isEmpty ? [event(.notice(.enterGoesOn))] : next)
    }

    /// Passed or revealed: the question is done, its answer no longer asked for.
    private func isAnswered(_ exercise: Exercise) -> Bool {
        let status = progress.exercises[exercise.id]?.status
        return status == .passed || status == .revealed
    }

    private func record(_ exercise: Exercise, _ status: ExerciseStatus, attempt: Bool) {
        var e = progress.exercises[exercise.id] ?? ExerciseProgress(status: status, attempts: 0)
        if attempt { e.attempts += 1 }
        if e.status != .passed { e.status = status }
        progress.exercises[exercise.id] = e
    }
}
