// `adamlab bench`: the speed figures, printed (not asserted).

import AdamLabCore
import AdamLabREPL
import AdamLabRender
import AdamLabSession
import ArgumentParser
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Adam's speed: steps/s on 2-D Rosenbrock and params/s on a long vector."
    )

    @Option(help: "Steps for the Rosenbrock figure.")
    var steps: Int = 1_000_000

    @Option(help: "Length of the vector for the params/s figure.")
    var size: Int = 10_000_000

    @Option(help: "Repetitions; the best is reported.")
    var repeats: Int = 5

    func run() throws {
        var spec = OptimizerSpec(kind: .adam)
        spec.hyper.lr = 0.001
        spec.hyper.convention = .pytorch
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            var run = try Run<Double>(spec: spec, objective: .rosenbrock(a: 1, b: 100), start: [-1.5, 2])
            let clock = ContinuousClock()
            let elapsed = try clock.measure { try run.advance(steps: steps) }
            best = min(best, seconds(elapsed))
        }
        print(
            "adam rosenbrock-2d: \(steps) steps, best of \(repeats): \(fmt(best)) s, \(fmt(Double(steps) / best)) steps/s"
        )

        var theta = (0..<size).map { Double($0 % 1000) * 0.001 }
        let gradient = (0..<size).map { sin(Double($0)) }
        var optimizer = Optimizer<Double>(spec: spec, dimension: size)
        optimizer.step(theta: &theta, gradient: gradient)  // warm up: touch every page once
        var bestStep = Double.infinity
        for _ in 0..<max(1, repeats) {
            let clock = ContinuousClock()
            let elapsed = clock.measure { optimizer.step(theta: &theta, gradient: gradient) }
            bestStep = min(bestStep, seconds(elapsed))
        }
        print(
            "adam step on \(size) doubles, best of \(repeats): \(fmt(bestStep)) s, \(fmt(Double(size) / bestStep)) params/s"
        )

        // Plotting a million-step run: the loss of every step (not a sample), downsampled and drawn.
        var loss: [PlotPoint] = []
        loss.reserveCapacity(steps + 1)
        var trial = try Run<Double>(spec: spec, objective: .rosenbrock(a: 1, b: 100), start: [-1.5, 2])
        loss.append(PlotPoint(0, trial.loss))
        for t in 1...max(1, steps) {
            try trial.advance(steps: 1)
            loss.append(PlotPoint(Double(t), trial.loss))
        }
        let plot = Plot(
            kind: .overTime, series: [PlotSeries(label: .loss, points: loss)], logY: wantsLogScale(loss.map(\.y)),
            title: .loss)
        var bestTerminal = Double.infinity, bestSVG = Double.infinity
        var sizes = (0, 0)
        for _ in 0..<max(1, repeats) {
            let clock = ContinuousClock()
            var text = "", svg = ""
            bestTerminal = min(
                bestTerminal, seconds(clock.measure { text = TerminalRenderer(style: Style()).render(plot) }))
            bestSVG = min(bestSVG, seconds(clock.measure { svg = SVGRenderer(style: Style()).render(plot) }))
            sizes = (text.utf8.count, svg.utf8.count)
        }
        print(
            "plot of a \(loss.count)-point loss curve, best of \(repeats): terminal \(fmt(bestTerminal)) s (\(sizes.0) bytes), SVG \(fmt(bestSVG)) s (\(sizes.1) bytes)"
        )
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
}
