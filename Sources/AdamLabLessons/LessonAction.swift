// What a learner does in a lesson, and what a typed line turned out to be.

import AdamLabCore
import AdamLabSession

/// What a learner does in a lesson.
public enum LessonAction: Equatable, Sendable {
    case on, back, hint, skip, reveal, leave
    /// Back to the lesson after an experiment, or the current part again.
    case `continue`
    case answer(String)
}

/// What a typed line is, as the player decides it (the only place that does).
public enum TypedLine {
    /// Taken by the lesson: what happened.
    case lesson([LessonEvent])
    /// A command the REPL runs as an experiment (`events` first: the player says an experiment began).
    case experiment(Command, events: [LessonEvent])
    /// Not the lesson's: a value for a step waiting on predictions, `quit`, or `lesson NAME`.
    case notForLesson
}
