// A terminal (or a script's standard output) where a session's values are rendered and written.

import AdamLabCore
import AdamLabLessons
import AdamLabSession

/// A terminal (or a script's standard output): where a session's values are rendered and written,
/// in a style that `precision` can change.
public final class TerminalOutput {
    public var style: Style
    /// Receives the text, a line or more at a time, without the final newline.
    public let write: (String) -> Void

    public init(style: Style, write: @escaping (String) -> Void) {
        self.style = style
        self.write = write
    }

    public var renderer: TerminalRenderer { TerminalRenderer(style: style) }

    /// Renders a session's value and writes it.
    public func show(_ output: Output) { write(render(output)) }

    /// Takes in what a value changes about the style (`precision N` holds for what follows).
    public func absorb(_ output: Output) {
        if case .precision(let n) = output { style.precision = n }
    }

    /// Renders a value as `show` would, without writing it; `precision N` takes effect for what follows.
    public func render(_ output: Output) -> String {
        absorb(output)
        return renderer.render(output)
    }

    /// `adam t=3 › `: where the learner is.
    public func prompt(for session: Session) -> String {
        if let pending = session.awaiting {
            let ask = pending.current
            // ASCII names: a line editor measures a prompt's width by bytes or code points, and
            // combining marks (the hat of m̂) are lost or misplaced there.
            let name = asciiFold(renderer.name(ask.expression, t: ask.t, coordinate: ask.expression.coordinate))
            return "predict " + name + (style.unicode ? " › " : "> ")
        }
        return "\(session.spec.kind.rawValue) t=\(session.run.t)\(style.unicode ? " › " : "> ")"
    }

    /// The bytes that draw a long run's progress line in place (or clear it, for nil): no newline.
    public func progressLine(_ progress: RunProgress?) -> String {
        "\r\u{1B}[K" + (progress.map { renderer.render($0) } ?? "")
    }

    /// The echo of a command in a script's output.
    public func echo(_ line: String) -> String { renderer.render(.echo(line)) }
}

extension Session {
    /// A session whose values are rendered for a terminal in `style` and written with `write`.
    public convenience init(
        style: Style = Style(), readFile: @escaping (String) throws -> String = { try TextFile.read($0) },
        write: @escaping (String) -> Void
    ) {
        let terminal = TerminalOutput(style: style, write: write)
        self.init(readFile: readFile, output: terminal.show)
        exporter = { SVGRenderer(style: style).export($0) }
    }

    /// A session rendered to `terminal`.
    public convenience init(
        terminal: TerminalOutput, readFile: @escaping (String) throws -> String = { try TextFile.read($0) }
    ) {
        self.init(readFile: readFile, output: terminal.show)
        exporter = { SVGRenderer(style: terminal.style).export($0) }
    }
}
