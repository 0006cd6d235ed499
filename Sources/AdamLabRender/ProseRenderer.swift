// Lesson prose as terminal text: headings, emphasis, code, lists, wrapped to the width.

import AdamLabCore
import AdamLabLessons
import Foundation

/// How prose is drawn: with ANSI styles on a colour terminal, plain otherwise.
public struct ProseStyle: Sendable {
    public var color: Bool
    public var width: Int
    /// Significant digits of the values a lesson's `{{…}}` computed.
    public var digits: Int

    public init(color: Bool = false, width: Int = 88, digits: Int = 6) {
        self.color = color
        self.width = width
        self.digits = digits
    }
}

/// Renders markdown blocks as lines of terminal text.
public func renderProse(_ blocks: [MarkdownBlock], style: ProseStyle = ProseStyle()) -> String {
    blocks.map { render($0, style: style, indent: "") }.joined(separator: "\n\n")
}

private func render(_ block: MarkdownBlock, style: ProseStyle, indent: String) -> String {
    switch block {
    case .heading(let level, let inlines, _):
        // A long heading folds like prose, and its rule is as long as its longest line.
        let text = wrap(renderInlines(inlines, style: style), width: style.width, indent: "")
        if style.color { return "\u{1B}[1m" + (level == 1 ? "\u{1B}[4m" : "") + text + "\u{1B}[0m" }
        let width = text.components(separatedBy: "\n").map(\.count).max() ?? 0
        return level == 1
            ? text + "\n" + String(repeating: "═", count: width)
            : level == 2 ? text + "\n" + String(repeating: "─", count: width) : text
    case .paragraph(let inlines, _):
        return wrap(renderInlines(inlines, style: style), width: style.width, indent: indent)
    case .list(let ordered, let items, _):
        return items.enumerated().map { k, item in
            // Continuation lines start where the item's text does, under its first word.
            let prefix = indent + "  " + (ordered ? "\(k + 1). " : "• ")
            let hanging = String(repeating: " ", count: cells(prefix))
            let body = item.map { render($0, style: style, indent: hanging) }.joined(separator: "\n")
            let trimmed = body.hasPrefix(hanging) ? String(body.dropFirst(hanging.count)) : body
            return prefix + trimmed
        }.joined(separator: "\n")
    case .quote(let blocks, _):
        return blocks.map { render($0, style: style, indent: indent) }.joined(separator: "\n\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map { "│ " + $0 }.joined(separator: "\n")
    case .code(_, let literal, _, _):
        let body = literal.hasSuffix("\n") ? String(literal.dropLast()) : literal
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "    " + $0 }.joined(
            separator: "\n")
    case .thematicBreak:
        return String(repeating: "─", count: 40)
    case .html(let text, _):
        return text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<!--") ? "" : text
    }
}

/// Inline text as the terminal shows it: mathematics in Unicode, computed values at `style.digits`.
func renderInlines(_ inlines: [Inline], style: ProseStyle) -> String {
    inlines.map { inline -> String in
        switch inline {
        case .text(let s): return s
        case .code(let s): return style.color ? "\u{1B}[36m\(s)\u{1B}[0m" : "`\(s)`"
        case .emphasis(let c):
            return style.color ? "\u{1B}[3m\(renderInlines(c, style: style))\u{1B}[0m" : renderInlines(c, style: style)
        case .strong(let c):
            return style.color ? "\u{1B}[1m\(renderInlines(c, style: style))\u{1B}[0m" : renderInlines(c, style: style)
        case .link(let c, let url): return renderInlines(c, style: style) + " (\(url))"
        case .softBreak: return " "
        case .lineBreak: return "\n"
        case .math(let latex): return latexToUnicode(latex)
        case .interpolation(let expression): return "{{" + expression + "}}"
        case .value(let values): return valueText(values, digits: style.digits)
        }
    }.joined()
}

/// A value a lesson computed, as running text: a minus typeset as one (the tables keep the ASCII hyphen
/// a learner types), a vector as (a, b).
func valueText(_ values: [Double], digits: Int) -> String {
    let shown = values.map { x -> String in
        let t = significantDigits(x, digits)
        return t.hasPrefix("-") ? "\u{2212}" + t.dropFirst() : t
    }
    return shown.count == 1 ? shown[0] : "(" + shown.joined(separator: ", ") + ")"
}

/// Wraps at word boundaries to `width` columns (escape sequences and combining marks take no room), and
/// never inside a coordinate pair: `(3, 4)` stays on one line. Spaces between words are kept as typed
/// (a table-like `a  [b]` keeps its two), except where a line folds. Each line starts with `indent`, or,
/// after the first of a paragraph, with `continuation` where one is given.
public func wrap(_ text: String, width: Int, indent: String, continuation: String? = nil) -> String {
    var lines: [String] = []
    for paragraphLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var lead = indent
        var current = indent
        var currentWidth = cells(indent)
        var empty = true  // nothing on this line yet but its lead
        for (word, gap) in spacedWords(paragraphLine) {
            let w = cells(word)
            if !empty && currentWidth + gap + w > width {
                lines.append(current)
                lead = continuation ?? indent
                current = lead
                currentWidth = cells(lead)
            } else if gap > 0 {
                current += String(repeating: " ", count: gap)
                currentWidth += gap
            }
            current += word
            currentWidth += w
            empty = false
        }
        lines.append(current)
    }
    return lines.joined(separator: "\n")
}

/// The words of a line with the spaces before each; a parenthesised list of numbers (`(3,` `4)`) and a
/// short command in backticks (`lesson momentum`) are one word each, up to 40 columns (a longer one
/// may fold between its words).
private func spacedWords(_ line: Substring) -> [(word: String, gap: Int)] {
    var words: [(word: String, gap: Int)] = []
    var gap = 0
    var word = ""
    func flush() {
        guard !word.isEmpty else { return }
        if let last = words.last?.word, gap == 1, last.count + 1 + word.count <= 40,
            (last.hasSuffix(",") && last.filter({ $0 == "(" }).count > last.filter({ $0 == ")" }).count)
                || last.filter({ $0 == "`" }).count % 2 == 1
        {
            words[words.count - 1].word += " " + word
        } else {
            words.append((word, gap))
        }
        word = ""
        gap = 0
    }
    for c in line {
        if c == " " {
            flush()
            gap += 1
        } else {
            word.append(c)
        }
    }
    flush()
    return words
}
