// Plots as SVG: self-contained (no scripts, no fonts fetched), small, the same axes and ticks as in
// the terminal. Also what `export csv|json` writes.

import AdamLabCore
import AdamLabSession
import Foundation

public struct SVGRenderer {
    public let style: Style
    public var width = 640.0
    public var height = 400.0
    /// Prefixes the ids inside the picture, so several pictures in one page never share one.
    public var idPrefix = "plot"

    public init(style: Style) { self.style = style }

    /// The Okabe–Ito palette, told apart with every kind of colour vision (yellow, faint on white, last).
    static let colours = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442"]

    /// Escapes text for XML content and attributes.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 has no place for other control characters (nor U+FFFE, U+FFFF): shown as �, the
            // page stays well-formed.
            case "\t", "\n", "\r": out.unicodeScalars.append(c)
            case _ where c.value < 0x20 || c.value == 0xFFFE || c.value == 0xFFFF: out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    private func n(_ x: Double) -> String { String(format: "%.2f", x) }
    /// Level curves need less: a tenth of a pixel.
    private func n1(_ x: Double) -> String { String(format: "%.1f", x) }

    public func render(_ plot: Plot) -> String {
        // An SVG is drawn in Unicode whatever the terminal's style.
        var unicodeStyle = style
        unicodeStyle.unicode = true
        let terminal = TerminalRenderer(style: unicodeStyle)
        let bounds = plot.bounds
        let frameLeft = 64.0, right = 30.0, frameTop = 34.0
        // The legend in rows that fit the picture: each series (its number, name and where it ended),
        // then a path's notes, never run together.
        let items =
            (plot.series.count > 1
                ? plot.series.enumerated().map { k, s in
                    (
                        k,
                        "\(k + 1) " + terminal.seriesName(s.label)
                            + (terminal.endNote(s, limit: plot.yLimit).map { " → " + $0 } ?? "")
                    )
                } : []) + (plot.kind == .path ? terminal.pathNotes(plot).map { (-1, $0) } : [])
        var legendRows: [[(series: Int, text: String, x: Double)]] = []
        for (k, text) in items {
            let swatch = k >= 0 ? 23.0 : 0
            let itemWidth = swatch + Double(text.count) * 6.8
            if var row = legendRows.last, let last = row.last,
                last.x + legendWidth(last) + 18 + itemWidth <= width - frameLeft - right
            {
                row.append((k, text, last.x + legendWidth(last) + 18))
                legendRows[legendRows.count - 1] = row
            } else {
                legendRows.append([(k, text, frameLeft)])
            }
        }
        let bottom = 46.0 + 17 * Double(legendRows.count)
        var left = frameLeft, top = frameTop
        var w = width - left - right, h = height - top - bottom
        if plot.kind == .path {
            // One unit is as long across as up, so a step meets the level curves at the angle it really does.
            let xs = bounds.x.upperBound - bounds.x.lowerBound, ys = bounds.y.upperBound - bounds.y.lowerBound
            let scale = min(w / xs, h / ys)
            let (fw, fh) = (xs * scale, ys * scale)
            left += (w - fw) / 2
            top += (h - fh) / 2
            (w, h) = (fw, fh)
        }
        // A point far outside the box (a run that blew up) is held a few thousand pixels out: clipped
        // away either way, its line still leaves the frame in the right direction.
        func held(_ v: Double) -> Double { Swift.max(-1e4, Swift.min(1e4, v)) }
        func x(_ v: Double) -> Double {
            held(left + (v - bounds.x.lowerBound) / (bounds.x.upperBound - bounds.x.lowerBound) * w)
        }
        func y(_ v: Double) -> Double {
            let u = plot.logY ? log10(v) : v
            return held(top + (bounds.y.upperBound - u) / (bounds.y.upperBound - bounds.y.lowerBound) * h)
        }
        func usable(_ p: PlotPoint) -> Bool { p.x.isFinite && p.y.isFinite && (!plot.logY || p.y > 0) }
        var body: [String] = []
        // What is drawn inside the frame is clipped to it (a path may leave the box it was framed in).
        var inside: [String] = []
        body.append(
            "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"#fcfcfc\" stroke=\"#999\"/>"
        )
        if let field = plot.field {
            for (k, segments) in levelSegments(field).enumerated() where !segments.isEmpty {
                let d = segments.map { s in
                    "M\(n1(x(s.0.x))) \(n1(y(s.0.y)))L\(n1(x(s.1.x))) \(n1(y(s.1.y)))"
                }.joined()
                let shade = 200 - 12 * (field.levels.count - k)
                inside.append(
                    "<path d=\"\(d)\" fill=\"none\" stroke=\"rgb(\(shade),\(shade),\(shade))\" stroke-width=\"1\"/>")
            }
        }
        // Ticks and grid lines.
        let yTicks = plot.logY ? logTicks(bounds.y) : niceTicks(bounds.y, count: 5)
        let yFormat = tickFormat(yTicks)
        for t in yTicks {
            let v = plot.logY ? pow(10, t) : t
            let label =
                plot.logY
                ? "10<tspan dy=\"-5\" font-size=\"9\">\(Int(t.rounded()))</tspan>"
                : yFormat(t)
            body.append(
                "<line x1=\"\(n(left - 4))\" y1=\"\(n(y(v)))\" x2=\"\(n(left + w))\" y2=\"\(n(y(v)))\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"\(n(left - 7))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(label)</text>")
        }
        let xTicks = niceTicks(bounds.x, count: 6, whole: plot.kind == .overTime)
        let xFormat = tickFormat(xTicks)
        for t in xTicks {
            body.append(
                "<line x1=\"\(n(x(t)))\" y1=\"\(n(top + h))\" x2=\"\(n(x(t)))\" y2=\"\(n(top + h + 4))\" stroke=\"#777\"/>"
                    + "<text x=\"\(n(x(t)))\" y=\"\(n(top + h + 17))\" text-anchor=\"middle\">\(xFormat(t))</text>"
            )
        }
        // The longest series first, so a short one lying on it is drawn on top and still shows.
        let drawn = plot.series.enumerated().map { k, series in
            (k, series.downsampled(buckets: Int(w)).points.filter(usable))
        }
        var ends: [(Int, PlotPoint)] = []
        for (k, points) in drawn.sorted(by: { $0.1.count > $1.1.count }) {
            guard !points.isEmpty else { continue }
            ends.append((k, points.last!))
            let colour = SVGRenderer.colours[k % SVGRenderer.colours.count]
            if points.count == 1 {
                inside.append(
                    "<circle cx=\"\(n(x(points[0].x)))\" cy=\"\(n(y(points[0].y)))\" r=\"3\" fill=\"\(colour)\"/>")
                continue
            }
            if plot.series[k].sampled {
                // Samples far apart are dots: a line between them would invent the path in between.
                inside.append(
                    points.map { "<circle cx=\"\(n(x($0.x)))\" cy=\"\(n(y($0.y)))\" r=\"1.6\" fill=\"\(colour)\"/>" }
                        .joined())
                continue
            }
            let list = points.map { "\(n(x($0.x))),\(n(y($0.y)))" }.joined(separator: " ")
            // Later series are dashed, so one lying on another still shows.
            let dash = k == 0 ? "" : " stroke-dasharray=\"\(6 + 2 * k),\(3 + k)\""
            inside.append(
                "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dash)/>")
        }
        body.append("<g clip-path=\"url(#\(idPrefix)-area)\">\n" + inside.joined(separator: "\n") + "\n</g>")
        for a in plot.arrows where usable(a.from) && usable(a.to) {
            body.append(
                "<line x1=\"\(n(x(a.from.x)))\" y1=\"\(n(y(a.from.y)))\" x2=\"\(n(x(a.to.x)))\" y2=\"\(n(y(a.to.y)))\" stroke=\"#111\" stroke-width=\"1.4\" marker-end=\"url(#\(idPrefix)-head)\"/>"
            )
        }
        if let e = plot.end {
            body.append("<circle cx=\"\(n(x(e.x)))\" cy=\"\(n(y(e.y)))\" r=\"4\" fill=\"#111\"/>")
        }
        if let s = plot.start {
            body.append(
                "<circle cx=\"\(n(x(s.x)))\" cy=\"\(n(y(s.y)))\" r=\"4.5\" fill=\"white\" stroke=\"#111\" stroke-width=\"1.5\"/>"
            )
        }
        if let m = plot.minimum {
            let cx = x(m.x), cy = y(m.y)
            let star = (0..<10).map { k -> String in
                let r = k % 2 == 0 ? 7.0 : 3.0, a = Double.pi / 5 * Double(k) - Double.pi / 2
                return "\(n(cx + r * cos(a))),\(n(cy + r * sin(a)))"
            }.joined(separator: " ")
            body.append("<polygon points=\"\(star)\" fill=\"#f1c40f\" stroke=\"#7d6608\"/>")
        }
        // Each series' end, marked with its number in its colour; a marker that would cover the
        // minimum or another marker moves aside within the frame, a thin line back to where the run ended.
        if plot.series.count > 1 {
            var taken: [(Double, Double)] = plot.minimum.map { [(x($0.x), y($0.y))] } ?? []
            for (k, p) in ends.sorted(by: { $0.0 < $1.0 })
            where x(p.x) >= left && x(p.x) <= left + w
                && y(p.y) >= top && y(p.y) <= top + h
            {
                let colour = SVGRenderer.colours[k % SVGRenderer.colours.count]
                let (px, py) = (x(p.x), y(p.y))
                // The nearest place inside the frame that covers no other mark.
                let offsets: [(Double, Double)] = [
                    (0, 0), (13, 13), (-13, 13), (13, -13), (-13, -13), (26, 0), (-26, 0), (0, 26), (0, -26),
                    (26, 26), (-26, 26), (26, -26), (-26, -26),
                ]
                let place =
                    offsets.map { (px + $0.0, py + $0.1) }.first { c in
                        c.0 >= left + 7 && c.0 <= left + w - 7 && c.1 >= top + 7 && c.1 <= top + h - 7
                            && !taken.contains { abs($0.0 - c.0) < 13 && abs($0.1 - c.1) < 13 }
                    } ?? (px, py)
                let (cx, cy) = place
                taken.append((cx, cy))
                let leader =
                    (cx, cy) == (px, py)
                    ? ""
                    : "<line x1=\"\(n(px))\" y1=\"\(n(py))\" x2=\"\(n(cx))\" y2=\"\(n(cy))\" stroke=\"\(colour)\"/>"
                body.append(
                    "<g class=\"end\">\(leader)<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"6.5\" fill=\"\(colour)\" stroke=\"white\"/>"
                        + "<text x=\"\(n(cx))\" y=\"\(n(cy + 3.5))\" text-anchor=\"middle\" font-size=\"9\" font-weight=\"bold\" fill=\"white\">\(k + 1)</text></g>"
                )
            }
        }
        // Title and legend, in the terminal's words.
        let title = SVGRenderer.escape(plotTitle(plot, terminal))
        body.append("<text x=\"\(n(frameLeft))\" y=\"22\" font-size=\"14\" font-weight=\"bold\">\(title)</text>")
        for (r, row) in legendRows.enumerated() {
            let ly = height - bottom + 38 + 17 * Double(r)
            for item in row {
                let text = SVGRenderer.escape(item.text)
                if item.series >= 0 {
                    let colour = SVGRenderer.colours[item.series % SVGRenderer.colours.count]
                    let dash = item.series == 0 ? "" : " stroke-dasharray=\"\(6 + 2 * item.series),\(3 + item.series)\""
                    body.append(
                        "<line x1=\"\(n(item.x))\" y1=\"\(n(ly - 4))\" x2=\"\(n(item.x + 18))\" y2=\"\(n(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash)/>"
                            + "<text x=\"\(n(item.x + 23))\" y=\"\(n(ly))\">\(text)</text>")
                } else {
                    body.append("<text x=\"\(n(item.x))\" y=\"\(n(ly))\">\(text)</text>")
                }
            }
        }
        // A title and a text alternative, for a screen reader and for a reader of the page's source.
        let description = SVGRenderer.escape(
            ([plotTitle(plot, terminal)] + items.map(\.1)).joined(separator: "; "))
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11" role="img" aria-labelledby="\(idPrefix)-title \(idPrefix)-desc">
            <title id="\(idPrefix)-title">\(title)</title>
            <desc id="\(idPrefix)-desc">\(description)</desc>
            <defs><clipPath id="\(idPrefix)-area"><rect x="\(n(left))" y="\(n(top))" width="\(n(w))" height="\(n(h))"/></clipPath><marker id="\(idPrefix)-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#111"/></marker></defs>
            <rect width="100%" height="100%" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }

    private func plotTitle(_ plot: Plot, _ terminal: TerminalRenderer) -> String {
        switch plot.kind {
        case .path:
            return "θ's path on the level curves of f" + (plot.series.count > 1 ? ", one path per optimizer" : "")
                + (plot.stepsApart.map { " (a point every \($0) steps)" } ?? "")
        case .overTime: return terminal.overTimeTitle(plot)
        }
    }

    /// About how wide a legend item is drawn, in pixels (its swatch and its text).
    private func legendWidth(_ item: (series: Int, text: String, x: Double)) -> Double {
        (item.series >= 0 ? 23 : 0) + Double(item.text.count) * 6.8
    }

    /// Marching squares over the grid: for each level, the segments where f crosses it.
    func levelSegments(_ field: LevelField) -> [[(PlotPoint, PlotPoint)]] {
        // Every other grid point: smooth enough at this size, and a quarter of the segments.
        let grid = field.values.enumerated().filter { $0.offset % 2 == 0 }.map { row in
            row.element.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        }
        let field = LevelField(x: field.x, y: field.y, values: grid, levels: field.levels)
        let rows = field.values.count, cols = field.values.first?.count ?? 0
        guard rows > 1, cols > 1 else { return [] }
        func point(_ c: Double, _ r: Double) -> PlotPoint {
            PlotPoint(
                field.x.lowerBound + (field.x.upperBound - field.x.lowerBound) * c / Double(cols - 1),
                field.y.lowerBound + (field.y.upperBound - field.y.lowerBound) * r / Double(rows - 1))
        }
        return field.levels.map { level in
            var segments: [(PlotPoint, PlotPoint)] = []
            for r in 0..<(rows - 1) {
                for c in 0..<(cols - 1) {
                    // Corners counter-clockwise from the bottom left, with the edge crossings between them.
                    let v = [
                        field.values[r][c], field.values[r][c + 1], field.values[r + 1][c + 1], field.values[r + 1][c],
                    ]
                    guard v.allSatisfy(\.isFinite) else { continue }
                    let corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
                    var crossings: [PlotPoint] = []
                    for k in 0..<4 {
                        let a = v[k], b = v[(k + 1) % 4]
                        if (a < level) != (b < level) {
                            let f = (level - a) / (b - a)
                            let (c0, r0) = corners[k], (c1, r1) = corners[(k + 1) % 4]
                            crossings.append(point(Double(c) + c0 + (c1 - c0) * f, Double(r) + r0 + (r1 - r0) * f))
                        }
                    }
                    if crossings.count == 2 { segments.append((crossings[0], crossings[1])) }
                    if crossings.count == 4 {
                        segments.append((crossings[0], crossings[1]))
                        segments.append((crossings[2], crossings[3]))
                    }
                }
            }
            return segments
        }
    }

    /// What `export` writes: the plot as SVG, its series (or the run's history) as CSV or JSON.
    public func export(_ request: ExportRequest) -> String {
        let terminal = TerminalRenderer(style: Style(precision: 17))
        switch request.format {
        case .svg:
            return request.plot.map(render) ?? ""
        case .csv:
            if let plot = request.plot {
                var rows = ["series,x,y"]
                for s in plot.series {
                    let name = DataText.csvField(terminal.seriesName(s.label), quoted: true)
                    for p in s.points { rows.append("\(name),\(DataText.number(p.x)),\(DataText.number(p.y))") }
                }
                return rows.joined(separator: "\n") + "\n"
            }
            let quantities = historyQuantities(request.history)
            var header = ["t"]
            for (q, count) in quantities {
                header += count == 1 ? [q.machineName] : (0..<count).map { "\(q.machineName)[\($0)]" }
            }
            var rows = [header.joined(separator: ",")]
            for r in request.history {
                var row = ["\(r.t)"]
                for (q, count) in quantities {
                    let values = r[q] ?? []
                    row += (0..<count).map { $0 < values.count ? DataText.number(values[$0]) : "" }
                }
                rows.append(row.joined(separator: ","))
            }
            return rows.joined(separator: "\n") + "\n"
        case .json:
            var object: [String: Any] = [
                "optimizer": request.spec.fullDescription, "objective": request.objective.description,
            ]
            if let plot = request.plot {
                object["plot"] = plot.series.map { s in
                    ["series": terminal.seriesName(s.label), "points": s.points.map { [$0.x, $0.y] }] as [String: Any]
                }
            } else {
                object["steps"] = request.history.map { r -> [String: Any] in
                    var step: [String: Any] = ["t": r.t]
                    for q in r.quantities where q != .t {
                        step[q.machineName] = r[q].map { $0.count == 1 && q.isScalar ? $0[0] as Any : $0 as Any }
                    }
                    return step
                }
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: sanitize(object), options: [.prettyPrinted, .sortedKeys]))
                ?? Data("{}".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// The quantities a history holds, with how many numbers each has, in the records' order.
    private func historyQuantities(_ history: [StepRecord<Double>]) -> [(Quantity, Int)] {
        guard let first = history.first else { return [] }
        return first.quantities.filter { $0 != .t }.compactMap { q in first[q].map { (q, $0.count) } }
    }

    /// JSON has no NaN or infinity: those become null.
    private func sanitize(_ value: Any) -> Any {
        switch value {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let a as [Any]: return a.map(sanitize)
        case let o as [String: Any]: return o.mapValues(sanitize)
        default: return value
        }
    }
}
