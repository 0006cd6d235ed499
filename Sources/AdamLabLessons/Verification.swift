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
