// `adamlab trace`: the stable, non-interactive interface that scripts and tests rely on.

import AdamLabCore
import ArgumentParser
import Foundation

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run an optimizer and print every recorded step.",
        discussion: """
            Example:
              adamlab trace --optimizer 'adam lr=0.1 convention=pytorch' --objective 'rosenbrock a=1 b=100' \\
                            --start 5,0 --steps 10000 --first 3 --every 1000
            Exit status: 0 ran (also when it diverged: the last line says so), 2 bad input.
            """
    )

    @Option(help: "Optimizer spec, e.g. 'adam lr=0.1 beta1=0.9 beta2=0.999 eps=1e-7 convention=pytorch'.")
    var optimizer: String

    @Option(help: "Objective spec, e.g. 'rosenbrock a=1 b=100' or 'f(x,y) = x^2 + 5*y^2'.")
    var objective: String

    @Option(help: "Starting point, comma-separated (default: the objective's own).")
    var start: String?

    @Option(help: "Number of steps.")
    var steps: Int = 100

    @Option(help: "Record steps 1…N.")
    var first: Int?

    @Option(help: "Record every K-th step.")
    var every: Int?

    @Option(help: "Output format: jsonl, csv or table.")
    var format: String = "jsonl"

    @Flag(help: "Compute in single precision (Float).")
    var float32 = false

    func run() throws {
        let spec: OptimizerSpec
        do { spec = try OptimizerSpec.parse(optimizer) } catch { throw fail("--optimizer", error) }
        let objectiveValue: Objective
        do {
            objectiveValue = try Objective.parse(objective, readFile: { try String(contentsOfFile: $0, encoding: .utf8) })
        } catch { throw fail("--objective", error) }
        guard let fmt = TraceFormat(rawValue: format.lowercased()) else {
            throw fail("--format", CoreError("unknown format '\(format)'; choose one of: jsonl, csv, table"))
        }
        guard steps >= 0, steps <= 1_000_000_000 else { throw fail("--steps", CoreError("must be between 0 and 10⁹")) }
        if let first, first < 0 { throw fail("--first", CoreError("must not be negative")) }
        if let every, every <= 0 { throw fail("--every", CoreError("must be positive")) }
        var startPoint = objectiveValue.defaultStart
        if let start {
            guard let v = parseVector(start) else {
                throw fail("--start", CoreError("'\(start)' is not a list of numbers like 5,0"))
            }
            startPoint = v
        }
        do { try objectiveValue.validate(start: startPoint) } catch { throw fail("--start", error) }
        if float32 {
            try emit(Run<Float>(spec: spec, objective: objectiveValue, start: startPoint), format: fmt)
        } else {
            try emit(Run<Double>(spec: spec, objective: objectiveValue, start: startPoint), format: fmt)
        }
    }

    private func emit<T: Scalar>(_ initial: Run<T>, format: TraceFormat) throws {
        var run = initial
        var out = StandardOutput()
        var formatter = TraceFormatter<T>(format: format)
        let recordAll = first == nil && every == nil
        func recorded(_ t: Int) -> Bool {
            recordAll || t <= (first ?? 0) || (every.map { t % $0 == 0 } ?? false)
        }
        var divergence: Divergence?
        do {
            while run.t < steps {
                let t = run.t + 1
                if recorded(t) {
                    let record = try run.step()
                    for line in formatter.lines(for: record) { print(line, to: &out) }
                } else {
                    var next = steps
                    if let every { next = min(next, (t / every + 1) * every) }
                    try run.advance(steps: next - t)
                }
            }
        } catch let d as Divergence {
            divergence = d
        }
        print(formatter.final(theta: run.theta, steps: run.t, divergence: divergence), to: &out)
        out.flush()
    }
}
