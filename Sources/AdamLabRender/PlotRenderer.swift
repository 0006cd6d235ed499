// Plots in the terminal: braille dots (2 × 4 a cell), half blocks, or ASCII, with nice ticks, a log
// axis, level curves, arrows and a legend. The same plot always gives the same text.

import AdamLabCore
import AdamLabSession
import Foundation

/// How dots become characters.
public enum PlotMarks: Sendable {
    /// Braille: 2 × 4 dots in a cell.
    case braille
    /// Half blocks: 1 × 2 dots in a cell (▀ ▄ █).
    case blocks
    /// One `*` (or a series' digit) a cell: plain ASCII.
    case ascii

    var dotsAcross: Int { self == .braille ? 2 : 1 }
    var dotsDown: Int { self == .braille ? 4 : self == .blocks ? 2 : 1 }
}

/// A grid of dots, each remembering which series drew it last (-1: a level curve), and characters
/// laid over cells (start, minimum, arrow heads, series numbers).
struct DotCanvas {
    let columns: Int, rows: Int, marks: PlotMarks
    /// In ASCII, several series are drawn with their numbers instead of `*`.
    var numbered = false
    private var bits: [[UInt8]]
    private var owner: [[Int]]
    /// Which series have a dot in each cell (a bit per series): a cell several share shows each in turn.
    private var present: [[UInt16]]
    private var overlay: [[Character?]]

    /// The owner of a landmark's mark (the start, θ now, the minimum): drawn bright.
    static let landmark = -3

    init(columns: Int, rows: Int, marks: PlotMarks) {
        self.columns = columns
        self.rows = rows
        self.marks = marks
        bits = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        owner = Array(repeating: Array(repeating: -2, count: columns), count: rows)
        present = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        overlay = Array(repeating: Array(repeating: nil, count: columns), count: rows)
    }

    var width: Int { columns * marks.dotsAcross }
    var height: Int { rows * marks.dotsDown }

    /// Braille's dot numbering: column 0 rows 0–2 are bits 0–2, column 1 rows 0–2 bits 3–5, row 3 bits 6–7.
    private static let brailleBit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets dot (x, y), y counted from the top. Outside the canvas nothing happens.
    mutating func dot(_ x: Int, _ y: Int, series: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let c = x / marks.dotsAcross, r = y / marks.dotsDown
        let bit: UInt8
        switch marks {
        case .braille: bit = DotCanvas.brailleBit[x % 2][y % 4]
        case .blocks: bit = y % 2 == 0 ? 1 : 2
        case .ascii: bit = 1
        }
        bits[r][c] |= bit
        // A series' dot wins over a level curve's; among series the last drawn wins.
        if series >= 0 || owner[r][c] < 0 { owner[r][c] = series }
        if series >= 0 { present[r][c] |= 1 << UInt16(min(series, 15)) }
    }

    /// A straight line of dots (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        // Lines wholly outside are skipped; a line is never longer than the canvas's diagonal is drawn.
        var budget = 4 * (width + height)
        while budget > 0 {
            dot(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy {
                err += dy
                x += sx
            }
            if e2 <= dx {
                err += dx
                y += sy
            }
            budget -= 1
        }
    }

    /// Lays `character` over the cell that holds dot (x, y); with `aside`, in the nearest free cell
    /// when that one already has a mark (a series' end beside the minimum, not on it).
    mutating func mark(_ x: Int, _ y: Int, _ character: Character, series: Int, aside: Bool = false) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        var c = x / marks.dotsAcross, r = y / marks.dotsDown
        if aside, overlay[r][c] != nil {
            let around = [(0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (-1, 1), (1, -1), (1, 1), (0, -2), (0, 2)]
            guard
                let free = around.first(where: { dr, dc in
                    let (rr, cc) = (r + dr, c + dc)
                    return rr >= 0 && rr < rows && cc >= 0 && cc < columns && overlay[rr][cc] == nil
                })
            else { return }
            (r, c) = (r + free.0, c + free.1)
        }
        overlay[r][c] = character
        owner[r][c] = series
    }

    /// Whose colour a cell takes: its owner, or, where several series share it, each in turn along
    /// the row, so that no path hides another.
    private func colourOwner(_ r: Int, _ c: Int) -> Int {
        let mask = present[r][c]
        guard owner[r][c] >= 0, mask.nonzeroBitCount > 1 else { return owner[r][c] }
        let sharing = (0..<16).filter { mask & (1 << UInt16($0)) != 0 }
        return sharing[(r + c) % sharing.count]
    }

