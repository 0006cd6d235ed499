// What the lesson player gives back: values that say what happened, for a renderer to put in words.

import AdamLabCore
import AdamLabSession

/// One thing that happened in a lesson, with the significant digits in effect for its numbers.
public struct LessonEvent {
    public var kind: Kind
    /// `precision N` in effect (nil: the renderer's own); for a command block, in effect before it ran.
    public var digits: Int?

    public init(_ kind: Kind, digits: Int?) {
        self.kind = kind
        self.digits = digits
    }

    public enum Kind {
        /// The lesson opened at its start: its size, and prerequisites not finished yet.
        case opened(parts: Int, minutes: Int, unfinished: [String], finishedBefore: Bool = false)
        /// The lesson opened where the learner left it; `lastShown` is the last output its commands showed.
        case resumed(part: Int, of: Int, lastShown: Output?)
        /// Prose, its `{{…}}` computed.
        case prose([MarkdownBlock])
        case commands(ShownCommands)
        /// A question; `answered` when the learner has passed it or had it revealed already.
        case question(ShownExercise, answered: Bool)
        case graded(ShownExercise, typed: String, Grade, hintsLeft: Bool)
        /// A typed answer that is not a value of the right shape (`notAValue`: not a number at all;
        /// `canExperiment`: a command would run, the question's answer not being hidden).
        case ungradable(ShownExercise, typed: String, problem: String, notAValue: Bool, canExperiment: Bool)
        case hint(number: Int, of: Int, [Inline])
        /// The reference answer and the explanation, and why it is shown.
        case answer(ShownExercise, values: [Double], reason: AnswerReason)
        /// The next part is a command block: what to type to go on.
        case nextCommands([String])
        case notice(LessonNotice)
        /// Something in the lesson that cannot be computed here (a lenient walk goes on past it).
        case problem(LessonError)
        case left(part: Int)
        case finished(LessonOutcome)
    }
}

/// A command block as the learner sees it.
public struct ShownCommands {
    /// The commands, blank lines and comments left out, each with what it gave.
    public var ran: [(command: String, outputs: [Output])]
    public var hidden: Bool
    /// The block ran before (the learner went back, or left and came back): shown, not run again.
    public var again: Bool
    /// Going back to it: only its commands are shown.
    public var brief: Bool
    /// Where the block is in the lesson (its index), so a verifier can find the expected output after it.
    public var index: Int
}

/// An exercise as shown: its texts with their `{{…}}` computed where it stands.
public struct ShownExercise {
    public var id: String
    public var question: [Inline]
    public var explanation: [Inline]
    public var hints: [[Inline]]

    public init(id: String, question: [Inline], explanation: [Inline], hints: [[Inline]]) {
        self.id = id
        self.question = question
        self.explanation = explanation
        self.hints = hints
    }
}

public enum AnswerReason: Equatable, Sendable {
    /// Played without a learner: the reference answers.
    case reference
    /// Played with a learner's answers, and none given for this one.
    case unanswered
    /// After a wrong answer in a played transcript.
    case afterWrong
    case skipped
    case revealed
}

/// What the player says of its own accord.
public enum LessonNotice: Equatable, Sendable {
    case firstPart
    case noExercise
    case noMoreHints
    /// Enter at a question: it waits for an answer.
    case answerExpected
    /// A value typed where no question waits (`answered`: the question here is done).
    case noQuestionWaiting(answered: Bool)
    /// A command that would show what the question asks for, while it is unanswered.
    case hiddenUntilAnswered
    case experimenting
    case backInLesson
    /// After a right answer, when the next part is not a command to type.
    case enterGoesOn
    /// `help` in a lesson: the lesson's own words first, then where the commands' help is.
    case lessonWords
}

/// How a lesson ended.
public struct LessonOutcome: Equatable, Sendable {
    public var passed: Int
    public var total: Int
    public var skipped: Int
    public var revealed: Int

    public init(passed: Int, total: Int, skipped: Int, revealed: Int) {
        self.passed = passed
        self.total = total
        self.skipped = skipped
        self.revealed = revealed
    }
}
