// `{{EXPR}}` in a lesson's prose, questions and explanations: a value the engine computes at that
// point of the lesson, so no number a lesson states can drift from what the engine does.

import AdamLabCore
import AdamLabSession
import Foundation

/// The `{{…}}` spans of `text`: each one's expression text, in order.
func interpolationSpans(_ text: String) -> [(range: Range<String.Index>, expression: String)] {
    var out: [(Range<String.Index>, String)] = []
    var rest = text[...]
    while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
        out.append((open.lowerBound..<close.upperBound, String(rest[open.upperBound..<close.lowerBound])))
        rest = rest[close.upperBound...]
    }
    return out
}

/// Six significant digits, as the REPL's tables show them: what a lesson's `{{…}}` reads as when no
/// renderer says otherwise.
public func lessonNumber(_ x: Double) -> String { significantDigits(x) }

extension Lesson {
    /// Every `{{…}}` must be an expression the answer language knows: checked when the lesson loads.
    static func checkInterpolations(_ text: String, path: String, line: Int) throws {
        for span in interpolationSpans(text) {
            do { _ = try AnswerExpression(span.expression) } catch let e as SessionError {
                throw LessonError(file: path, line: line, "{{\(span.expression)}}: \(e.message)")
            }
        }
    }
}

public enum LessonText {
    /// `text` with each `{{EXPR}}` replaced by its value in `session` now (a vector as (a, b)).
    public static func interpolate(
        _ text: String, session: Session, format: (Double) -> String = lessonNumber
    ) throws -> String {
        let spans = interpolationSpans(text)
        guard !spans.isEmpty else { return text }
        var out = ""
        var last = text.startIndex
        for span in spans {
            out += text[last..<span.range.lowerBound]
            let values: [Double]
            do { values = try session.evaluate(try AnswerExpression(span.expression)).expected } catch let e
                as SessionError
            {
                throw LessonError("{{\(span.expression)}} cannot be computed here: \(e.message)")
            }
            // In running text a minus is typeset as one (the tables keep the ASCII hyphen a learner types).
            let shown = values.map { x -> String in
                let t = format(x)
                return t.hasPrefix("-") ? "\u{2212}" + t.dropFirst() : t
            }
            out += shown.count == 1 ? shown[0] : "(" + shown.joined(separator: ", ") + ")"
            last = span.range.upperBound
        }
        return out + text[last...]
    }

    /// The blocks with every `{{…}}` in their text interpolated; an error names the lesson's line.
    public static func interpolate(
        _ blocks: [MarkdownBlock], session: Session, path: String, format: (Double) -> String = lessonNumber
    ) throws -> [MarkdownBlock] {
        func inline(_ i: Inline) throws -> Inline {
            switch i {
            case .text(let s): return .text(try interpolate(s, session: session, format: format))
            case .emphasis(let c): return .emphasis(try c.map(inline))
            case .strong(let c): return .strong(try c.map(inline))
            case .link(let c, let url): return .link(try c.map(inline), url: url)
            default: return i
            }
        }
        func block(_ b: MarkdownBlock) throws -> MarkdownBlock {
            switch b {
            case .heading(let level, let c, let line): return .heading(level: level, try c.map(inline), line: line)
            case .paragraph(let c, let line): return .paragraph(try c.map(inline), line: line)
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

    /// Every piece of text in `blocks`, for checking their `{{…}}` when the lesson loads.
    static func texts(_ blocks: [MarkdownBlock]) -> [(String, Int)] {
        func inline(_ i: Inline) -> [String] {
            switch i {
            case .text(let s): return [s]
            case .emphasis(let c), .strong(let c), .link(let c, _): return c.flatMap(inline)
            default: return []
            }
        }
        return blocks.flatMap { b -> [(String, Int)] in
            switch b {
            case .heading(_, let c, let line), .paragraph(let c, let line): return c.flatMap(inline).map { ($0, line) }
            case .list(_, let items, _): return texts(items.flatMap { $0 })
            case .quote(let c, _): return texts(c)
            default: return []
            }
        }
    }
}

/// A question, hint or explanation as shown: `{{…}}` computed in `session`, `$…$` in Unicode. A
/// value that cannot be computed here is left as written (`verify` reports it).
public func lessonText(_ text: String, session: Session, format: (Double) -> String = lessonNumber) -> String {
    renderMathSpans((try? LessonText.interpolate(text, session: session, format: format)) ?? text)
}
