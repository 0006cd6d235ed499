// A lesson file as values: front matter, prose, command blocks, expected output and exercises.

import AdamLabCore
import AdamLabSession
import Foundation

/// The one error type of the lesson module: `file:line:column: error: message`.
public struct LessonError: Error, LocalizedError, Equatable, Sendable {
    public var message: String
    /// Where: a file, and its line and column when known; nil while the place is not yet known (an
    /// answer spec parsed on its own is placed when the lesson around it is).
    public var span: TextSpan?

    public init(_ message: String, at span: TextSpan? = nil) {
        self.message = message
        self.span = span
    }

    /// An error at `line` (1-based) of `file`, or in the file as a whole when the line is nil.
    public init(file: String, line: Int? = nil, column: Int = 1, _ message: String) {
        self.init(message, at: TextSpan(column: column, file: file, line: line))
    }

    /// `FILE:LINE:COLUMN: error: …`, or less where the place is not known (never a `:0:` location).
    public var errorDescription: String? {
        guard let location = span?.location else { return "error: \(message)" }
        return "\(location): error: \(message)"
    }

    /// The same error placed in `file` at `line`, unless it already has a place; a column it has is kept.
    public func located(file: String, line: Int?) -> LessonError {
        LessonError(message, at: (span ?? TextSpan(column: 1)).located(file: file, line: line))
    }
}

