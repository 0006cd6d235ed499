// Markdown parsed by cmark and converted straight into value types that keep their source lines.

import AdamLabCore
import CCmark

/// Inline content of a paragraph or heading.
public indirect enum Inline: Equatable, Sendable {
    case text(String)
    case code(String)
    case emphasis([Inline])
    case strong([Inline])
    case link([Inline], url: String)
    case softBreak
    case lineBreak
    /// `$…$`: mathematics as the author typed it (LaTeX), typeset by whichever renderer shows it.
    case math(String)
    /// `{{EXPR}}`: a value the engine computes where the text is shown, as written.
    case interpolation(String)
    /// An interpolation computed: its value (one number, or a vector's coordinates).
    case value([Double])
}

/// A block of a markdown document; `line` is 1-based in the file.
public indirect enum MarkdownBlock: Equatable, Sendable {
    case heading(level: Int, [Inline], line: Int)
    case paragraph([Inline], line: Int)
    case list(ordered: Bool, items: [[MarkdownBlock]], line: Int)
    case quote([MarkdownBlock], line: Int)
    case code(info: String, literal: String, line: Int, endLine: Int)
    case thematicBreak(line: Int)
    case html(String, line: Int)

    public var line: Int {
        switch self {
        case .heading(_, _, let l), .paragraph(_, let l), .list(_, _, let l), .quote(_, let l),
            .code(_, _, let l, _), .thematicBreak(let l), .html(_, let l):
            return l
        }
    }
}

/// How deep block quotes, lists and emphasis may nest; deeper is refused (it is never meant, and the
/// conversion recurses).
public let markdownDepthLimit = 100

/// Parses CommonMark with cmark. `lineOffset` is added to every line (for text after front matter).
/// Nesting deeper than `markdownDepthLimit` is an error naming the line where it goes too deep.
public func parseMarkdown(_ text: String, lineOffset: Int = 0) throws -> [MarkdownBlock] {
    guard let document = text.withCString({ cmark_parse_document($0, text.utf8.count, CMARK_OPT_DEFAULT) }) else {
        return []
    }
    defer { cmark_node_free(document) }
    return try MarkdownConverter(lineOffset: lineOffset).blocks(under: document, depth: 0)
}

/// Walks cmark's tree, converting the node kinds lessons use: an inline node of another kind (raw HTML)
/// becomes its text, a block of another kind is left out.
private struct MarkdownConverter {
    let lineOffset: Int

    func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            out.append(c)
            child = cmark_node_next(c)
        }
        return out
    }

    func line(_ node: OpaquePointer) -> Int { Int(cmark_node_get_start_line(node)) + lineOffset }

    func literal(_ node: OpaquePointer) -> String { cmark_node_get_literal(node).map { String(cString: $0) } ?? "" }

    func blocks(under node: OpaquePointer, depth: Int) throws -> [MarkdownBlock] {
        try children(node).compactMap { try block($0, depth: depth + 1) }
    }

    func tooDeep(_ node: OpaquePointer) -> LessonError {
        LessonError(
            "markdown nested more than \(markdownDepthLimit) deep (block quotes, lists or emphasis)",
            at: TextSpan(column: 1, line: line(node)))
    }

    func block(_ node: OpaquePointer, depth: Int) throws -> MarkdownBlock? {
        if depth > markdownDepthLimit { throw tooDeep(node) }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            return .heading(
                level: Int(cmark_node_get_heading_level(node)), try inlines(under: node, depth: depth), line: line(node)
            )
        case CMARK_NODE_PARAGRAPH:
            return .paragraph(try inlines(under: node, depth: depth), line: line(node))
        case CMARK_NODE_LIST:
            let items = try children(node).map { try blocks(under: $0, depth: depth + 1) }
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST, items: items, line: line(node))
        case CMARK_NODE_BLOCK_QUOTE:
            return .quote(try blocks(under: node, depth: depth), line: line(node))
        case CMARK_NODE_CODE_BLOCK:
            let info = cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
            return .code(
                info: info, literal: literal(node), line: line(node),
                endLine: Int(cmark_node_get_end_line(node)) + lineOffset)
        case CMARK_NODE_THEMATIC_BREAK:
            return .thematicBreak(line: line(node))
        case CMARK_NODE_HTML_BLOCK:
            return .html(literal(node), line: line(node))
        default:
            return nil
        }
    }

    func inlines(under node: OpaquePointer, depth: Int) throws -> [Inline] {
        try children(node).map { try inline($0, depth: depth + 1) }
    }

    func inline(_ node: OpaquePointer, depth: Int) throws -> Inline {
        if depth > markdownDepthLimit { throw tooDeep(node) }
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: return .text(literal(node))
        case CMARK_NODE_CODE: return .code(literal(node))
        case CMARK_NODE_EMPH: return .emphasis(try inlines(under: node, depth: depth))
        case CMARK_NODE_STRONG: return .strong(try inlines(under: node, depth: depth))
        case CMARK_NODE_LINK:
            return .link(
                try inlines(under: node, depth: depth), url: cmark_node_get_url(node).map { String(cString: $0) } ?? "")
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_HTML_INLINE: return .text(literal(node))
        default: return .text(literal(node))
        }
    }
}
