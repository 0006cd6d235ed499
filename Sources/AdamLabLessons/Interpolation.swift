// `{{EXPR}}` in a lesson's prose, questions and explanations: a value the engine computes at that
// point of the lesson, so no number a lesson states can drift from what the engine does. The value
// stays a number here; a renderer formats it.

import AdamLabCore
import AdamLabSession
import Foundation

extension Lesson {
    /// Every `{{…}}` must be an expression the answer language knows: checked when the lesson loads.
    static func checkInterpolations(_ inlines: [Inline], path: String, line: Int) throws {
        for expression in LessonText.interpolations(inlines) {
            do { _ = try AnswerExpression(expression) } catch let e as SessionError {
                throw LessonError(file: path, line: line, "{{\(expression)}}: \(e.message)")
            }
        }
    }
}

public enum LessonText {
    /// `inlines` with each `{{EXPR}}` replaced by its value in `session` now.
    public static func interpolate(_ inlines: [Inline], session: Session) throws -> [Inline] {
        try inlines.map { piece in
            switch piece {
            case .interpolation(let expression):
                do { return .value(try session.evaluate(try AnswerExpression(expression)).expected) } catch let e
                    as SessionError
                {
                    throw LessonError("{{\(expression)}} cannot be computed here: \(e.message)")
                }
            case .emphasis(let c): return .emphasis(try interpolate(c, session: session))
            case .strong(let c): return .strong(try interpolate(c, session: session))
            case .link(let c, let url): return .link(try interpolate(c, session: session), url: url)
            default: return piece
            }
        }
    }

    /// The blocks with every `{{…}}` interpolated; an error names the lesson's line.
    public static func interpolate(_ blocks: [MarkdownBlock], session: Session, path: String) throws
        -> [MarkdownBlock]
    {
        func block(_ b: MarkdownBlock) throws -> MarkdownBlock {
            switch b {
            case .heading(let level, let c, let line):
                return .heading(level: level, try interpolate(c, session: session), line: line)
            case .paragraph(let c, let line): return .paragraph(try interpolate(c, session: session), line: line)
            case .list(let ordered, let items, let line):
                return .list(ordered: ordered, items: try items.map { try $0.map(block) }, line: line)
            case .quote(let c, let line): return .quote(try c.map(block), line: line)
            default: return b
            }
        }
        return try blocks.map { b in
            do { return try block(b) } catch let e as LessonError { throw e.located(file: path, line: b.line) }
        }
    }

    /// The expressions of every `{{…}}` in `inlines`, in order.
    static func interpolations(_ inlines: [Inline]) -> [String] {
        inlines.flatMap { piece -> [String] in
            switch piece {
            case .interpolation(let e): return [e]
            case .emphasis(let c), .strong(let c), .link(let c, _): return interpolations(c)
            default: return []
            }
        }
    }

    /// Every run of inline content in `blocks` with its line, for checking their `{{…}}` at load.
    static func inlineRuns(_ blocks: [MarkdownBlock]) -> [([Inline], Int)] {
        blocks.flatMap { b -> [([Inline], Int)] in
            switch b {
            case .heading(_, let c, let line), .paragraph(let c, let line): return [(c, line)]
            case .list(_, let items, _): return inlineRuns(items.flatMap { $0 })
            case .quote(let c, _): return inlineRuns(c)
            default: return []
            }
        }
    }
}
