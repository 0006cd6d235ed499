// The parts of an SVG plot: its frame, level curves, axes, series, landmarks, end markers and legend.

import AdamLabCore
import AdamLabSession
import Foundation

/// Where a plot's data goes in the picture: the frame's place and size, and the data's box.
struct SVGFrame {
    var left: Double, top: Double, w: Double, h: Double
    let bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>)
    let logY: Bool

    // A point far outside the box (a run that blew up) is held a few thousand pixels out: clipped
    // away either way, its line still leaves the frame in the right direction.
    private func held(_ v: Double) -> Double { Swift.max(-1e4, Swift.min(1e4, v)) }

    func x(_ v: Double) -> Double {
        held(left + (v - bounds.x.lowerBound) / (bounds.x.upperBound - bounds.x.lowerBound) * w)
    }

    func y(_ v: Double) -> Double {
        let u = logY ? log10(v) : v
        return held(top + (bounds.y.upperBound - u) / (bounds.y.upperBound - bounds.y.lowerBound) * h)
    }

    func usable(_ p: PlotPoint) -> Bool { p.x.isFinite && p.y.isFinite && (!logY || p.y > 0) }
}

extension SVGRenderer {
    func n(_ x: Double) -> String { String(format: "%.2f", x) }
    /// Level curves need less: a tenth of a pixel.
    func n1(_ x: Double) -> String { String(format: "%.1f", x) }

    typealias LegendItem = (series: Int, text: String, x: Double)

    /// The legend in rows that fit the picture: each series (its number, name and where it ended),
    /// then a path's notes, never run together.
    func legend(_ plot: Plot, _ terminal: TerminalRenderer) -> (items: [(Int, String)], rows: [[LegendItem]]) {
        let items =
            (plot.series.count > 1
                ? plot.series.enumerated().map { k, s in
                    (
                        k,
                        "\(k + 1) " + terminal.seriesName(s.label)
                            + ((plot.title == .ends ? nil : terminal.endNote(s, limit: plot.yLimit)).map { " → " + $0 }
                                ?? "")
                    )
                } : []) + (plot.kind == .path ? terminal.pathNotes(plot).map { (-1, $0) } : [])
        var rows: [[LegendItem]] = []
        for (k, text) in items {
            let itemWidth = (k >= 0 ? 23.0 : 0) + Double(text.count) * 6.8
            if var row = rows.last, let last = row.last,
                last.x + legendWidth(last) + 18 + itemWidth <= width - SVGRenderer.frameLeft - SVGRenderer.frameRight
            {
                row.append((k, text, last.x + legendWidth(last) + 18))
                rows[rows.count - 1] = row
            } else {
                rows.append([(k, text, SVGRenderer.frameLeft)])
            }
        }
        return (items, rows)
    }

    /// About how wide a legend item is drawn, in pixels (its swatch and its text).
    func legendWidth(_ item: LegendItem) -> Double {
        (item.series >= 0 ? 23 : 0) + Double(item.text.count) * 6.8
    }

    /// The frame above a legend `bottom` high; a path's is as long across as up per unit.
    func frame(_ plot: Plot, bottom: Double) -> SVGFrame {
        let bounds = plot.bounds
        var f = SVGFrame(
            left: SVGRenderer.frameLeft, top: SVGRenderer.frameTop,
            w: width - SVGRenderer.frameLeft - SVGRenderer.frameRight, h: height - SVGRenderer.frameTop - bottom,
            bounds: bounds, logY: plot.logY)
        if plot.kind == .path {
            // One unit is as long across as up, so a step meets the level curves at the angle it really does.
            let xs = bounds.x.upperBound - bounds.x.lowerBound, ys = bounds.y.upperBound - bounds.y.lowerBound
            let scale = min(f.w / xs, f.h / ys)
            let (fw, fh) = (xs * scale, ys * scale)
            f.left += (f.w - fw) / 2
            f.top += (f.h - fh) / 2
            (f.w, f.h) = (fw, fh)
        }
        return f
    }

    func levelCurves(_ field: LevelField, _ f: SVGFrame) -> [String] {
        levelSegments(field).enumerated().compactMap { k, segments in
            guard !segments.isEmpty else { return nil }
            let d = segments.map { s in
                "M\(n1(f.x(s.0.x))) \(n1(f.y(s.0.y)))L\(n1(f.x(s.1.x))) \(n1(f.y(s.1.y)))"
            }.joined()
            let shade = 200 - 12 * (field.levels.count - k)
            return "<path d=\"\(d)\" fill=\"none\" stroke=\"rgb(\(shade),\(shade),\(shade))\" stroke-width=\"1\"/>"
        }
    }

