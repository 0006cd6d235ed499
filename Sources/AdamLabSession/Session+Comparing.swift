// Comparing: `compare` and `conventions`.

import AdamLabCore
import Foundation

extension Session {
    func compare(_ arg: CommandText) throws {
        let (steps, tolerance, groups, plotKind, many) = try compareRequest(arg)
        if let many {
            try compareFromManyStarts(groups, in: arg, steps: steps, many: many, plot: plotKind != nil)
            return
        }
        var rows: [Comparison.Row] = []
        var curves: [PlotSeries] = []
        // At most about 2000 points a run: every step of a short run, evenly spaced ones of a long one.
        let every = max(1, steps / 2000)
        // A long compare shows how far it has got, as `run` does (Ctrl-C stops it at a completed step).
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        for group in groups {
            let (row, curve) = try compareRun(
                group, in: arg, steps: steps, tolerance: tolerance, plotKind: plotKind, every: every, line: &line)
            rows.append(row)
            curves.append(curve)
        }
        line.clear()
        emit(
            .comparison(Comparison(objective: objective, start: start, steps: steps, tolerance: tolerance, rows: rows)))
        switch plotKind {
        case .loss?:
            var p = Plot(
                kind: .overTime, series: curves, logY: wantsLogScale(curves.flatMap(\.points).map(\.y)), title: .loss)
            // A run that blew up is cut off at 10⁴ times the largest starting loss, so the others stay readable.
            let initial = curves.compactMap { $0.points.first?.y }.filter(\.isFinite).max() ?? 1
            let limit = 1e4 * max(abs(initial), 1e-12)
            if curves.contains(where: { $0.points.contains { $0.y > limit } }) { p.yLimit = limit }
            lastPlot = p
            emit(.plot(p))
        case .path?:
            let p = try pathPlot(paths: curves, arrows: [], title: .path)
            lastPlot = p
            emit(.plot(p))
        default:
            break
        }
    }

    /// `compare`'s arguments: the steps, the tolerance, one group of tokens per optimizer, the plot.
    private func compareRequest(_ arg: CommandText) throws -> (
        steps: Int, tolerance: Double, groups: [[SpecToken]], plotKind: PlotRequest?, many: StartsRequest?
    ) {
        var steps = 1000
        var tolerance = 1e-6
        var groups: [[SpecToken]] = []
        var plotKind: PlotRequest?
        var many = StartsRequest(count: 0, box: objective.searchBox, seed: 0, radius: 0.1)
        var manyOptions: [SpecToken] = []
        for token in tokenize(arg.text) {
            let lower = token.text.lowercased()
            if ["starts=", "box=", "seed=", "near="].contains(where: { lower.hasPrefix($0) }) {
                try many.read(token, in: arg)
                manyOptions.append(token)
            } else if lower == "plot" || lower == "plot=loss" {
                if plotKind == .path {
                    throw SessionError("compare draws one plot: `plot` (loss) or `plot=path`", at: arg.span(of: token))
                }
                plotKind = .loss
            } else if lower == "plot=path" {
                if plotKind == .loss {
                    throw SessionError("compare draws one plot: `plot` (loss) or `plot=path`", at: arg.span(of: token))
                }
                guard start.count == 2 else {
                    throw SessionError(
                        "plot=path needs two coordinates and θ has \(start.count); use `plot`", at: arg.span(of: token))
                }
                plotKind = .path
            } else if lower.hasPrefix("plot=") {
                throw SessionError(
                    "plot= takes loss or path, e.g. `compare adam sgd plot=path`", at: arg.span(of: token))
            } else if lower.hasPrefix("steps=") {
                guard let n = Int(token.text.dropFirst(6)), n >= 1, n <= 10_000_000 else {
                    throw SessionError("steps= takes a whole number from 1 to 10⁷", at: arg.span(of: token))
                }
                steps = n
            } else if lower.hasPrefix("tol=") {
                guard let t = parseNumber(String(token.text.dropFirst(4))), t > 0 else {
                    throw SessionError("tol= takes a positive number", at: arg.span(of: token))
                }
                tolerance = t
            } else if OptimizerKind(rawValue: lower) != nil || lower == "amsgrad" || !token.text.contains("=") {
                groups.append([token])
            } else if groups.isEmpty {
                throw SessionError("name an optimizer before its hyperparameters", at: arg.span(of: token))
            } else {
                groups[groups.count - 1].append(token)
            }
        }
        guard groups.count >= 1 else { throw SessionError("compare needs optimizers, e.g. `compare adam sgd lr=0.1`") }
        if many.count == 0, let first = manyOptions.first {
            throw SessionError(
                "\(first.text.split(separator: "=")[0])= is for many starts: add starts=N, e.g. `compare adam sgd starts=20`",
                at: arg.span(of: first))
        }
        if many.count > 0, plotKind == .loss,
            let token = tokenize(arg.text).first(where: { $0.text.lowercased().hasPrefix("plot") })
        {
            throw SessionError(
                "from many starts compare draws where each run ended: `plot=path`", at: arg.span(of: token))
        }
        return (steps, tolerance, groups, plotKind, many.count > 0 ? many : nil)
    }

