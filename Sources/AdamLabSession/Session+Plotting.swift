// Plotting: `plot loss|path|QUANTITY` and `export svg|csv|json FILE`. The session gives the plot's
// numbers; a renderer draws them (and renders an export's bytes, which the session writes).

import AdamLabCore
import Foundation

/// What `plot` is asked for.
public enum PlotRequest: Equatable, Sendable {
    case loss
    case path
    case quantity(Quantity)
    /// Chosen coordinates of several quantities on one plot: `plot g[0] m_hat[0] grad_f[0]`.
    case coordinates([(Quantity, Int)])

    public static func == (a: PlotRequest, b: PlotRequest) -> Bool {
        switch (a, b) {
        case (.loss, .loss), (.path, .path): return true
        case (.quantity(let x), .quantity(let y)): return x == y
        case (.coordinates(let x), .coordinates(let y)): return x.elementsEqual(y) { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// The file formats of `export`.
public enum ExportFormat: String, CaseIterable, Sendable {
    case svg, csv, json
}

/// What an export holds: the last plot, or (without one, for csv and json) the run's history.
public struct ExportRequest: Sendable {
    public var format: ExportFormat
    public var plot: Plot?
    public var history: [StepRecord<Double>]
    public var spec: OptimizerSpec
    public var objective: Objective
}

extension Session {
    func plot(_ request: PlotRequest, drawing: PlotDrawing?) throws {
        var p = try makePlot(request)
        p.drawing = drawing
        lastPlot = p
        emit(.plot(p))
    }

    /// The numbers of a plot of this run.
    public func makePlot(_ request: PlotRequest) throws -> Plot {
        switch request {
        case .loss:
            guard !history.isEmpty else {
                throw SessionError("no steps yet; `step` or `run N` first, then `plot loss`")
            }
            // Every step's f(θₜ₋₁) while the log is whole, then f now.
            if let log = lossLog, log.count == run.t {
                var points = log.enumerated().map { PlotPoint(Double($0.offset), $0.element) }
                points.append(PlotPoint(Double(run.t), run.loss))
                return Plot(
                    kind: .overTime, series: [PlotSeries(label: .loss, points: points)],
                    logY: wantsLogScale(points.map(\.y)), title: .loss)
            }
            // Else f(θ₀), then f(θₜ₋₁) of each recorded step (a very long run keeps only some), then f now.
            var points = [PlotPoint(0, objective.value(start))]
            for r in history {
                if let loss = r.scalars[.loss], Double(r.t - 1) > points.last!.x {
                    points.append(PlotPoint(Double(r.t - 1), loss))
                }
            }
            if Double(run.t) > points.last!.x { points.append(PlotPoint(Double(run.t), run.loss)) }
            var p = Plot(
                kind: .overTime, series: [PlotSeries(label: .loss, points: points)],
                logY: wantsLogScale(points.map(\.y)), title: .loss)
            p.stepsApart = historySpacing
            return p
        case .quantity(let q):
            guard let first = history.first else {
                throw SessionError("no steps yet; `step` or `run N` first, then `plot \(q.machineName)`")
            }
            guard first[q] != nil else {
                throw SessionError(
                    "\(lastStepSpec.kind.rawValue) has no \(q.machineName); it has: \(first.quantities.map(\.machineName).joined(separator: " "))"
                )
            }
            let n = min(first[q]?.count ?? 0, 8)
            if q == .theta {
                // θ over t is where each step left it, from θ₀ at t = 0 to θ now.
                let series = (0..<n).map { i in
                    PlotSeries(
                        label: .quantity(.thetaNext, coordinate: n > 1 ? i : nil),
                        points: [PlotPoint(0, start[i])]
                            + history.compactMap { r in r[.thetaNext].map { PlotPoint(Double(r.t), $0[i]) } })
                }
                var p = Plot(
                    kind: .overTime, series: series, logY: false, title: .quantity(.thetaNext, coordinate: nil))
                p.stepsApart = historySpacing
                p.coordinatesLeftOut = (first[q]?.count ?? 0) - n
                return p
            }
            let series = (0..<n).map { i in
                PlotSeries(
                    label: .quantity(q, coordinate: q.isScalar ? nil : i),
                    points: history.compactMap { r in
                        r[q].flatMap { i < $0.count ? PlotPoint(Double(r.t), $0[i]) : nil }
                    })
            }
            var p = Plot(
                kind: .overTime, series: series, logY: wantsLogScale(series.flatMap(\.points).map(\.y)),
                title: .quantity(q, coordinate: nil))
            p.stepsApart = historySpacing
            p.coordinatesLeftOut = (first[q]?.count ?? 0) - n
            return p
        case .coordinates(let picked):
            guard let first = history.first else {
                throw SessionError("no steps yet; `step` or `run N` first, then `plot` what you chose")
            }
            for (q, i) in picked {
                guard let values = first[q] else {
                    throw SessionError(
                        "\(lastStepSpec.kind.rawValue) has no \(q.machineName); it has: \(first.quantities.map(\.machineName).joined(separator: " "))"
                    )
                }
                guard i < values.count else {
                    throw SessionError(
                        "\(q.machineName)[\(i)] does not exist: \(q.machineName) has \(values.count) coordinate\(values.count == 1 ? "" : "s") (they count from 0)"
                    )
                }
            }
            let series = picked.map { q, i in
                PlotSeries(
                    label: .quantity(q, coordinate: q.isScalar ? nil : i),
                    points: history.compactMap { r in
                        r[q].flatMap { i < $0.count ? PlotPoint(Double(r.t), $0[i]) : nil }
                    })
            }
            var qs: [Quantity] = []
            for (q, _) in picked where !qs.contains(q) { qs.append(q) }
            var p = Plot(
                kind: .overTime, series: series, logY: wantsLogScale(series.flatMap(\.points).map(\.y)),
                title: .quantities(qs))
            p.stepsApart = historySpacing
            return p
        case .path:
            guard run.theta.count == 2 else {
                // One coordinate's path is θ over t; more than two have no picture in a plane.
                guard run.theta.count == 1 else {
                    throw SessionError(
                        "plot path needs two coordinates and θ has \(run.theta.count); `plot theta` draws each over t")
                }
                guard !history.isEmpty else {
                    throw SessionError("no steps yet; `step` or `run N` first, then `plot path`")
                }
                return try makePlot(.quantity(.theta))
            }
            let path = [start] + history.compactMap { $0.vectors[.theta] }.filter { $0 != start } + [run.theta]
            var p = try pathPlot(
                paths: [PlotSeries(label: .path, points: path.map { PlotPoint($0[0], $0[1]) })], arrows: arrows(),
                title: .path)
            if run.t > 0 { p.end = PlotPoint(run.theta[0], run.theta[1]) }
            p.stepsApart = historySpacing
            if p.stepsApart != nil { p.series[0].sampled = true }
            return p
        }
    }

    /// How many steps apart the recorded steps mostly are, when that is more than one (a long run
    /// keeps one step in so many): a plot of them says so.
    var historySpacing: Int? {
        let gaps = zip(history.dropFirst(), history).map { $0.t - $1.t }
        guard gaps.contains(where: { $0 > 1 }) else { return nil }
        var counts: [Int: Int] = [:]
        for g in gaps { counts[g, default: 0] += 1 }
        return counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
    }

    /// Up to six update vectors, at recorded steps spread evenly over t; a step that did not move has none.
    func arrows() -> [PlotArrow] {
        let steps = history.filter { r in
            guard let a = r.vectors[.theta], let b = r.vectors[.thetaNext] else { return false }
            return a != b
        }
        guard let first = steps.first, let last = steps.last else { return [] }
        var picked: [StepRecord<Double>] = []
        for k in 0..<6 {
            let t = Double(first.t) + Double(last.t - first.t) * Double(k) / 5
            if let r = steps.min(by: { abs(Double($0.t) - t) < abs(Double($1.t) - t) }), picked.last?.t != r.t {
                picked.append(r)
            }
        }
        return picked.map { r in
            let a = r.vectors[.theta]!, b = r.vectors[.thetaNext]!
            return PlotArrow(t: r.t, from: PlotPoint(a[0], a[1]), to: PlotPoint(b[0], b[1]))
        }
    }

    /// Paths on the level curves of the objective over a box around them, the start and the minimum.
    func pathPlot(paths: [PlotSeries], arrows: [PlotArrow], title: PlotSeries.Label) throws -> Plot {
        guard run.theta.count == 2 else {
            throw SessionError("plot path needs two coordinates and θ has \(run.theta.count); try `plot loss`")
        }
        let minimum = objective.knownMinimum(dimension: 2).map { PlotPoint($0[0], $0[1]) }
        // A run that blew up leaves the box rather than setting it (unless every run did).
        let framing = paths.contains { $0.divergedAt == nil } ? paths.filter { $0.divergedAt == nil } : []
        var points = framing.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
        points.append(PlotPoint(start[0], start[1]))
        // The minimum is in the box when it is near the path (not when the path went far away from it).
        var box = Self.box(points)
        if let minimum, Self.box(points + [minimum]).area <= 16 * max(box.area, 1e-12) {
            points.append(minimum)
            box = Self.box(points)
        }
        // Widened (or heightened) to 1.6 : 1, the shape the renderers draw in, so that with the same
        // scale across and up the level curves still fill the frame.
        let xs = box.x.upperBound - box.x.lowerBound, ys = box.y.upperBound - box.y.lowerBound
        if xs < 1.6 * ys {
            let grow = (1.6 * ys - xs) / 2
            box.x = (box.x.lowerBound - grow)...(box.x.upperBound + grow)
        } else {
            let grow = (xs / 1.6 - ys) / 2
            box.y = (box.y.lowerBound - grow)...(box.y.upperBound + grow)
        }
        let field = levelField(x: box.x, y: box.y)
        return Plot(
            kind: .path, series: paths, field: field, arrows: arrows, start: PlotPoint(start[0], start[1]),
            minimum: minimum.flatMap { box.x.contains($0.x) && box.y.contains($0.y) ? $0 : nil }, title: title)
    }

    /// A box around `points` with 12% margin, never of zero size.
    static func box(_ points: [PlotPoint]) -> (x: ClosedRange<Double>, y: ClosedRange<Double>, area: Double) {
        func range(_ v: [Double]) -> ClosedRange<Double> {
            let lo = v.min() ?? -1, hi = v.max() ?? 1
            let span = hi > lo ? hi - lo : max(1, abs(lo))
            return (lo - 0.12 * span)...(hi + 0.12 * span)
        }
        let x = range(points.map(\.x)), y = range(points.map(\.y))
        return (x, y, (x.upperBound - x.lowerBound) * (y.upperBound - y.lowerBound))
    }

    /// f on a 97 × 97 grid and ten levels at the grid's deciles: equal area between curves, so a
    /// flat valley gets as many curves as the steep walls.
    func levelField(x: ClosedRange<Double>, y: ClosedRange<Double>) -> LevelField {
        let n = 97
        var values: [[Double]] = []
        for r in 0..<n {
            let yv = y.lowerBound + (y.upperBound - y.lowerBound) * Double(r) / Double(n - 1)
            values.append(
                (0..<n).map { c in
                    let xv = x.lowerBound + (x.upperBound - x.lowerBound) * Double(c) / Double(n - 1)
                    return objective.value([xv, yv])
                })
        }
        let sorted = values.flatMap { $0 }.filter(\.isFinite).sorted()
        var levels: [Double] = []
        if !sorted.isEmpty {
            for k in 1...10 {
                let v = sorted[min(sorted.count - 1, sorted.count * k / 11)]
                if levels.last.map({ v > $0 }) ?? true { levels.append(v) }
            }
        }
        return LevelField(x: x, y: y, values: values, levels: levels)
    }

    func export(_ format: ExportFormat, _ path: String) throws {
        if format != .svg && lastPlot == nil && history.isEmpty {
            throw SessionError(
                "export \(format.rawValue) writes the last plot or the run's steps, and there are neither yet; `step` first"
            )
        }
        if format == .svg && lastPlot == nil {
            throw SessionError("export svg writes the last plot, and there is none yet; `plot loss` first")
        }
        guard let exporter else { throw SessionError("export is not available here") }
        let text = exporter(
            ExportRequest(format: format, plot: lastPlot, history: history, spec: lastStepSpec, objective: objective))
        do { try writeFile(path, text) } catch {
            throw SessionError("cannot write \(path): \(plainReason(error))")
        }
        emit(.exported(path: path, bytes: text.utf8.count, what: lastPlot == nil ? .history : .plot))
    }
}
