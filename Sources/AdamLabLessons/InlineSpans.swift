// `$…$` and `{{…}}` in a lesson's text: kept from cmark while it parses, then restored as values.

import Foundation

/// Hides `$…$` spans from cmark (whose emphasis rules would eat their underscores) and restores them.
func protectMath(_ text: String) -> (String, [String]) {
    var out = ""
    var math: [String] = []
    var inFence = false
    for (k, line) in text.components(separatedBy: "\n").enumerated() {
        if k > 0 { out += "\n" }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
            inFence.toggle()
            out += line
            continue
        }
        if inFence {
            out += line
            continue
        }
        let chars = Array(line)
        var i = 0
        var inCode = false
        var result = ""
        while i < chars.count {
            let c = chars[i]
            if c == "`" {
                inCode.toggle()
                result.append(c)
                i += 1
                continue
            }
            // `{{EXPR}}`, a value the engine computes where the text is shown: kept whole, as text.
            if c == "{", !inCode, i + 1 < chars.count, chars[i + 1] == "{",
                let close = (i + 2..<max(i + 2, chars.count - 1)).first(where: {
                    chars[$0] == "}" && chars[$0 + 1] == "}"
                })
            {
                math.append("\u{E002}" + String(chars[(i + 2)..<close]))
                result += "\u{E000}\(math.count - 1)\u{E001}"
                i = close + 2
                continue
            }
            if c == "$", !inCode, let close = chars[(i + 1)...].firstIndex(of: "$"), close > i + 1 {
                math.append(String(chars[(i + 1)..<close]))
                result += "\u{E000}\(math.count - 1)\u{E001}"
                i = close + 1
                continue
            }
            result.append(c)
            i += 1
        }
        out += result
    }
    return (out, math)
}

func restoreMath(_ block: MarkdownBlock, _ math: [String]) -> MarkdownBlock {
    guard !math.isEmpty else { return block }
    func inlines(_ list: [Inline]) -> [Inline] { list.flatMap(inline) }
    func inline(_ i: Inline) -> [Inline] {
        switch i {
        case .text(let s): return restoredSpans(s, math)
        case .emphasis(let c): return [.emphasis(inlines(c))]
        case .strong(let c): return [.strong(inlines(c))]
        case .link(let c, let url): return [.link(inlines(c), url: url)]
        default: return [i]
        }
    }
    switch block {
    case .heading(let level, let c, let line): return .heading(level: level, inlines(c), line: line)
    case .paragraph(let c, let line): return .paragraph(inlines(c), line: line)
    case .list(let ordered, let items, let line):
        return .list(ordered: ordered, items: items.map { $0.map { restoreMath($0, math) } }, line: line)
    case .quote(let blocks, let line): return .quote(blocks.map { restoreMath($0, math) }, line: line)
    case .code(let info, let literal, let line, let end):
        // A fenced block keeps the author's text: its placeholders (if any) become what was typed.
        let text = restoredSpans(literal, math).map { piece -> String in
            switch piece {
            case .math(let latex): return "$" + latex + "$"
            case .interpolation(let e): return "{{" + e + "}}"
            case .text(let s): return s
            default: return ""
            }
        }.joined()
        return .code(info: info, literal: text, line: line, endLine: end)
    default: return block
    }
}

/// Text with `protectMath`'s placeholders turned back into pieces: text, `.math` and `.interpolation`.
/// One pass over the text (rescanning after every replacement made a line of many spans quadratic).
func restoredSpans(_ s: String, _ math: [String]) -> [Inline] {
    guard s.unicodeScalars.contains("\u{E000}") else { return [.text(s)] }
    var out: [Inline] = []
    var plain = ""
    var scalars = s.unicodeScalars[...]
    while let open = scalars.firstIndex(of: "\u{E000}") {
        plain.unicodeScalars.append(contentsOf: scalars[..<open])
        let after = scalars[scalars.index(after: open)...]
        guard let close = after.firstIndex(of: "\u{E001}") else {
            scalars = scalars[open...]
            break
        }
        let index = Int(String(String.UnicodeScalarView(after[..<close]))) ?? -1
        let span = index >= 0 && index < math.count ? math[index] : ""
        if !plain.isEmpty { out.append(.text(plain)) }
        plain = ""
        if span.unicodeScalars.first == "\u{E002}" {
            out.append(.interpolation(String(span.unicodeScalars.dropFirst())))
        } else {
            out.append(.math(span))
        }
        scalars = after[after.index(after: close)...]
    }
    plain.unicodeScalars.append(contentsOf: scalars)
    if !plain.isEmpty { out.append(.text(plain)) }
    return out
}

/// One line of an exercise (a question, a hint, an explanation) as inline markdown: `code`, emphasis,
/// `$…$` mathematics and `{{…}}` values, as prose has them.
func parseInlineText(_ text: String) -> [Inline] {
    let (protected, math) = protectMath(text)
    guard let blocks = try? parseMarkdown(protected), blocks.count == 1,
        case .paragraph(let inlines, _) = restoreMath(blocks[0], math)
    else { return restoredSpans(protected, math) }
    return inlines
}