    /// Ticks, their labels (one format an axis) and the grid lines.
    func axes(_ plot: Plot, _ f: SVGFrame) -> [String] {
        var out: [String] = []
        let yTicks = plot.logY ? logTicks(f.bounds.y) : niceTicks(f.bounds.y, count: 5)
        let yFormat = tickFormat(yTicks)
        for t in yTicks {
            let v = plot.logY ? pow(10, t) : t
            let label =
                plot.logY
                ? "10<tspan dy=\"-5\" font-size=\"9\">\(Int(t.rounded()))</tspan>"
                : yFormat(t)
            out.append(
                "<line x1=\"\(n(f.left - 4))\" y1=\"\(n(f.y(v)))\" x2=\"\(n(f.left + f.w))\" y2=\"\(n(f.y(v)))\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"\(n(f.left - 7))\" y=\"\(n(f.y(v) + 4))\" text-anchor=\"end\">\(label)</text>")
        }
        let xTicks =
            plot.logX
            ? logTicks(f.bounds.x) : niceTicks(f.bounds.x, count: 6, whole: plot.kind == .overTime && plot.xName == nil)
        let plain = tickFormat(xTicks)
        let xFormat = { (t: Double) in
            plot.logX ? "10<tspan dy=\"-5\" font-size=\"9\">\(Int(t.rounded()))</tspan>" : plain(t)
        }
        for t in xTicks {
            out.append(
                "<line x1=\"\(n(f.x(t)))\" y1=\"\(n(f.top + f.h))\" x2=\"\(n(f.x(t)))\" y2=\"\(n(f.top + f.h + 4))\" stroke=\"#777\"/>"
                    + "<text x=\"\(n(f.x(t)))\" y=\"\(n(f.top + f.h + 17))\" text-anchor=\"middle\">\(xFormat(t))</text>"
            )
        }
        return out
    }

    /// The series, the longest first, so a short one lying on it is drawn on top and still shows; and
    /// where each ended.
    func seriesLines(_ plot: Plot, _ f: SVGFrame) -> (lines: [String], ends: [(Int, PlotPoint)]) {
        let drawn = plot.series.enumerated().map { k, series in
            (k, series.downsampled(buckets: Int(f.w)).points.filter(f.usable))
        }
        var lines: [String] = []
        var ends: [(Int, PlotPoint)] = []
        // A race's series stay in order (the starts first); otherwise the longest first.
        let order = plot.title == .ends ? drawn : drawn.sorted(by: { $0.1.count > $1.1.count })
        for (k, points) in order {
            guard let last = points.last else { continue }
            ends.append((k, last))
            let colour = SVGRenderer.colours[k % SVGRenderer.colours.count]
            if points.count == 1 {
                lines.append(
                    "<circle cx=\"\(n(f.x(points[0].x)))\" cy=\"\(n(f.y(points[0].y)))\" r=\"3\" fill=\"\(colour)\"/>")
                continue
            }
            if plot.title == .ends {
                // Many runs' starts (hollow) and ends (filled), each a mark large enough to see.
                lines.append(
                    points.map {
                        k == 0
                            ? "<circle cx=\"\(n(f.x($0.x)))\" cy=\"\(n(f.y($0.y)))\" r=\"3\" fill=\"white\" stroke=\"\(colour)\" stroke-width=\"1.4\"/>"
                            : "<circle cx=\"\(n(f.x($0.x)))\" cy=\"\(n(f.y($0.y)))\" r=\"\(n(5.5 - Double(k)))\" fill=\"\(colour)\" stroke=\"white\"/>"
                    }.joined())
                continue
            }
            if plot.series[k].sampled {
                // Samples far apart are dots: a line between them would invent the path in between.
                lines.append(
                    points.map {
                        "<circle cx=\"\(n(f.x($0.x)))\" cy=\"\(n(f.y($0.y)))\" r=\"1.6\" fill=\"\(colour)\"/>"
                    }.joined())
                continue
            }
            let list = points.map { "\(n(f.x($0.x))),\(n(f.y($0.y)))" }.joined(separator: " ")
            // Later series are dashed, so one lying on another still shows.
            let dash = k == 0 ? "" : " stroke-dasharray=\"\(6 + 2 * k),\(3 + k)\""
            lines.append(
                "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\"\(dash)/>")
        }
        return (lines, ends)
    }

