// `sweep`: one optimizer run from the same start for each value of one hyperparameter.

import AdamLabCore
import Foundation

extension Session {
    /// The grid's most values, and the most steps of all its runs together.
    static let sweepPoints = 2...100
    static let sweepWork = 100_000_000

    func sweep(_ arg: CommandText) throws {
        var steps = 1000
        var points = 9
        var logarithmic = false
        var plotted = false
        var range: (name: HyperparameterName, low: Double, high: Double, token: SpecToken)?
        var specTokens: [SpecToken] = []
        for token in tokenize(arg.text) {
            let lower = token.text.lowercased()
            if lower == "log" {
                logarithmic = true
            } else if lower == "plot" {
                plotted = true
            } else if lower.hasPrefix("steps=") {
                guard let n = Int(token.text.dropFirst(6)), n >= 1, n <= 1_000_000 else {
                    throw SessionError("steps= takes a whole number from 1 to 10⁶", at: arg.span(of: token))
                }
                steps = n
            } else if lower.hasPrefix("points=") {
                guard let n = Int(token.text.dropFirst(7)), Session.sweepPoints.contains(n) else {
                    throw SessionError("points= takes a whole number from 2 to 100", at: arg.span(of: token))
                }
                points = n
            } else if token.text.contains("..") {
                guard range == nil else {
                    throw SessionError(
                        "sweep takes one range; give the other hyperparameters one value", at: arg.span(of: token))
                }
                range = try sweepRange(token, in: arg)
            } else {
                specTokens.append(token)
            }
        }
        if let range,
            specTokens.contains(where: {
                HyperparameterName(spelling: String($0.text.split(separator: "=").first ?? "")) == range.name
            })
        {
            throw SessionError(
                "\(range.name.rawValue) is swept; give it only as the range", at: arg.span(of: range.token))
        }
        guard let range else {
            throw SessionError("sweep needs a range NAME=LO..HI, e.g. `sweep adam lr=1e-4..1 log`", at: arg.span)
        }
        guard let first = specTokens.first,
            OptimizerKind(rawValue: first.text.lowercased()) != nil || first.text.lowercased() == "amsgrad"
        else {
            throw SessionError("sweep starts with an optimizer, e.g. `sweep adam lr=1e-4..1 log`", at: arg.span)
        }
        if logarithmic && range.low <= 0 {
            throw SessionError("a log sweep needs a range above 0", at: arg.span(of: range.token))
        }
        guard points * steps <= Session.sweepWork else {
            throw SessionError("points × steps is at most 10⁸; take fewer of either", at: arg.span)
        }
        let base: OptimizerSpec
        do { base = try OptimizerSpec.parse(specTokens.map(\.text).joined(separator: " ")) } catch let e as CoreError {
            throw SessionError(e.message, at: arg.span)
        }
        guard OptimizerSpec.applicable(to: base.kind).contains(range.name),
            case .number = range.name.entry.field
        else {
            throw SessionError(
                "\(base.kind.rawValue) has no numeric hyperparameter '\(range.name.rawValue)' to sweep",
                at: arg.span(of: range.token))
        }
        let values = (0..<points).map { k -> Double in
            let f = points == 1 ? 0 : Double(k) / Double(points - 1)
            return logarithmic
                ? Foundation.exp(
                    Foundation.log(range.low) + f * (Foundation.log(range.high) - Foundation.log(range.low)))
                : range.low + f * (range.high - range.low)
        }
        var rows: [Sweep.Row] = []
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        for value in values {
            if shouldStop() && !rows.isEmpty { break }
            let spec: OptimizerSpec
            do {
                let text = (specTokens.map(\.text) + ["\(range.name.rawValue)=\(value)"]).joined(separator: " ")
                spec = try OptimizerSpec.parse(text)
            } catch let e as CoreError {
                throw SessionError("in the range \(range.token.text), \(e.message)", at: arg.span(of: range.token))
            }
            var run = try PrecisionRun(spec: spec, objective: objective, start: start)
            var status = Comparison.Row.Status.ok
            do {
                let taken = try run.advance(steps: steps, shouldStop: shouldStop)
                if taken < steps { status = .stopped }
            } catch let d as Divergence {
                status = .diverged(at: d.t)
            } catch let failure as CurvatureFailure {
                // No step where the Hessian is singular: the run ends there.
                status = .noStep(at: failure.t)
            }
            let (loss, g) = run.lossAndGradient
            rows.append(Sweep.Row(value: value, loss: loss, gradientNorm: norm(g), status: status))
            line.update(RunProgress(t: rows.count, target: values.count, loss: loss))
            if status == .stopped { break }
        }
        line.clear()
        emit(
            .sweep(
                Sweep(
                    objective: objective, start: start, steps: steps, spec: base, name: range.name,
                    logarithmic: logarithmic, rows: rows, planned: values.count)))
        if plotted { try plotSweep(rows, name: range.name, logarithmic: logarithmic, spec: base) }
    }

    /// The final loss against the swept value, on a log x axis for a log sweep. Runs that blew up have no
    /// point (the table says where they did).
    private func plotSweep(_ rows: [Sweep.Row], name: HyperparameterName, logarithmic: Bool, spec: OptimizerSpec)
        throws
    {
        let points = rows.filter { $0.status == .ok && $0.loss.isFinite }.map {
            PlotPoint(logarithmic ? Foundation.log10($0.value) : $0.value, $0.loss)
        }
        guard !points.isEmpty else { throw SessionError("no run of the sweep ended well: nothing to plot") }
        var p = Plot(
            kind: .overTime, series: [PlotSeries(label: .optimizer(spec), points: points)],
            logY: wantsLogScale(points.map(\.y)), title: .finalLoss)
        p.xName = name.rawValue
        p.logX = logarithmic
        lastPlot = p
        emit(.plot(p))
    }

    /// `NAME=LO..HI`, read.
    private func sweepRange(_ token: SpecToken, in arg: CommandText) throws -> (
        name: HyperparameterName, low: Double, high: Double, token: SpecToken
    ) {
        let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, parts[1].contains("...") {
            throw SessionError("a range is NAME=LO..HI with two dots, e.g. lr=1e-4..1", at: arg.span(of: token))
        }
        let bounds = parts.count == 2 ? parts[1].components(separatedBy: "..") : []
        if parts.count == 2, !parts[0].isEmpty, HyperparameterName(spelling: parts[0]) == nil {
            throw SessionError("unknown hyperparameter '\(parts[0])' to sweep", at: arg.span(of: token))
        }
        if bounds.count == 2, let low = parseNumber(bounds[0]), let high = parseNumber(bounds[1]),
            !low.isFinite || !high.isFinite
        {
            throw SessionError("a range's ends are finite numbers", at: arg.span(of: token))
        }
        guard parts.count == 2, let name = HyperparameterName(spelling: parts[0]), bounds.count == 2,
            let low = parseNumber(bounds[0]), let high = parseNumber(bounds[1]), low.isFinite, high.isFinite, low < high
        else {
            throw SessionError(
                "a range is NAME=LO..HI with LO below HI, e.g. lr=1e-4..1", at: arg.span(of: token))
        }
        return (name, low, high, token)
    }
}