    /// Row `r` as text, each cell coloured by `paint` (its owner: a series, -1 a level curve).
    func row(_ r: Int, paint: (String, Int) -> String) -> String {
        var out = ""
        for c in 0..<columns {
            let cell: String
            if let o = overlay[r][c] {
                cell = String(o)
            } else if bits[r][c] == 0 {
                cell = " "
            } else {
                switch marks {
                case .braille: cell = String(UnicodeScalar(0x2800 + UInt32(bits[r][c]))!)
                case .blocks: cell = bits[r][c] == 3 ? "█" : bits[r][c] == 1 ? "▀" : "▄"
                case .ascii:
                    let who = colourOwner(r, c)
                    cell = who == -1 ? "." : numbered && who >= 0 ? "\(who % 9 + 1)" : "*"
                }
            }
            out += cell == " " ? cell : paint(cell, overlay[r][c] == nil ? colourOwner(r, c) : owner[r][c])
        }
        return out
    }
}

extension TerminalRenderer {
    /// The height plots are drawn at, in rows (their width is the style's).
    static let plotHeight = 16

    /// A plot as text: title, the dots with a y axis on the left, the x axis and its labels, a legend.
    public func render(_ plot: Plot, marks: PlotMarks? = nil) -> String {
        let asked: PlotMarks? = plot.drawing.map { d in d == .braille ? .braille : d == .blocks ? .blocks : .ascii }
        // ASCII output stays ASCII whatever was asked.
        let marks = style.unicode ? (marks ?? asked ?? .braille) : .ascii
        let bounds = plot.bounds
        let yTicks = plot.logY ? logTicks(bounds.y) : niceTicks(bounds.y, count: 4)
        let yFormat = tickFormat(yTicks)
        let yLabels = yTicks.map { plot.logY ? axisLabel($0, log: true) : yFormat($0) }
        let labelWidth = yLabels.map(cells).max() ?? 1
        let columns = max(10, min(200, max(40, style.width)) - labelWidth - 2)
        // A path gets as many rows as keep its units the same across and up (a braille dot is about
        // square), within 12 to 30 rows.
        // On a terminal the whole plot, its title, axis and legend fit the screen with the prompt.
        let tallest = style.rows.map { max(6, $0 - 7) } ?? 30
        var rows = min(TerminalRenderer.plotHeight, tallest)
        if plot.kind == .path {
            let xs = bounds.x.upperBound - bounds.x.lowerBound, ys = bounds.y.upperBound - bounds.y.lowerBound
            let square = Double(columns * 2) * ys / xs / 4
            rows = max(min(12, tallest), min(30, tallest, Int(square.rounded())))
        }
        var canvas = DotCanvas(columns: columns, rows: rows, marks: marks)
        // A point far outside the box (a run that blew up) is held to a distance a dot index can
        // carry: it is off the canvas either way, and its line towards it still leaves in the right direction.
        func dotIndex(_ v: Double) -> Int { Int(Swift.max(-1e6, Swift.min(1e6, v.isNaN ? -1e6 : v)).rounded()) }
        func px(_ x: Double) -> Int {
            dotIndex((x - bounds.x.lowerBound) / (bounds.x.upperBound - bounds.x.lowerBound) * Double(canvas.width - 1))
        }
        func py(_ y: Double) -> Int {
            let v = plot.logY ? log10(y) : y
            return dotIndex(
                (bounds.y.upperBound - v) / (bounds.y.upperBound - bounds.y.lowerBound) * Double(canvas.height - 1))
        }
        func usable(_ p: PlotPoint) -> Bool { p.x.isFinite && p.y.isFinite && (!plot.logY || p.y > 0) }

        if let field = plot.field { drawLevels(field, on: &canvas) }
        let multiple = plot.series.count > 1
        canvas.numbered = multiple
        var ends: [(Int, Int, Int)] = []
        // Each series as dots first; where several share a cell, the one that covers fewest cells is
        // drawn last, on top, so a short path is not erased by a long one.
        let drawn = plot.series.enumerated().map { k, series -> (k: Int, dots: [(Int, Int)]) in
            let points = series.downsampled(buckets: canvas.width).points.filter(usable)
            return (k, points.map { (px($0.x), py($0.y)) })
        }
        func cellsCovered(_ dots: [(Int, Int)]) -> Int {
            Set(dots.map { ($0.0 / marks.dotsAcross) * 10_000 + $0.1 / marks.dotsDown }).count
        }
        for (k, dots) in drawn.sorted(by: { cellsCovered($0.dots) > cellsCovered($1.dots) }) {
            guard var last = dots.first else { continue }
            canvas.dot(last.0, last.1, series: k)
            for next in dots.dropFirst() {
                // Samples far apart are dots: a line between them would invent the path in between.
                if plot.series[k].sampled {
                    canvas.dot(next.0, next.1, series: k)
                } else {
                    canvas.line(last.0, last.1, next.0, next.1, series: k)
                }
                last = next
            }
            ends.append((last.0, last.1, k))
        }
        for arrow in plot.arrows where usable(arrow.from) && usable(arrow.to) {
            let (x0, y0, x1, y1) = (px(arrow.from.x), py(arrow.from.y), px(arrow.to.x), py(arrow.to.y))
            canvas.line(x0, y0, x1, y1, series: 0)
            canvas.mark(x1, y1, arrowHead(dx: Double(x1 - x0), dy: Double(y0 - y1)), series: 0)
        }
        // The landmarks are drawn bright, over everything: the minimum, θ now, the start, and each
        // series' number at its end (told apart by number as well as colour).
        if let m = plot.minimum { canvas.mark(px(m.x), py(m.y), minimumMark, series: DotCanvas.landmark) }
        if let e = plot.end { canvas.mark(px(e.x), py(e.y), style.unicode ? "●" : "@", series: DotCanvas.landmark) }
        if let s = plot.start { canvas.mark(px(s.x), py(s.y), style.unicode ? "○" : "o", series: DotCanvas.landmark) }
        if plot.title == .ends {
            // Many runs' starts and ends: every point is its series' number, readable without colour;
            // the minima over them, where the runs that reached them are.
            for (k, dots) in drawn {
                for (x, y) in dots { canvas.mark(x, y, Character("\(k % 9 + 1)"), series: k) }
            }
            for m in [plot.minimum].compactMap({ $0 }) + plot.otherMinima {
                canvas.mark(px(m.x), py(m.y), minimumMark, series: DotCanvas.landmark)
            }
        } else if multiple {
            for (x, y, k) in ends { canvas.mark(x, y, Character("\(k % 9 + 1)"), series: k, aside: true) }
        }

        var lines = [style.fold(title(plot))]
        let tickRows = Dictionary(
            yTicks.indices.map {
                (
                    Int(
                        (Double(py(plot.logY ? pow(10, yTicks[$0]) : yTicks[$0])) / Double(marks.dotsDown)).rounded(
                            .down)), $0
                )
            },
            uniquingKeysWith: { a, _ in a })
        let bar = style.unicode ? "│" : "|", tick = style.unicode ? "┤" : "+"
        for r in 0..<rows {
            let label = tickRows[r].map { yLabels[$0] } ?? ""
            let axis = tickRows[r] != nil ? tick : bar
            lines.append(padLeft(label, labelWidth) + " " + axis + canvas.row(r, paint: paint))
        }
        lines += xAxis(
            bounds.x, whole: plot.kind == .overTime && plot.xName == nil, log: plot.logX, columns: columns,
            indent: labelWidth + 1, toColumn: { px($0) / marks.dotsAcross })
        if let legend = legend(plot) { lines.append(legend) }
        return lines.joined(separator: "\n")
    }

