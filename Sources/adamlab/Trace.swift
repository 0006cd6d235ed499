// `adamlab trace`: the stable, non-interactive interface that scripts and tests rely on.

import AdamLabCore
import AdamLabLessons
import AdamLabRender
import AdamLabSession
import ArgumentParser
import Foundation

extension TraceFormat: ExpressibleByArgument {}

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

    @Option(
        parsing: .unconditional,
        help:
            "Starting point, comma-separated (default: the objective's own); negative numbers are values: --start -1,-1."
    )
    var start: String?

    // A negative count is read as a value (and refused with its range), not taken for an option.
    @Option(parsing: .unconditional, help: "Number of steps.")
    var steps: Int = 100

    @Option(parsing: .unconditional, help: "Record steps 1…N.")
    var first: Int?

    @Option(parsing: .unconditional, help: "Record every K-th step.")
    var every: Int?

    @Option(help: "Output format.")
    var format: TraceFormat = .jsonl

    @Flag(help: "Compute in single precision (Float).")
    var float32 = false

    func validate() throws {
        guard (0...1_000_000_000).contains(steps) else { throw ValidationError("--steps must be between 0 and 10⁹") }
        if let first, first < 0 { throw ValidationError("--first must not be negative") }
        if let every, every <= 0 { throw ValidationError("--every must be positive") }
    }

    func run() throws {
        var spec: OptimizerSpec
        do { spec = try OptimizerSpec.parse(optimizer) } catch { throw fail("--optimizer", error) }
        // The spec's own dtype counts as --float32 does; the two may not say different things.
        if optimizer.lowercased().contains("dtype=float64") && float32 {
            throw fail("--float32", CoreError("the optimizer says dtype=float64; give one or the other"))
        }
        let float32 = self.float32 || spec.hyper.dtype == .float32
        if float32 { spec.hyper.dtype = .float32 }
        let objectiveValue: Objective
        do {
            objectiveValue = try Objective.parse(objective, readFile: { try TextFile.read($0) })
        } catch { throw fail("--objective", error) }
        let fmt = format
        var startPoint = objectiveValue.defaultStart
        if let start {
            guard let v = parseVector(start) else {
                throw fail("--start", CoreError("'\(start)' is not a list of numbers like 5,0"))
            }
            guard v.allSatisfy({ $0.isFinite && (!float32 || Float($0).isFinite) }) else {
                throw fail(
                    "--start",
                    CoreError("'\(start)' has a number too large for \(float32 ? "single" : "double") precision"))
            }
            startPoint = v
        }
        do { try objectiveValue.validate(start: startPoint) } catch { throw fail("--start", error) }
        do {
            if float32 {
                emit(try Run<Float>(spec: spec, objective: objectiveValue, start: startPoint), format: fmt)
            } else {
                emit(try Run<Double>(spec: spec, objective: objectiveValue, start: startPoint), format: fmt)
            }
        } catch { throw fail("--start", error) }
    }

    private func emit<T: Scalar>(_ initial: Run<T>, format: TraceFormat) {
        var run = initial
        var out = StandardOutput()
        var formatter = TraceFormatter<T>(format: format)
        let recordAll = first == nil && every == nil
        // The last step of the run is always worth recording.
        func recorded(_ t: Int) -> Bool {
            recordAll || t <= (first ?? 0) || (every.map { t % $0 == 0 } ?? false) || t == steps
        }
        /// The first recorded step after `t`: the run's last at the latest.
        func nextRecorded(after t: Int) -> Int {
            var next = steps
            if let first, t < first { next = t + 1 }
            if let every { next = min(next, (t / every + 1) * every) }
            return max(next, t + 1)
        }
        var divergence: Divergence?
        do {
            while run.t < steps {
                let t = run.t + 1
                if recorded(t) {
                    let record = try run.step()
                    for line in formatter.lines(for: record) { print(line, to: &out) }
                } else {
                    // Up to the step before the next recorded one: always at least one step.
                    try run.advance(steps: max(1, nextRecorded(after: run.t) - 1 - run.t))
                }
            }
        } catch let d as Divergence {
            divergence = d
        } catch {
            divergence = nil
        }
        if let line = formatter.final(theta: run.theta, steps: run.t, divergence: divergence) { print(line, to: &out) }
        out.flush()
        // CSV has no room for a closing line; a divergence is said on standard error instead.
        if format == .csv, let d = divergence {
            FileHandle.standardError.write(
                Data("adamlab: trace: \(d.description); the rows stop at step \(run.t)\n".utf8))
        }
    }
}