    /// The arrows, θ now, the start and the minimum.
    func landmarks(_ plot: Plot, _ f: SVGFrame) -> [String] {
        var out: [String] = []
        for a in plot.arrows where f.usable(a.from) && f.usable(a.to) {
            out.append(
                "<line x1=\"\(n(f.x(a.from.x)))\" y1=\"\(n(f.y(a.from.y)))\" x2=\"\(n(f.x(a.to.x)))\" y2=\"\(n(f.y(a.to.y)))\" stroke=\"#111\" stroke-width=\"1.4\" marker-end=\"url(#\(idPrefix)-head)\"/>"
            )
        }
        if let e = plot.end {
            out.append("<circle cx=\"\(n(f.x(e.x)))\" cy=\"\(n(f.y(e.y)))\" r=\"4\" fill=\"#111\"/>")
        }
        if let s = plot.start {
            out.append(
                "<circle cx=\"\(n(f.x(s.x)))\" cy=\"\(n(f.y(s.y)))\" r=\"4.5\" fill=\"white\" stroke=\"#111\" stroke-width=\"1.5\"/>"
            )
        }
        for m in [plot.minimum].compactMap({ $0 }) + plot.otherMinima {
            let cx = f.x(m.x), cy = f.y(m.y)
            let star = (0..<10).map { k -> String in
                let r = k % 2 == 0 ? 7.0 : 3.0, a = Double.pi / 5 * Double(k) - Double.pi / 2
                return "\(n(cx + r * cos(a))),\(n(cy + r * sin(a)))"
            }.joined(separator: " ")
            out.append("<polygon points=\"\(star)\" fill=\"#f1c40f\" stroke=\"#7d6608\"/>")
        }
        return out
    }

    /// Each series' end, marked with its number in its colour; a marker that would cover the minimum
    /// or another marker moves aside within the frame, a thin line back to where the run ended.
    func endMarkers(_ ends: [(Int, PlotPoint)], _ plot: Plot, _ f: SVGFrame) -> [String] {
        var out: [String] = []
        var taken: [(Double, Double)] = plot.minimum.map { [(f.x($0.x), f.y($0.y))] } ?? []
        let offsets: [(Double, Double)] = [
            (0, 0), (13, 13), (-13, 13), (13, -13), (-13, -13), (26, 0), (-26, 0), (0, 26), (0, -26),
            (26, 26), (-26, 26), (26, -26), (-26, -26),
        ]
        for (k, p) in ends.sorted(by: { $0.0 < $1.0 })
        where f.x(p.x) >= f.left && f.x(p.x) <= f.left + f.w && f.y(p.y) >= f.top && f.y(p.y) <= f.top + f.h {
            let colour = SVGRenderer.colours[k % SVGRenderer.colours.count]
            let (px, py) = (f.x(p.x), f.y(p.y))
            // The nearest place inside the frame that covers no other mark.
            let (cx, cy) =
                offsets.map { (px + $0.0, py + $0.1) }.first { c in
                    c.0 >= f.left + 7 && c.0 <= f.left + f.w - 7 && c.1 >= f.top + 7 && c.1 <= f.top + f.h - 7
                        && !taken.contains { abs($0.0 - c.0) < 13 && abs($0.1 - c.1) < 13 }
                } ?? (px, py)
            taken.append((cx, cy))
            let leader =
                (cx, cy) == (px, py)
                ? "" : "<line x1=\"\(n(px))\" y1=\"\(n(py))\" x2=\"\(n(cx))\" y2=\"\(n(cy))\" stroke=\"\(colour)\"/>"
            out.append(
                "<g class=\"end\">\(leader)<circle cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"6.5\" fill=\"\(colour)\" stroke=\"white\"/>"
                    + "<text x=\"\(n(cx))\" y=\"\(n(cy + 3.5))\" text-anchor=\"middle\" font-size=\"9\" font-weight=\"bold\" fill=\"white\">\(k + 1)</text></g>"
            )
        }
        return out
    }

    /// The legend's rows, from `top` down.
    func legendText(_ rows: [[LegendItem]], top: Double) -> [String] {
        var out: [String] = []
        for (r, row) in rows.enumerated() {
            let ly = top + 17 * Double(r)
            for item in row {
                let text = SVGRenderer.escape(item.text)
                guard item.series >= 0 else {
                    out.append("<text x=\"\(n(item.x))\" y=\"\(n(ly))\">\(text)</text>")
                    continue
                }
                let colour = SVGRenderer.colours[item.series % SVGRenderer.colours.count]
                let dash = item.series == 0 ? "" : " stroke-dasharray=\"\(6 + 2 * item.series),\(3 + item.series)\""
                out.append(
                    "<line x1=\"\(n(item.x))\" y1=\"\(n(ly - 4))\" x2=\"\(n(item.x + 18))\" y2=\"\(n(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2.5\"\(dash)/>"
                        + "<text x=\"\(n(item.x + 23))\" y=\"\(n(ly))\">\(text)</text>")
            }
        }
        return out
    }
}