    /// Level curves: a dot where f crosses a level between it and its right or lower neighbour.
    private func drawLevels(_ field: LevelField, on canvas: inout DotCanvas) {
        let n = field.values.count, m = field.values.first?.count ?? 0
        guard n > 1, m > 1, !field.levels.isEmpty else { return }
        // f at dot (x, y) by bilinear interpolation of the grid (row 0 of the grid is the bottom).
        func f(_ x: Int, _ y: Int) -> Double {
            let gx = Double(x) / Double(canvas.width - 1) * Double(m - 1)
            let gy = Double(canvas.height - 1 - y) / Double(canvas.height - 1) * Double(n - 1)
            let c = min(m - 2, Int(gx)), r = min(n - 2, Int(gy))
            let u = gx - Double(c), v = gy - Double(r)
            let a = field.values[r][c], b = field.values[r][c + 1]
            let d = field.values[r + 1][c], e = field.values[r + 1][c + 1]
            return (a * (1 - u) + b * u) * (1 - v) + (d * (1 - u) + e * u) * v
        }
        var values = (0..<canvas.height).map { y in (0..<canvas.width).map { x in f(x, y) } }
        for y in 0..<canvas.height {
            for x in 0..<canvas.width where !values[y][x].isFinite { values[y][x] = .infinity }
        }
        func band(_ v: Double) -> Int { field.levels.firstIndex { v < $0 } ?? field.levels.count }
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let here = band(values[y][x])
                // Every other dot only: level curves come out dotted, so a path drawn solid stands out.
                guard (x + y) % 2 == 0 else { continue }
                if (x + 1 < canvas.width && band(values[y][x + 1]) != here)
                    || (y + 1 < canvas.height && band(values[y + 1][x]) != here)
                {
                    canvas.dot(x, y, series: -1)
                }
            }
        }
    }

    private func arrowHead(dx: Double, dy: Double) -> Character {
        let heads: [Character] =
            style.unicode ? ["→", "↗", "↑", "↖", "←", "↙", "↓", "↘"] : [">", "/", "^", "\\", "<", "/", "v", "\\"]
        guard dx != 0 || dy != 0 else { return style.unicode ? "•" : "." }
        let angle = atan2(dy, dx)
        let k = Int(((angle / (Double.pi / 4)).rounded() + 8).truncatingRemainder(dividingBy: 8))
        return heads[k]
    }

    /// The series' colours: the Okabe–Ito palette (told apart with every kind of colour vision) as
    /// 256-colour codes: blue, orange, bluish green, vermillion, sky blue, reddish purple, yellow.
    static let palette = [33, 214, 36, 166, 117, 175, 227]

    private func paint(_ cell: String, _ owner: Int) -> String {
        guard style.color else { return cell }
        if owner == -1 { return "\u{1B}[2m\(cell)\u{1B}[0m" }
        if owner == DotCanvas.landmark { return "\u{1B}[1m\(cell)\u{1B}[0m" }
        let colour = TerminalRenderer.palette[max(0, owner) % TerminalRenderer.palette.count]
        return "\u{1B}[38;5;\(colour)m\(cell)\u{1B}[0m"
    }

    /// The minimum's mark: a star, or in ASCII an X (a `*` is the path's own dot there).
    var minimumMark: Character { style.unicode ? "★" : "X" }

    /// 0.001, 25, 1e+06 …; on a log axis 10⁻³ (or 1e-3 in ASCII).
    private func axisLabel(_ v: Double, log: Bool) -> String {
        guard log else { return tickLabel(v) }
        let k = Int(v.rounded())
        return style.unicode ? "10" + sup(k) : "1e\(k)"
    }

    /// The x axis: a rule with a mark under each tick, then the tick labels, none overlapping.
    private func xAxis(
        _ range: ClosedRange<Double>, whole: Bool, log: Bool = false, columns: Int, indent: Int,
        toColumn: (Double) -> Int
    ) -> [String] {
        let ticks = log ? logTicks(range) : niceTicks(range, count: max(2, columns / 12), whole: whole)
        let plain = tickFormat(ticks)
        let format = { (v: Double) in log ? self.axisLabel(v, log: true) : plain(v) }
        var rule = Array(repeating: style.unicode ? "─" : "-", count: columns)
        // Labels stay within the axis: a label at its end is moved left.
        var labels = Array(repeating: " ", count: columns)
        var free = 0
        for t in ticks {
            let c = toColumn(t)
            guard c >= 0, c < columns else { continue }
            rule[c] = style.unicode ? "┬" : "+"
            let text = Array(format(t)).map(String.init)
            let start = min(max(0, c - text.count / 2), labels.count - text.count)
            guard start >= free, start >= 0 else { continue }
            for (k, ch) in text.enumerated() { labels[start + k] = ch }
            free = start + text.count + 1
        }
        let pad = String(repeating: " ", count: indent)
        let corner = style.unicode ? "└" : "+"
        return [
            pad + corner + rule.joined(),
            pad + " " + labels.joined().replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression),
        ]
    }

    private func title(_ plot: Plot) -> String {
        switch plot.kind {
        case .path where plot.title == .ends:
            return "where each run ended, on the level curves of f"
        case .path:
            return "θ's path on the level curves of f" + (plot.series.count > 1 ? ", one path per optimizer" : "")
                + (plot.stepsApart.map { " (a point every \($0) steps)" } ?? "")
        case .overTime:
            return overTimeTitle(plot)
        }
    }

    /// "f(θₜ) over t (log scale, cut off above 125000)": what a plot over t shows, for every renderer.
    func overTimeTitle(_ plot: Plot) -> String {
        let scales =
            plot.logY && plot.logX
            ? ["log scales"] : plot.logY ? ["log scale"] : plot.logX ? ["log scale in \(plot.xName ?? "x")"] : []
        let notes =
            scales + (plot.yLimit.map { ["cut off above \(style.number($0))"] } ?? [])
            + (plot.stepsApart.map { ["a point every \($0) steps"] } ?? [])
            + (plot.coordinatesLeftOut > 0
                ? ["the first \(plot.series.count) of \(plot.series.count + plot.coordinatesLeftOut) coordinates"] : [])
        let over = plot.xName.map { " against " + $0 } ?? " over t"
        return seriesName(plot.title) + over + (notes.isEmpty ? "" : " (" + notes.joined(separator: ", ") + ")")
    }

    /// The start, θ now, the minimum and the arrows' steps, each as the legend says it.
    func pathNotes(_ plot: Plot) -> [String] {
        var notes: [String] = []
        if let s = plot.start {
            notes.append("\(style.unicode ? "○" : "o") θ₀ = (\(style.number(s.x)), \(style.number(s.y)))")
        }
        if let e = plot.end {
            notes.append("\(style.unicode ? "●" : "@") θ now (\(style.number(e.x)), \(style.number(e.y)))")
        }
        if let m = plot.minimum {
            notes.append(
                plot.otherMinima.isEmpty
                    ? "\(minimumMark) minimum (\(style.number(m.x)), \(style.number(m.y)))"
                    : "\(minimumMark) the \(plot.otherMinima.count + 1) global minima")
        }
        if !plot.arrows.isEmpty {
            notes.append("arrows: Δθ at t = " + plot.arrows.map { "\($0.t)" }.joined(separator: ", "))
        }
        return notes
    }

    /// Where a series ended: its last value over t, or its last point in the plane.
    func endNote(_ series: PlotSeries, limit: Double? = nil) -> String? {
        if let t = series.divergedAt { return "diverged at step \(t)" + (series.isPlanar ? ", left the picture" : "") }
        // A series that left the plot through its cut-off is said to have, with when.
        if let limit, !series.isPlanar, let out = series.points.first(where: { !$0.y.isFinite || $0.y > limit }) {
            return "off the top from t = \(Int(out.x))"
        }
        guard let last = series.points.last(where: { $0.x.isFinite && $0.y.isFinite }) else { return nil }
        return series.isPlanar ? "(\(style.number(last.x)), \(style.number(last.y)))" : style.number(last.y)
    }

    func seriesName(_ label: PlotSeries.Label) -> String {
        switch label {
        case .loss: return "f(θₜ)"
        case .quantity(let q, let i): return q.displayName + (i.map { "[\($0)]" } ?? "")
        case .path: return "θ"
        case .optimizer(let spec): return spec.description
        case .quantities(let qs): return qs.map(\.displayName).joined(separator: ", ")
        case .finalLoss: return "final f(θ)"
        case .starts: return "starts"
        case .ends: return "where each run ended"
        }
    }

    private func legend(_ plot: Plot) -> String? {
        var parts: [String] = []
        if plot.series.count > 1 {
            for (k, s) in plot.series.enumerated() {
                let swatch = style.color ? paint("\(k + 1)" + (style.unicode ? "━" : "-"), k) : "\(k + 1)"
                // Many runs' ends are dots, not one run: no single end to name.
                let end = plot.title == .ends ? nil : endNote(s, limit: plot.yLimit)
                parts.append("\(swatch) \(seriesName(s.label))" + (end.map { " → " + $0 } ?? ""))
            }
        }
        parts += pathNotes(plot)
        guard !parts.isEmpty else { return nil }
        // Folded between its items where it can, never inside one.
        var lines: [String] = []
        for part in parts.map(style.fold) {
            if let last = lines.last, cells(last) + 3 + cells(part) <= style.width {
                lines[lines.count - 1] = last + "   " + part
            } else {
                lines.append(
                    cells(part) > style.width ? wrap(part, width: style.width, indent: "", continuation: "  ") : part)
            }
        }
        return lines.joined(separator: "\n")
    }

}