/// A `key: value` line of front matter or an exercise: the key lowercased, the value trimmed, and the
/// 1-based column where the value starts (for errors that point at it).
func keyValue(_ raw: Substring) -> (key: String, value: String, valueColumn: Int)? {
    guard let colon = raw.firstIndex(of: ":") else { return nil }
    let key = raw[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
    let after = raw[raw.index(after: colon)...]
    let leading = after.prefix { $0 == " " || $0 == "\t" }.count
    let column = raw.distance(from: raw.startIndex, to: colon) + 2 + leading
    return (key, after.trimmingCharacters(in: .whitespaces), column)
}

/// The info strings that make a fenced block part of the lesson (any other fence is just shown).
public enum BlockKind: String, CaseIterable, Sendable {
    case commands = "adamlab"
    case expected = "expected"
    case exercise = "exercise"
}

/// One exercise: a question, what answers it, and help.
public struct Exercise: Equatable, Sendable {
    public var id: String
    public let question: String
    public var answer: AnswerExpression
    public var answerText: String
    public var tolerance: Double?
    public let hints: [String]
    public let explanation: String
    public var line: Int

    /// The question, hints and explanation as inline markdown (`code`, $…$, {{…}}), parsed once, when
    /// the lesson loads.
    public let questionText: [Inline]
    public let hintTexts: [[Inline]]
    public let explanationText: [Inline]

    public init(
        id: String, question: String, answer: AnswerExpression, answerText: String, tolerance: Double?,
        hints: [String], explanation: String, line: Int
    ) {
        self.id = id
        self.question = question
        self.answer = answer
        self.answerText = answerText
        self.tolerance = tolerance
        self.hints = hints
        self.explanation = explanation
        self.line = line
        questionText = parseInlineText(question)
        hintTexts = hints.map(parseInlineText)
        explanationText = parseInlineText(explanation)
    }
}

/// A piece of a lesson, in reading order.
public enum LessonBlock: Equatable, Sendable {
    case prose([MarkdownBlock])
    /// Commands to run, one per line; `line` is the line of the first command. A `hidden` block
    /// ("```adamlab hidden") runs, but the learner sees only its commands: the question that follows
    /// asks for what it computed, and a later `show` reveals it.
    case commands([String], line: Int, hidden: Bool)
    /// The output the preceding commands must print, exactly; lines `fenceLine` and `endLine` are the
    /// fences. `tolerance` (from "```expected tolerance=1e-9") lets numbers differ by that relative amount.
    case expected(String, fenceLine: Int, endLine: Int, tolerance: Double?)
    case exercise(Exercise)
}

/// A parsed lesson.
public struct Lesson: Equatable, Sendable {
    public var path: String
    public var id: String
    public var title: String
    public var order: Int
    public var prerequisites: [String]
    public var minutes: Int
    public var blocks: [LessonBlock]

    /// Parts as a learner counts them: expected-output blocks are never shown, and prose that leads to
    /// a question is shown with it, as one part. `verify`, the lesson list and lesson mode all count so.
    public var partCount: Int { partNumber(atBlock: blocks.count - 1) }

    /// Whether the block at `index` is a part of its own (see `partCount`): where the player stops.
    public func isPart(_ index: Int) -> Bool {
        switch blocks[index] {
        case .expected: return false
        case .prose: return questionAfter(index) == nil
        default: return true
        }
    }

    /// Whether the block at `index` counts as a part for the learner: a hidden block is on screen with
    /// the question about it, so the two count as one.
    private func countsAsPart(_ index: Int) -> Bool {
        if case .commands(_, _, true) = blocks[index], questionAfter(index) != nil { return false }
        return isPart(index)
    }

    /// The index of the question right after the block at `index` (past its expected output), if one is.
    private func questionAfter(_ index: Int) -> Int? {
        var j = index + 1
        while j < blocks.count, case .expected = blocks[j] { j += 1 }
        if j < blocks.count, case .exercise = blocks[j] { return j }
        return nil
    }

    /// The 1-based part number of the block at `index`.
    public func partNumber(atBlock index: Int) -> Int {
        var end = index < 0 ? 0 : min(index, blocks.count - 1) + 1  // never index + 1: it may be Int.max
        // Prose that leads to a question, and a hidden block it asks about, are in the question's part.
        if end > 0, !countsAsPart(end - 1), let question = questionAfter(end - 1) { end = question + 1 }
        return (0..<max(0, end)).filter(countsAsPart).count
    }

    public var exercises: [Exercise] {
        blocks.compactMap { if case .exercise(let e) = $0 { return e } else { return nil } }
    }

    /// Parses lesson text (LF, CRLF or CR line endings); `path` is used in error messages.
    public init(text: String, path: String) throws {
        self.path = path
        let lines = splitLines(text)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw LessonError(
                file: path, line: 1,
                "a lesson starts with front matter: a line '---', then title:, id:, order:, then '---'")
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            throw LessonError(file: path, line: 1, "the front matter is not closed with a line '---'")
        }
        var fields: [String: (String, Int, column: Int)] = [:]
        for index in 1..<close {
            let raw = lines[index]
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let (key, value, valueColumn) = keyValue(raw[...]) else {
                throw LessonError(file: path, line: index + 1, "expected 'key: value' in the front matter")
            }
            let known = ["title", "id", "order", "prerequisites", "minutes"]
            guard known.contains(key) else {
                let hint = didYouMean(key, in: known).map { "did you mean '\($0)'? " } ?? ""
                throw LessonError(
                    file: path, line: index + 1,
                    "unknown front-matter key '\(key)'; \(hint)known: \(known.joined(separator: ", "))")
            }
            fields[key] = (value, index + 1, valueColumn)
        }
        func required(_ key: String) throws -> (String, Int, column: Int) {
            guard let f = fields[key], !f.0.isEmpty else {
                throw LessonError(file: path, line: 1, "the front matter needs '\(key):'")
            }
            return f
        }
        title = try required("title").0
        id = try required("id").0
        let (orderText, orderLine, orderColumn) = try required("order")
        guard let order = Int(orderText) else {
            throw LessonError(
                file: path, line: orderLine, column: orderColumn, "order must be a whole number, got '\(orderText)'")
        }
        self.order = order
        let minutesField = fields["minutes"] ?? ("10", 0, 1)
        guard let minutes = Int(minutesField.0) else {
            throw LessonError(
                file: path, line: minutesField.1, column: minutesField.column,
                "minutes must be a whole number, got '\(minutesField.0)'")
        }
        self.minutes = minutes
        prerequisites = (fields["prerequisites"]?.0 ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

        // Braces nest in the LaTeX of prose and exercises; far deeper than any formula is refused here,
        // where the line is known (the LaTeX conversion would only stop converting).
        for (k, line) in lines.enumerated() where k > close && latexNestingDepth(line) > latexDepthLimit {
            throw LessonError(file: path, line: k + 1, "braces nested more than \(latexDepthLimit) deep")
        }
        let body = lines[(close + 1)...].joined(separator: "\n")
        let (protected, math) = protectMath(body)
        let markdown: [MarkdownBlock]
        do { markdown = try parseMarkdown(protected, lineOffset: close + 1) } catch let e as LessonError {
            throw e.located(file: path, line: e.span?.line)
        }
        blocks = try Lesson.assemble(markdown.map { restoreMath($0, math) }, path: path)
        for block in blocks {
            switch block {
            case .prose(let prose):
                for (inlines, line) in LessonText.inlineRuns(prose) {
                    try Lesson.checkInterpolations(inlines, path: path, line: line)
                }
            case .exercise(let e):
                for inlines in [e.questionText, e.explanationText] + e.hintTexts {
                    try Lesson.checkInterpolations(inlines, path: path, line: e.line)
                }
            default:
                break
            }
        }
    }

    private static func assemble(_ markdown: [MarkdownBlock], path: String) throws -> [LessonBlock] {
        var blocks: [LessonBlock] = []
        var prose: [MarkdownBlock] = []
        var seenIDs: Set<String> = []
        var predicting = false
        func flush() {
            if !prose.isEmpty {
                blocks.append(.prose(prose))
                prose = []
            }
        }
        for block in markdown {
            guard case .code(let info, let literal, let line, let endLine) = block,
                let kind = BlockKind(rawValue: info.split(separator: " ").first.map(String.init)?.lowercased() ?? "")
            else {
                prose.append(block)
                continue
            }
            flush()
            switch kind {
            case .commands:
                // Every line is kept, blank ones too, so that line k of the block is line `line + 1 + k`.
                var all = literal.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if all.last == "" { all.removeLast() }
                let numbered = all.enumerated().filter { !$0.element.trimmingCharacters(in: .whitespaces).isEmpty }
                guard !numbered.isEmpty else { throw LessonError(file: path, line: line, "empty adamlab block") }
                // Parsed by the REPL's own parser, so a command that would fail to parse fails here, at load.
                // While `predict` is on, a value (or `skip`) answers the step before it.
                for (k, command) in numbered {
                    do {
                        if case .predict(let expressions) = try Command.parse(command) {
                            predicting = expressions != nil
                        }
                    } catch let e as SessionError {
                        let isAnswer =
                            predicting
                            && (command.trimmingCharacters(in: .whitespaces) == "skip"
                                || (try? parseTypedAnswer(command)) != nil)
                        if !isAnswer {
                            throw LessonError(
                                e.message, at: (e.span ?? TextSpan(column: 1)).located(file: path, line: line + 1 + k))
                        }
                    }
                }
                var hidden = false
                for word in info.split(separator: " ").dropFirst() {
                    guard word == "hidden" else {
                        throw LessonError(
                            file: path, line: line, "an adamlab block takes only the word hidden, got '\(word)'")
                    }
                    hidden = true
                }
                blocks.append(.commands(all, line: line + 1, hidden: hidden))
            case .expected:
                guard case .commands = blocks.last else {
                    throw LessonError(file: path, line: line, "an expected block must follow an adamlab block")
                }
                var tolerance: Double?
                for word in info.split(separator: " ").dropFirst() {
                    guard word.hasPrefix("tolerance="), let x = parseNumber(String(word.dropFirst(10))), x >= 0, x < 1
                    else {
                        throw LessonError(
                            file: path, line: line,
                            "an expected block takes only tolerance=R (a relative tolerance below 1), got '\(word)'")
                    }
                    tolerance = x
                }
                blocks.append(
                    .expected(
                        literal.hasSuffix("\n") ? String(literal.dropLast()) : literal, fenceLine: line,
                        endLine: endLine,
                        tolerance: tolerance))
            case .exercise:
                let exercise = try parseExercise(literal, line: line, path: path)
                guard seenIDs.insert(exercise.id).inserted else {
                    throw LessonError(
                        file: path, line: line + 1, "exercise id '\(exercise.id)' is used twice in this lesson")
                }
                blocks.append(.exercise(exercise))
            }
        }
        flush()
        return blocks
    }

    private static func parseExercise(_ literal: String, line fence: Int, path: String) throws -> Exercise {
        var fields: [(String, String, Int, column: Int)] = []
        for (k, raw) in literal.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = fence + 1 + k
            if raw.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if raw.hasPrefix("  "), !fields.isEmpty {
                fields[fields.count - 1].1 += " " + raw.trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let (key, value, valueColumn) = keyValue(raw) else {
                throw LessonError(
                    file: path, line: lineNumber,
                    "expected 'key: value' (question, answer, tolerance, hint, explanation, id)")
            }
            let keys = ["id", "question", "answer", "tolerance", "hint", "explanation"]
            guard keys.contains(key) else {
                let hint = didYouMean(key, in: keys).map { "did you mean '\($0)'? " } ?? ""
                throw LessonError(
                    file: path, line: lineNumber,
                    "unknown exercise key '\(key)'; \(hint)known: \(keys.joined(separator: ", "))")
            }
            fields.append((key, value, lineNumber, valueColumn))
        }
        func one(_ key: String) throws -> (String, Int, column: Int) {
            let found = fields.filter { $0.0 == key }
            guard let first = found.first, !first.1.isEmpty else {
                throw LessonError(file: path, line: fence, "the exercise needs '\(key):'")
            }
            if found.count > 1 { throw LessonError(file: path, line: found[1].2, "'\(key):' appears twice") }
            return (first.1, first.2, first.column)
        }
        let id = try one("id").0
        let question = try one("question").0
        let (answerText, answerLine, answerColumn) = try one("answer")
        let answer: AnswerExpression
        do { answer = try AnswerExpression(answerText) } catch let e as SessionError {
            let span = (e.span ?? TextSpan(column: 1)).shifted(by: answerColumn - 1)
            throw LessonError(e.message, at: span.located(file: path, line: answerLine))
        }
        var tolerance: Double?
        if let t = fields.first(where: { $0.0 == "tolerance" }) {
            guard let x = parseNumber(t.1), x >= 0 else {
                throw LessonError(
                    file: path, line: t.2, column: t.column, "tolerance must be a non-negative number, got '\(t.1)'")
            }
            tolerance = x
        }
        let hints = fields.filter { $0.0 == "hint" }
        if hints.count > 3 { throw LessonError(file: path, line: hints[3].2, "at most three hints") }
        let explanation = fields.first(where: { $0.0 == "explanation" })?.1 ?? ""
        return Exercise(
            id: id, question: question, answer: answer, answerText: answerText, tolerance: tolerance,
            hints: hints.map(\.1), explanation: explanation, line: fence)
    }
}
