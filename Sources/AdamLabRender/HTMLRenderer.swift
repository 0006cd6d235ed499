// A lesson played and written as one static page: prose with its mathematics in MathML, each
// command with its output, plots as inline SVG, and every exercise's answer behind a click. No
// script and nothing fetched: the page reads the same offline, printed, or in a class's LMS.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation

public struct HTMLLessonRenderer {
    public let style: Style

    /// The page's look: a reading column, code and output in boxes that scroll (or wrap, printed).
    static let styleSheet = """
        body { font: 16px/1.55 "DejaVu Serif", Georgia, serif; color: #222; background: #fff; margin: 0; }
        main { max-width: 50rem; margin: 2rem auto; padding: 0 1rem; }
        h1, h2, h3 { font-family: "DejaVu Sans", Verdana, sans-serif; line-height: 1.25; }
        .meta { color: #777; margin-top: -0.6rem; }
        pre { font: 12px/1.35 "DejaVu Sans Mono", Menlo, monospace; background: #f6f6f4; border-left: 3px solid #c9c9c0; padding: 0.6rem 0.8rem; overflow-x: auto; }
        p, li { max-width: 46rem; }
        @media print { pre { white-space: pre-wrap; overflow-wrap: anywhere; } }
        code { font: 0.9em "DejaVu Sans Mono", Menlo, monospace; background: #f3f3f0; padding: 0 0.2em; }
        .session figure { margin: 0.8rem 0; }
        .session svg { max-width: 100%; height: auto; }
        .exercise { border: 1px solid #d8d8d0; border-radius: 6px; padding: 0.2rem 1rem 0.6rem; margin: 1.2rem 0; background: #fbfbf7; }
        details summary { cursor: pointer; color: #1f5fbf; }
        .answer { font: 15px "DejaVu Sans Mono", Menlo, monospace; }
        blockquote { border-left: 3px solid #ddd; margin-left: 0; padding-left: 1rem; color: #555; }
        """

    public init(style: Style = Style()) { self.style = style }

    private func escape(_ s: String) -> String { SVGRenderer.escape(s) }

