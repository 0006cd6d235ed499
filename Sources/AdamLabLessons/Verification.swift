// `verify`: a lesson walked as a learner would take it, every command block's output held to the
// expected block after it, everything that cannot be computed reported with its place.

import AdamLabCore
import AdamLabSession
import Foundation

extension LessonPlayer {
    /// Walks the lesson; returns one message per problem (empty when the lesson is sound). Expected
    /// blocks that differ are rewritten in `fixedText` from the actual output (`render` words a value
    /// as the terminal does). A command that fails ends the walk, and nothing is rewritten then.
    public static func verify(_ lesson: Lesson, text: String, session: Session, render: @escaping (Output) -> String)
        -> (problems: [String], fixedText: String)
    {
        var problems: [String] = []
        var lines = text.components(separatedBy: "\n")
        var replacements: [(Int, Int, [String])] = []
        do {
            try walk(lesson, session: session, lenient: true, answer: { _ in .reference }) { event in
                switch event.kind {
                case .problem(let e): problems.append(e.errorDescription ?? e.message)
                case .commands(let shown):
                    guard shown.index + 1 < lesson.blocks.count,
                        case .expected(let expected, let fenceLine, let endLine, let tolerance) = lesson.blocks[
                            shown.index + 1]
                    else { return }
                    let actual = printed(shown, render: render)
                    if !outputsMatch(expected: expected, actual: actual, tolerance: tolerance) {
                        problems.append(
                            "\(lesson.path):\(fenceLine + 1): error: the output differs from the expected block\n"
                                + unifiedDiff(
                                    expected: expected, actual: actual, label: "\(lesson.path):\(fenceLine + 1)"))
                        replacements.append((fenceLine, endLine, actual.components(separatedBy: "\n")))
                    }
                case .answer(let shown, let values, _):
                    guard let exercise = lesson.exercises.first(where: { $0.id == shown.id }) else { return }
                    if let problem = unstatedTolerance(exercise, reference: values, path: lesson.path) {
                        problems.append(problem)
                    }
                default: break
                }
            }
        } catch {
            problems.append((error as? LocalizedError)?.errorDescription ?? "\(error)")
            return (problems, text)
        }
        for (fence, end, newLines) in replacements.reversed() {
            // Lines are 1-based: keep the opening fence (fence) and the closing one (end).
            lines.replaceSubrange(fence..<(end - 1), with: newLines)
        }
        return (problems, lines.joined(separator: "\n"))
    }

    /// An exercise whose `tolerance:` is tighter than three significant digits of its answer must say in its
    /// question how exact the answer must be, or a learner's right three digits fail without a reason.
    static func unstatedTolerance(_ exercise: Exercise, reference: [Double], path: String) -> String? {
        guard let tolerance = exercise.tolerance,
            reference.contains(where: { tolerance < CheckResult.relativeFloor * abs($0) })
        else { return nil }
        let question = exercise.question.lowercased()
        let says = ["significant digit", "decimal place", "exactly", "±", "to within"].contains {
            question.contains($0)
        }
        guard !says else { return nil }
        let digits = reference.map { significantDigits(for: $0, within: tolerance) }.max() ?? 3
        return
            "\(path):\(exercise.line): error: exercise '\(exercise.id)' asks for its answer to ±\(tolerance), more than three significant digits, and its question does not say so; add 'to \(digits) significant digits'"
    }

    /// The fewest significant digits of `value` whose rounding error is within `tolerance`.
    static func significantDigits(for value: Double, within tolerance: Double) -> Int {
        guard value != 0, tolerance > 0 else { return 3 }
        let exponent = Int(Foundation.floor(Foundation.log10(abs(value))))
        var digits = 1
        while digits < 17 && 0.5 * Foundation.pow(10, Double(exponent - digits + 1)) > tolerance { digits += 1 }
        return digits
    }

    /// What a command block printed: each command echoed as `› command`, then its values as `render`
    /// words them (the text an expected block holds).
    public static func printed(_ shown: ShownCommands, render: (Output) -> String) -> String {
        shown.ran.flatMap { command, outputs in
            let text = outputs.map(render).joined(separator: "\n")
            return [render(.echo(command))] + (text.isEmpty ? [] : [text])
        }.joined(separator: "\n")
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
}