    /// One optimizer of a `compare`, run from the start: its table row and its curve.
    private func compareRun(
        _ group: [SpecToken], in arg: CommandText, steps: Int, tolerance: Double, plotKind: PlotRequest?,
        every: Int, line: inout ProgressLine
    ) throws -> (Comparison.Row, PlotSeries) {
        let text = group.map(\.text).joined(separator: " ")
        let parsed: OptimizerSpec
        do { parsed = try OptimizerSpec.parse(text) } catch let e as CoreError {
            // The group was joined with single spaces: the error's token is the one its column falls in.
            let column = e.span?.column ?? 1
            var end = 0
            let token =
                group.first {
                    end += $0.text.count + 1
                    return column <= end
                } ?? group[0]
            throw SessionError(e.message, at: arg.span(of: token))
        }
        var r = try PrecisionRun(spec: parsed, objective: objective, start: start)
        var reached: Int?
        var status = Comparison.Row.Status.ok
        var points: [PlotPoint] = []
        func sample() {
            if plotKind == .path { points.append(PlotPoint(r.theta[0], r.theta[1])) }
            if plotKind == .loss { points.append(PlotPoint(Double(r.t), r.loss)) }
        }
        if plotKind != nil { sample() }
        do {
            while r.t < steps {
                if shouldStop() {
                    status = .stopped
                    break
                }
                try r.advance(steps: 1)
                if plotKind != nil && (r.t % every == 0 || r.t == steps) { sample() }
                if r.t % 4096 == 0 { line.update(RunProgress(t: r.t, target: steps, loss: r.loss)) }
                if reached == nil {
                    if norm(r.lossAndGradient.1) <= tolerance { reached = r.t }
                }
            }
        } catch let d as Divergence {
            status = .diverged(at: d.t)
        } catch let failure as CurvatureFailure {
            status = .noStep(at: failure.t)
        }
        var curve = PlotSeries(label: .optimizer(parsed), points: points)
        if case .diverged(let t) = status { curve.divergedAt = t }
        curve.isPlanar = plotKind == .path
        let (loss, g) = r.lossAndGradient
        return (
            Comparison.Row(
                spec: parsed, theta: r.theta, loss: loss, gradientNorm: norm(g), reached: reached, status: status),
            curve
        )
    }

    /// The last step (or, before any, the next one) recomputed under each library's formula, from the
    /// same state and with the hyperparameters that step was taken with.
    func conventions() throws {
        let base = beforeLast ?? run
        let t = base.t + 1
        let taken = lastRecord != nil
        let stepSpec = base.spec
        let distinct = OptimizerSpec.distinctConventions(for: stepSpec.kind)
        var rows: [ConventionComparison.Row] = []
        var paperUpdate: [Double]?
        for convention in distinct where distinct.count > 1 {
            var r = base
            try r.update(spec: stepSpec.switching(to: convention))
            let gradient = taken ? typedGradient(for: t) : pendingGradient
            guard let record = try? r.step(gradient: gradient) else {
                rows.append(
                    ConventionComparison.Row(
                        convention: convention, update: nil, thetaNext: nil, differenceFromPaper: nil))
                continue
            }
            let update = record.vectors[.update]!
            if convention == .paper { paperUpdate = update }
            let difference = paperUpdate.map { p in zip(update, p).map { abs($0 - $1) }.max() ?? 0 }
            rows.append(
                ConventionComparison.Row(
                    convention: convention, update: update, thetaNext: record.vectors[.thetaNext]!,
                    differenceFromPaper: difference))
        }
        emit(
            .conventions(
                ConventionComparison(
                    spec: stepSpec, t: t, taken: taken, changedSince: taken && stepSpec != spec, rows: rows)))
    }
}
