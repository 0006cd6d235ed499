// Plots as SVG: self-contained (no scripts, no fonts fetched), small, the same axes and ticks as in
// the terminal. Also what `export csv|json` writes.

import AdamLabCore
import AdamLabSession
import Foundation

public struct SVGRenderer {
    public let style: Style
    public var width = 640.0
    static let frameLeft = 64.0, frameRight = 30.0, frameTop = 34.0
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

    public func render(_ plot: Plot) -> String {
        // An SVG is drawn in Unicode whatever the terminal's style.
        var unicodeStyle = style
        unicodeStyle.unicode = true
        let terminal = TerminalRenderer(style: unicodeStyle)
        let (items, rows) = legend(plot, terminal)
        let bottom = 46.0 + 17 * Double(rows.count)
        let f = frame(plot, bottom: bottom)
        var body = [
            "<rect x=\"\(n(f.left))\" y=\"\(n(f.top))\" width=\"\(n(f.w))\" height=\"\(n(f.h))\" fill=\"#fcfcfc\" stroke=\"#999\"/>"
        ]
        // What is drawn inside the frame is clipped to it (a path may leave the box it was framed in).
        var inside = plot.field.map { levelCurves($0, f) } ?? []
        body += axes(plot, f)
        let (lines, ends) = seriesLines(plot, f)
        // A race's ends go over the minima they reached (each star still shows around them).
        let racing = plot.title == .ends
        inside += racing ? Array(lines.prefix(1)) : lines
        body.append("<g clip-path=\"url(#\(idPrefix)-area)\">\n" + inside.joined(separator: "\n") + "\n</g>")
        body += landmarks(plot, f)
        if racing { body += lines.dropFirst() }
        if plot.series.count > 1, plot.title != .ends { body += endMarkers(ends, plot, f) }
        // Title and legend, in the terminal's words.
        let title = SVGRenderer.escape(plotTitle(plot, terminal))
        body.append(
            "<text x=\"\(n(SVGRenderer.frameLeft))\" y=\"22\" font-size=\"14\" font-weight=\"bold\">\(title)</text>")
        body += legendText(rows, top: height - bottom + 38)
        // A title and a text alternative, for a screen reader and for a reader of the page's source.
        let description = SVGRenderer.escape(([plotTitle(plot, terminal)] + items.map(\.1)).joined(separator: "; "))
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(width)) \(Int(height))" width="\(Int(width))" height="\(Int(height))" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11" role="img" aria-labelledby="\(idPrefix)-title \(idPrefix)-desc">
            <title id="\(idPrefix)-title">\(title)</title>
            <desc id="\(idPrefix)-desc">\(description)</desc>
            <defs><clipPath id="\(idPrefix)-area"><rect x="\(n(f.left))" y="\(n(f.top))" width="\(n(f.w))" height="\(n(f.h))"/></clipPath><marker id="\(idPrefix)-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#111"/></marker></defs>
            <rect width="100%" height="100%" fill="white"/>
            \(body.joined(separator: "\n"))
            </svg>
            """
    }

    private func plotTitle(_ plot: Plot, _ terminal: TerminalRenderer) -> String {
        switch plot.kind {
        case .path where plot.title == .ends:
            return "where each run ended, on the level curves of f"
        case .path:
            return "θ's path on the level curves of f" + (plot.series.count > 1 ? ", one path per optimizer" : "")
                + (plot.stepsApart.map { " (a point every \($0) steps)" } ?? "")
        case .overTime: return terminal.overTimeTitle(plot)
        }
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