    /// Plays `lesson` in `session` and returns the page (well-formed XHTML, so any XML parser reads it).
    public func render(_ lesson: Lesson, session: Session) throws -> String {
        let terminal = TerminalOutput(style: style, write: { _ in })
        var svg = SVGRenderer(style: style)
        var figures = 0
        // The lesson's own first heading is its title; the page does not say it twice.
        var opensWithTitle = false
        if case .prose(let blocks) = lesson.blocks.first, case .heading(1, _, _) = blocks.first {
            opensWithTitle = true
        }
        var body: [String] = opensWithTitle ? [] : ["<h1>\(escape(lesson.title))</h1>"]
        let meta = "<p class=\"meta\">\(escape(lesson.id)), about \(lesson.minutes) minutes</p>"
        if !opensWithTitle { body.append(meta) }
        var first = true
        try LessonPlayer.walk(lesson, session: session, answer: { _ in .reference }) { event in
            terminal.style.precision = event.digits ?? style.precision
            defer {
                if case .prose = event.kind { first = false } else if case .commands = event.kind { first = false }
            }
            switch event.kind {
            case .prose(let blocks):
                let digits = terminal.style.precision
                var html = blocks.map { prose($0, digits: digits) }
                if first && opensWithTitle, let k = html.indices.first {
                    // The title as the page's h1, the lesson's length under it.
                    if case .heading(_, let inlines, _) = blocks[k] {
                        html[k] = "<h1>\(inline(inlines, digits: digits))</h1>\n" + meta
                    }
                }
                body.append(html.joined(separator: "\n"))
            case .commands(let shown) where shown.hidden:
                let words = LessonRenderer(style: terminal.style)
                body.append("<pre>\(escape(words.block(shown, render: terminal.render, dimNote: false)))</pre>")
            case .commands(let shown):
                var pieces: [String] = []
                var text: [String] = []
                func flush() {
                    if !text.isEmpty { pieces.append("<pre>\(escape(text.joined(separator: "\n")))</pre>") }
                    text = []
                }
                for (command, outputs) in shown.ran {
                    text.append(terminal.render(.echo(command)))
                    for output in outputs {
                        if case .plot(let plot) = output {
                            flush()
                            figures += 1
                            svg.idPrefix = "figure\(figures)"
                            pieces.append("<figure>\(svg.render(plot))</figure>")
                        } else {
                            text.append(terminal.render(output))
                        }
                    }
                }
                flush()
                body.append("<div class=\"session\">\(pieces.joined(separator: "\n"))</div>")
            case .answer(let exercise, let values, _):
                body.append(self.exercise(exercise, answer: values, digits: terminal.style.precision))
            default:
                break
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
            <head>
            <meta charset="UTF-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(escape(lesson.title)) · adamlab</title>
            <style>
            \(HTMLLessonRenderer.styleSheet)
            </style>
            </head>
            <body>
            <main>
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    /// An exercise as a section: the question, each hint and the answer behind a click.
    private func exercise(_ exercise: ShownExercise, answer values: [Double], digits: Int) -> String {
        let answer = values.map { significantDigits($0, digits) }.joined(separator: ", ")
        var text =
            "<section class=\"exercise\"><p><strong>Exercise.</strong> \(inline(exercise.question, digits: digits))</p>"
        for (k, hint) in exercise.hints.enumerated() {
            let label = exercise.hints.count == 1 ? "A hint" : "Hint \(k + 1)"
            text += "<details><summary>\(label)</summary><p>\(inline(hint, digits: digits))</p></details>"
        }
        text += "<details><summary>The answer</summary><p class=\"answer\">\(escape(answer))</p>"
        if !exercise.explanation.isEmpty { text += "<p>\(inline(exercise.explanation, digits: digits))</p>" }
        return text + "</details></section>"
    }

    private func prose(_ block: MarkdownBlock, digits: Int) -> String {
        switch block {
        case .heading(let level, let inlines, _):
            let h = min(6, level + 1)  // the page's own title is the h1
            return "<h\(h)>\(inline(inlines, digits: digits))</h\(h)>"
        case .paragraph(let inlines, _):
            return "<p>\(inline(inlines, digits: digits))</p>"
        case .list(let ordered, let items, _):
            let tag = ordered ? "ol" : "ul"
            return "<\(tag)>" + items.map { "<li>" + $0.map { prose($0, digits: digits) }.joined() + "</li>" }.joined()
                + "</\(tag)>"
        case .quote(let blocks, _):
            return "<blockquote>" + blocks.map { prose($0, digits: digits) }.joined() + "</blockquote>"
        case .code(_, let literal, _, _):
            return "<pre>\(escape(literal.hasSuffix("\n") ? String(literal.dropLast()) : literal))</pre>"
        case .thematicBreak:
            return "<hr/>"
        case .html:
            // Raw HTML in a lesson is not copied: the page stays well-formed and script-free.
            return ""
        }
    }

    private func inline(_ inlines: [Inline], digits: Int) -> String {
        inlines.map { piece -> String in
            switch piece {
            case .text(let s): return escape(s)
            case .code(let s): return "<code>\(escape(s))</code>"
            case .emphasis(let inner): return "<em>\(inline(inner, digits: digits))</em>"
            case .strong(let inner): return "<strong>\(inline(inner, digits: digits))</strong>"
            case .link(let inner, let url):
                let safe = url.hasPrefix("http://") || url.hasPrefix("https://") || !url.contains(":")
                return safe
                    ? "<a href=\"\(escape(url))\">\(inline(inner, digits: digits))</a>" : inline(inner, digits: digits)
            case .softBreak: return " "
            case .lineBreak: return "<br/>"
            case .math(let latex): return mathML(Formula(latex))
            case .interpolation(let expression): return escape("{{" + expression + "}}")
            case .value(let values): return escape(valueText(values, digits: digits))
            }
        }.joined()
    }
}
