// Finding lessons, playing one through, and verifying that every lesson still matches the engine.

import AdamLabCore
import AdamLabSession
import Foundation

/// The lessons in a directory, in their `order`.
public struct LessonLibrary: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$ADAMLAB_LESSONS`, else `./lessons`, else a `lessons` folder above the executable (a source checkout).
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String = CommandLine.arguments.first ?? ""
    ) -> LessonLibrary? {
        let fm = FileManager.default
        if let dir = environment["ADAMLAB_LESSONS"], !dir.isEmpty { return LessonLibrary(directory: dir) }
        if fm.fileExists(atPath: "lessons/README.md") { return LessonLibrary(directory: "lessons") }
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("lessons")
            if fm.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return LessonLibrary(directory: candidate.path)
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The lesson files (every `.md` but README.md), sorted by name.
    public func files() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted().map { directory + "/" + $0 }
    }

    public func lessons() throws -> [Lesson] {
        try files().map { try Lesson(text: TextFile.read($0), path: $0) }
            .sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    /// A lesson by id, file name (with or without `.md`), or order number.
    public func find(_ name: String) throws -> Lesson {
        let all = try lessons()
        let key = name.lowercased()
        if let lesson = all.first(where: {
            $0.id.lowercased() == key || ($0.path as NSString).lastPathComponent.lowercased() == key
                || ($0.path as NSString).lastPathComponent.lowercased() == key + ".md" || "\($0.order)" == key
        }) {
            return lesson
        }
        let ids = all.map(\.id)
        let hint = didYouMean(key, in: ids).map { "did you mean '\($0)'? " } ?? ""
        throw LessonError(file: directory, "no lesson '\(name)'; \(hint)lessons: \(ids.joined(separator: ", "))")
    }
}

/// Plays lessons through and checks them.
public enum LessonPlayer {
    /// Runs one command block (line k of it is line `firstLine + k` of the lesson) and gives back each
    /// command with its values; a command that fails is an error at its own line.
    public static func run(_ commands: [String], session: Session, path: String, firstLine: Int) throws -> [(
        command: String, outputs: [Output]
    )] {
        var out: [(String, [Output])] = []
        for (k, command) in commands.enumerated() {
            // A blank line in a block is spacing, not Enter.
            if Command.isInert(command) || Command.isEnter(command) { continue }
            do { out.append((command, try session.collect(command))) } catch {
                let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                throw LessonError(file: path, line: firstLine + k, "command failed: \(message)")
            }
        }
        return out
    }

    /// What one command block printed: each command echoed as `› command`, then its values as `render` words them.
    public static func runBlock(
        _ commands: [String], session: Session, render: (Output) -> String, path: String, firstLine: Int
    ) throws -> String {
        try run(commands, session: session, path: path, firstLine: firstLine).flatMap { command, outputs in
            let text = outputs.map(render).joined(separator: "\n")
            return [render(.echo(command))] + (text.isEmpty ? [] : [text])
        }.joined(separator: "\n")
    }

    /// A block as the learner sees it: what it printed, or for a hidden block only its commands and
    /// `hiddenNote`. `render` sees every value either way, so a `precision N` in a hidden block holds.
    public static func shownBlock(
        _ commands: [String], hidden: Bool, session: Session, render: (Output) -> String, path: String,
        firstLine: Int, note: (String) -> String = { $0 }
    ) throws -> String {
        let printed = try runBlock(commands, session: session, render: render, path: path, firstLine: firstLine)
        guard hidden else { return printed }
        return
            (commands.filter { !Command.isInert($0) && !Command.isEnter($0) }.map { render(.echo($0)) }
            + [note(LessonPlayer.hiddenNote)]).joined(separator: "\n")
    }

    public static let hiddenNote = "(output hidden: answer the question first)"

    /// Runs every block; returns one message per problem (empty when the lesson is sound).
    /// With `fix`, expected blocks that differ are rewritten in `fixedText` from the actual output.
    public static func verify(_ lesson: Lesson, text: String, session host: Session, render: (Output) -> String) -> (
        problems: [String], fixedText: String
    ) {
        var problems: [String] = []
        var lines = text.components(separatedBy: "\n")
        var replacements: [(Int, Int, [String])] = []
        var lastOutput = ""
        for block in lesson.blocks {
            switch block {
            case .prose(let blocks):
                // Every `{{…}}` must compute at its place in the lesson.
                do { _ = try LessonText.interpolate(blocks, session: host, path: lesson.path) } catch {
                    problems.append((error as? LocalizedError)?.errorDescription ?? "\(error)")
                }
            case .commands(let commands, let line, _):
                do {
                    lastOutput = try runBlock(
                        commands, session: host, render: render, path: lesson.path, firstLine: line)
                } catch {
                    problems.append((error as? LocalizedError)?.errorDescription ?? "\(error)")
                    return (problems, text)
                }
            case .expected(let expected, let fenceLine, let endLine, let tolerance):
                if !outputsMatch(expected: expected, actual: lastOutput, tolerance: tolerance) {
                    problems.append(
                        "\(lesson.path):\(fenceLine + 1): error: the output differs from the expected block\n"
                            + unifiedDiff(
                                expected: expected, actual: lastOutput, label: "\(lesson.path):\(fenceLine + 1)"))
                    replacements.append((fenceLine, endLine, lastOutput.components(separatedBy: "\n")))
                }
            case .exercise(let exercise):
                do { _ = try host.evaluate(exercise.answer) } catch {
                    let message = (error as? SessionError)?.message ?? "\(error)"
                    problems.append(
                        "\(lesson.path):\(exercise.line): error: exercise '\(exercise.id)' cannot be answered here: \(message)"
                    )
                }
                for text in [exercise.question, exercise.explanation] + exercise.hints {
                    do { _ = try LessonText.interpolate(text, session: host) } catch {
                        let e = (error as? LessonError) ?? LessonError("\(error)")
                        problems.append(e.located(file: lesson.path, line: exercise.line).errorDescription ?? e.message)
                    }
                }
            }
        }
        for (fence, end, newLines) in replacements.reversed() {
            // Lines are 1-based: keep the opening fence (fence) and the closing one (end).
            lines.replaceSubrange(fence..<(end - 1), with: newLines)
        }
        return (problems, lines.joined(separator: "\n"))
    }

    /// The output must be the expected text exactly (trailing spaces aside: editors strip them). The
    /// engine is deterministic, so a changed digit is a changed result. With `tolerance` (a relative
    /// amount the lesson marks on its expected block) numbers may differ by that much, text may not.
    public static func outputsMatch(expected: String, actual: String, tolerance: Double? = nil) -> Bool {
        let e = expected.components(separatedBy: "\n").map(trimmingTrailingSpaces)
        let a = actual.components(separatedBy: "\n").map(trimmingTrailingSpaces)
        guard e.count == a.count else { return false }
        for (x, y) in zip(e, a) where x != y {
            guard let tolerance else { return false }
            let (xt, xn) = splitNumbers(x), (yt, yn) = splitNumbers(y)
            guard xt == yt, xn.count == yn.count else { return false }
            for (p, q) in zip(xn, yn) {
                guard let printed = Double(p), let value = Double(q) else { return false }
                if abs(printed - value) > tolerance * Swift.max(abs(printed), abs(value)) { return false }
            }
        }
        return true
    }

    /// Splits a line into its text (numbers replaced by a marker) and its numbers.
    static func splitNumbers(_ line: String) -> (String, [String]) {
        let pattern = try! NSRegularExpression(pattern: "(?<![A-Za-z_\\d.])-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?")
        let ns = line as NSString
        var text = ""
        var numbers: [String] = []
        var last = 0
        for m in pattern.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
            text += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + "#"
            numbers.append(ns.substring(with: m.range))
            last = m.range.location + m.range.length
        }
        text += ns.substring(from: last)
        return (text, numbers)
    }

    static func trimmingTrailingSpaces(_ line: String) -> String {
        var s = Substring(line)
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }

    /// A unified diff of two texts (one hunk covering both).
    public static func unifiedDiff(expected: String, actual: String, label: String) -> String {
        let a = expected.components(separatedBy: "\n"), b = actual.components(separatedBy: "\n")
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var out = ["--- expected (\(label))", "+++ actual", "@@ -1,\(a.count) +1,\(b.count) @@"]
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                out.append(" " + a[i])
                i += 1
                j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                out.append("-" + a[i])
                i += 1
            } else {
                out.append("+" + b[j])
                j += 1
            }
        }
        return out.joined(separator: "\n")
    }

    /// The result of playing a lesson.
    public struct Transcript: Sendable {
        public var text: String
        public var right: Int
        public var total: Int
    }

    /// Plays the whole lesson: prose, commands with their output, and each exercise answered by the
    /// reference or, with `answers`, by the learner (graded, wrong answers diagnosed).
    public static func play(
        _ lesson: Lesson, session host: Session, render: (Output) -> String, answers: [String: String]?,
        prose: ([MarkdownBlock]) -> String, words: (Grade) -> String,
        format: (Double) -> String
    ) throws -> Transcript {
        var out: [String] = ["\(lesson.title)  (\(lesson.id), about \(lesson.minutes) minutes)", ""]
        var right = 0
        for block in lesson.blocks {
            switch block {
            case .prose(let blocks):
                out.append(prose(try LessonText.interpolate(blocks, session: host, path: lesson.path, format: format)))
                out.append("")
            case .commands(let commands, let line, let hidden):
                out.append(
                    try shownBlock(
                        commands, hidden: hidden, session: host, render: render, path: lesson.path, firstLine: line))
                out.append("")
            case .expected:
                break
            case .exercise(let exercise):
                func shown(_ text: String) throws -> String {
                    do {
                        return renderMathSpans(try LessonText.interpolate(text, session: host, format: format))
                    } catch let e
                        as LessonError
                    {
                        throw e.located(file: lesson.path, line: exercise.line)
                    }
                }
                out.append("Exercise \(exercise.id): \(try shown(exercise.question))")
                let expected: [Double]
                do { expected = try host.evaluate(exercise.answer).expected } catch let e as SessionError {
                    throw LessonError(
                        file: lesson.path, line: exercise.line,
                        "exercise '\(exercise.id)' cannot be answered here: \(e.message)")
                }
                let reference = expected.map(format).joined(separator: ",")
                if let answers {
                    guard let answer = answers[exercise.id] else {
                        out.append("  no answer given (the answer is \(reference))")
                        out.append("")
                        continue
                    }
                    do {
                        let grade = try exercise.grade(answer, host: host)
                        if grade.isRight { right += 1 }
                        out.append("  answered \(answer): \(words(grade).replacingOccurrences(of: "\n", with: "\n  "))")
                        if !grade.isRight { out.append("  the answer is \(reference)") }
                    } catch {
                        out.append("  answered \(answer): \((error as? LessonError)?.message ?? "\(error)")")
                    }
                } else {
                    right += 1
                    out.append("  answer: \(reference)")
                    if !exercise.explanation.isEmpty { out.append("  " + (try shown(exercise.explanation))) }
                }
                out.append("")
            }
        }
        let total = lesson.exercises.count
        out.append("score: \(right)/\(total)")
        return Transcript(text: out.joined(separator: "\n"), right: right, total: total)
    }

    /// Reads an answers file: `exercise-id: value` per line, `#` comments. An id given twice is an error.
    public static func parseAnswers(_ text: String, path: String) throws -> [String: String] {
        try parseAnswerLines(text, path: path).mapValues(\.answer)
    }

    /// The answers with the line each is on; the first bad line is an error.
    public static func parseAnswerLines(_ text: String, path: String) throws -> [String: (answer: String, line: Int)] {
        let (answers, problems) = readAnswerLines(text, path: path)
        if let first = problems.first { throw first }
        return answers
    }

    /// The answers with the line each is on, and every bad line as an error of its own (a line without
    /// `id:`, an id answered twice: the first answer is kept). An empty answer is no answer.
    public static func readAnswerLines(_ text: String, path: String) -> (
        answers: [String: (answer: String, line: Int)], problems: [LessonError]
    ) {
        var answers: [String: (answer: String, line: Int)] = [:]
        var problems: [LessonError] = []
        for (k, raw) in splitLines(text).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                problems.append(LessonError(file: path, line: k + 1, "expected 'exercise-id: answer'"))
                continue
            }
            let id = line[..<colon].trimmingCharacters(in: .whitespaces)
            if let earlier = answers[id] {
                problems.append(
                    LessonError(file: path, line: k + 1, "'\(id)' is answered twice (first on line \(earlier.line))"))
                continue
            }
            let answer = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if answer.isEmpty { continue }
            answers[id] = (answer, k + 1)
        }
        return (answers, problems)
    }

    /// Answers whose id matches no exercise of `lesson`: each an error naming its line and the ids there are.
    public static func unknownAnswers(_ answers: [String: (answer: String, line: Int)], lesson: Lesson, path: String)
        -> [LessonError]
    {
        let ids = lesson.exercises.map(\.id)
        return answers.filter { !ids.contains($0.key) }.sorted { $0.value.line < $1.value.line }.map { id, entry in
            let hint = didYouMean(id, in: ids).map { "did you mean '\($0)'? " } ?? ""
            return LessonError(
                file: path, line: entry.line,
                "no exercise '\(id)' in \(lesson.id); \(hint)its exercises: \(ids.joined(separator: ", "))")
        }
    }
}
