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
        let bestStep = try adamFigures(spec)
        try replFigures(bestStep: bestStep)
        try sweepAndCompareFigures()
        try networkFigure()
        try plotFigure(spec)
    }

    /// Adam's steps/s on 2-D Rosenbrock and params/s on one long vector; returns the best step's time.
    private func adamFigures(_ spec: OptimizerSpec) throws -> Double {
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
        return bestStep
    }

    /// The REPL's own commands over many coordinates, and `step` against `run` in two.
    private func replFigures(bestStep: Double) throws {
        // The REPL's own commands over many coordinates: reading a start line, `run`, and `step`, which
        // records every step (the ratios are to the optimizer's params/s above, and to `run`).
        for coordinates in [100_000, 1_000_000] {
            let steps = coordinates >= 1_000_000 ? 200 : 1000
            let line = "start " + Array(repeating: "1.5", count: coordinates).joined(separator: ",")
            var read = Double.infinity, ran = Double.infinity, stepped = Double.infinity
            for _ in 0..<max(1, min(repeats, 3)) {
                let session = Session()
                _ = try session.execute("objective sphere")
                _ = try session.execute("use adam lr=0.01 convention=pytorch")
                let clock = ContinuousClock()
                read = min(read, seconds(try clock.measure { _ = try session.execute(line) }))
                ran = min(ran, seconds(try clock.measure { _ = try session.execute("run \(steps)") }))
                if coordinates <= 100_000 {
                    _ = try session.execute("back \(steps)")
                    stepped = min(stepped, seconds(try clock.measure { _ = try session.execute("step \(steps)") }))
                }
            }
            let rate = Double(coordinates * steps) / ran
            var text =
                "\(coordinates) coordinates: a start line read in \(fmt(read)) s; run \(steps) \(fmt(ran)) s, \(fmt(rate)) params/s (\(fmt(bestStep > 0 ? Double(size) / bestStep / rate : 0))× below the step figure)"
            if stepped.isFinite { text += "; step \(steps) \(fmt(stepped)) s (\(fmt(stepped / ran))× run)" }
            print(text)
        }
        var twoD = Double.infinity, twoDRun = Double.infinity
        for _ in 0..<max(1, min(repeats, 3)) {
            let session = Session()
            _ = try session.execute("objective rosenbrock")
            _ = try session.execute("use adam lr=0.001 convention=pytorch")
            let clock = ContinuousClock()
            twoDRun = min(twoDRun, seconds(try clock.measure { _ = try session.execute("run \(steps)") }))
            _ = try session.execute("back \(steps)")
            twoD = min(twoD, seconds(try clock.measure { _ = try session.execute("step \(steps)") }))
        }
        print(
            "2 coordinates: run \(steps) \(fmt(twoDRun)) s; step \(steps) \(fmt(twoD)) s (\(fmt(twoD / twoDRun))× run)")

    }

    /// A sweep of 100 learning rates, and a compare of every optimizer.
    private func sweepAndCompareFigures() throws {
        // A sweep of 100 learning rates, 1,000 steps each, on Rosenbrock.
        var bestSweep = Double.infinity
        for _ in 0..<max(1, min(repeats, 3)) {
            let session = Session()
            _ = try session.execute("objective rosenbrock")
            let clock = ContinuousClock()
            bestSweep = min(
                bestSweep,
                seconds(
                    try clock.measure { _ = try session.execute("sweep adam lr=1e-4..1 log points=100 steps=1000") }))
        }
        print("sweep of 100 learning rates, 1000 steps each on Rosenbrock: \(fmt(bestSweep)) s")

        // `compare` of every optimizer adamlab has (the three second-order ones with them), 1,000 steps each.
        let everyOptimizer = OptimizerKind.allCases.map(\.rawValue).joined(separator: " ")
        var bestCompare = Double.infinity
        for _ in 0..<max(1, min(repeats, 3)) {
            let session = Session()
            _ = try session.execute("objective rosenbrock")
            _ = try session.execute("start -1.5,2")
            let clock = ContinuousClock()
            bestCompare = min(
                bestCompare,
                seconds(try clock.measure { _ = try session.execute("compare \(everyOptimizer) steps=1000") }))
        }
        print(
            "compare of all \(OptimizerKind.allCases.count) optimizers, 1000 steps each on Rosenbrock: \(fmt(bestCompare)) s"
        )
    }

    /// Adam on seed 000's network, beside torch's eager loop where torch is here.
    private func networkFigure() throws {
        // Adam on seed 000's network: 2 inputs, 16 ReLU units, a sigmoid output, 200 points.
        let network = try Objective.parse("network layers=2,16,1 rows=200")
        var bestNetwork = Double.infinity
        let networkSteps = 20_000
        for _ in 0..<max(1, min(repeats, 3)) {
            var run = try Run<Double>(
                spec: try OptimizerSpec.parse("adam lr=0.01 convention=pytorch"), objective: network,
                start: network.defaultStart)
            let clock = ContinuousClock()
            bestNetwork = min(bestNetwork, seconds(try clock.measure { try run.advance(steps: networkSteps) }))
        }
        let ours = Double(networkSteps) / bestNetwork
        var line = "adam on a 2-16-1 network, 200 points: \(fmt(ours)) steps/s"
        if let torch = torchNetworkFigure() {
            line += "; torch's eager loop on this machine \(fmt(torch)) steps/s (\(fmt(ours / torch))× faster)"
        } else {
            line += "; torch's figure: python3 \(torchScript) (needs torch)"
        }
        print(line)
    }

    /// Plotting a million-step run's loss in the terminal and as SVG.
    private func plotFigure(_ spec: OptimizerSpec) throws {
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

    @Option(help: "The Python that has torch, for the network figure's comparison.")
    var python: String = "python3"

    private var torchScript: String { "tools/bench/torch_network.py" }

    /// Steps per second of the same network's training loop in torch (eager), from the script beside
    /// adamlab's sources; nil when it cannot run here (no torch, or not in the checkout).
    private func torchNetworkFigure() -> Double? {
        guard FileManager.default.fileExists(atPath: torchScript) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, torchScript, "3000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }
}
