// `compare … starts=N`: a fair race from many starts, as seed 003 draws them (Latin hypercube).

import AdamLabCore
import Foundation

/// The options of a race from many starts: how many, the box they are drawn in, the seed, and how near
/// a global minimum an end must be to count.
struct StartsRequest {
    var count: Int
    var box: ClosedRange<Double>
    var seed: UInt64
    var radius: Double

    /// The most starts, and the most steps of all runs together.
    static let counts = 1...1000
    static let work = 100_000_000

    mutating func read(_ token: SpecToken, in arg: CommandText) throws {
        let parts = token.text.split(separator: "=", maxSplits: 1).map(String.init)
        let key = parts[0].lowercased(), value = parts.count == 2 ? parts[1] : ""
        switch key {
        case "starts":
            guard let n = Int(value), StartsRequest.counts.contains(n) else {
                throw SessionError("starts= takes a whole number from 1 to 1000", at: arg.span(of: token))
            }
            count = n
        case "seed":
            guard let s = UInt64(value) else {
                throw SessionError("seed= takes a whole number from 0 to 2⁶⁴ − 1", at: arg.span(of: token))
            }
            seed = s
        case "near":
            guard let r = parseNumber(value), r > 0, r.isFinite else {
                throw SessionError("near= takes a positive distance, e.g. near=0.1", at: arg.span(of: token))
            }
            radius = r
        default:
            let ends = value.components(separatedBy: "..")
            guard ends.count == 2, let lo = parseNumber(ends[0]), let hi = parseNumber(ends[1]), lo.isFinite,
                hi.isFinite, lo < hi
            else {
                throw SessionError(
                    "box= is LO..HI with LO below HI, the same for every coordinate, e.g. box=-5..5",
                    at: arg.span(of: token))
            }
            box = lo...hi
        }
    }
}

extension Session {
    /// Each optimizer from every start; the table says how often each ended near a global minimum.
    func compareFromManyStarts(
        _ groups: [[SpecToken]], in arg: CommandText, steps: Int, many: StartsRequest, plot: Bool
    )
        throws
    {
        guard many.count * steps * groups.count <= StartsRequest.work else {
            throw SessionError("starts × steps × optimizers is at most 10⁸; take fewer of one", at: arg.span)
        }
        let specs = try groups.map { group -> OptimizerSpec in
            do { return try OptimizerSpec.parse(group.map(\.text).joined(separator: " ")) } catch let e as CoreError {
                throw SessionError(e.message, at: arg.span(of: group[0]))
            }
        }
        let dimension = start.count
        let starts = latinHypercube(count: many.count, dimension: dimension, box: many.box, seed: many.seed)
        let minima = objective.globalMinima(dimension: dimension)
        var rows: [ManyStarts.Row] = []
        var stopped = false
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        for spec in specs {
            var row = ManyStarts.Row(spec: spec, ends: [], losses: [], reached: 0, diverged: 0)
            for point in starts {
                if shouldStop() {
                    stopped = true
                    break
                }
                var r = try PrecisionRun(spec: spec, objective: objective, start: point)
                var blewUp = false
                do {
                    if try r.advance(steps: steps, shouldStop: shouldStop) < steps { stopped = true }
                } catch is Divergence { blewUp = true }
                if stopped { break }
                row.ends.append(r.theta)
                row.losses.append(blewUp ? .infinity : r.loss)
                if blewUp { row.diverged += 1 }
                if !blewUp, minima.contains(where: { distance($0, r.theta) <= many.radius }) { row.reached += 1 }
                line.update(
                    RunProgress(
                        t: rows.count * starts.count + row.ends.count, target: specs.count * starts.count, loss: r.loss)
                )
            }
            if stopped { break }
            rows.append(row)
        }
        line.clear()
        emit(
            .manyStarts(
                ManyStarts(
                    objective: objective, starts: starts, box: many.box, seed: many.seed, steps: steps,
                    radius: minima.isEmpty ? nil : many.radius, rows: rows, stopped: stopped)))
        guard plot, !rows.isEmpty else { return }
        // Where each optimizer's runs ended, as dots on the level curves; the starts as the first series.
        var series = [PlotSeries(label: .starts, points: starts.map { PlotPoint($0[0], $0[1]) })]
        series += rows.map { PlotSeries(label: .optimizer($0.spec), points: $0.ends.map { PlotPoint($0[0], $0[1]) }) }
        for k in series.indices {
            series[k].isPlanar = true
            series[k].sampled = true
        }
        var p = try pathPlot(paths: series, arrows: [], title: .ends)
        p.start = nil
        if minima.count > 1, p.minimum != nil {
            let field = p.field
            p.otherMinima = minima.dropFirst().map { PlotPoint($0[0], $0[1]) }.filter { m in
                field.map { $0.x.contains(m.x) && $0.y.contains(m.y) } ?? false
            }
        }
        lastPlot = p
        emit(.plot(p))
    }

    private func distance(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }
}
