// What `compare`, `sweep`, `compare … starts=N` and `conventions` give back: values, never text.

import AdamLabCore

/// `compare … starts=N`: each optimizer run from every one of the same starts, and how often it ended
/// near a global minimum.
public struct ManyStarts: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var spec: OptimizerSpec
        /// Where each run ended (a run that blew up: where it was before it did).
        public var ends: [[Double]]
        public var losses: [Double]
        /// Runs that ended within `radius` of a global minimum.
        public var reached: Int
        public var diverged: Int

        public init(spec: OptimizerSpec, ends: [[Double]], losses: [Double], reached: Int, diverged: Int) {
            (self.spec, self.ends, self.losses, self.reached, self.diverged) = (spec, ends, losses, reached, diverged)
        }

        /// The median final f(θ) of the runs that did not blow up.
        public var medianLoss: Double? {
            let kept = losses.filter(\.isFinite).sorted()
            guard !kept.isEmpty else { return nil }
            let k = kept.count / 2
            return kept.count % 2 == 1 ? kept[k] : (kept[k - 1] + kept[k]) / 2
        }
    }

    public var objective: Objective
    public var starts: [[Double]]
    public var box: ClosedRange<Double>
    public var seed: UInt64
    public var steps: Int
    /// How near a global minimum an end must be to count as reaching it (nil: no minimum is known).
    public var radius: Double?
    public var rows: [Row]
    /// Ctrl-C cut it short: the rows are the optimizers finished before.
    public var stopped: Bool

    public init(
        objective: Objective, starts: [[Double]], box: ClosedRange<Double>, seed: UInt64, steps: Int,
        radius: Double?, rows: [Row], stopped: Bool
    ) {
        (self.objective, self.starts, self.box, self.seed, self.steps, self.radius, self.rows, self.stopped) = (
            objective, starts, box, seed, steps, radius, rows, stopped
        )
    }
}

/// `sweep`'s runs: one per value of one hyperparameter, from the same start.
public struct Sweep: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var value: Double
        public var loss: Double
        public var gradientNorm: Double
        public var status: Comparison.Row.Status

        public init(value: Double, loss: Double, gradientNorm: Double, status: Comparison.Row.Status) {
            (self.value, self.loss, self.gradientNorm, self.status) = (value, loss, gradientNorm, status)
        }
    }

    public var objective: Objective
    public var start: [Double]
    public var steps: Int
    /// The optimizer with every other hyperparameter as typed.
    public var spec: OptimizerSpec
    public var name: HyperparameterName
    public var logarithmic: Bool
    public var rows: [Row]
    /// The values the grid had (more than `rows` when Ctrl-C stopped it).
    public var planned: Int

    public init(
        objective: Objective, start: [Double], steps: Int, spec: OptimizerSpec, name: HyperparameterName,
        logarithmic: Bool, rows: [Row], planned: Int
    ) {
        (self.objective, self.start, self.steps, self.spec, self.name, self.logarithmic, self.rows) = (
            objective, start, steps, spec, name, logarithmic, rows
        )
        self.planned = planned
    }

    /// The best row among the runs that ended well: the lowest final loss, the highest when maximizing.
    public var best: Int? {
        let ended = rows.indices.filter { rows[$0].status == .ok && rows[$0].loss.isFinite }
        return spec.hyper.maximize
            ? ended.max { rows[$0].loss < rows[$1].loss } : ended.min { rows[$0].loss < rows[$1].loss }
    }
}

/// `compare`'s runs, side by side.
public struct Comparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case ok, stopped
            case diverged(at: Int)
            /// A second-order step that could not be taken (a singular Hessian): the run stopped before it.
            case noStep(at: Int)
        }
        public var spec: OptimizerSpec
        public var theta: [Double]
        public var loss: Double
        public var gradientNorm: Double
        /// The first step at which ‖∇f‖ ≤ the tolerance, if it got there.
        public var reached: Int?
        public var status: Status

        public init(
            spec: OptimizerSpec, theta: [Double], loss: Double, gradientNorm: Double, reached: Int?, status: Status
        ) {
            (self.spec, self.theta, self.loss, self.gradientNorm, self.reached, self.status) = (
                spec, theta, loss, gradientNorm, reached, status
            )
        }
    }

    public var objective: Objective
    public var start: [Double]
    public var steps: Int
    public var tolerance: Double
    public var rows: [Row]

    public init(objective: Objective, start: [Double], steps: Int, tolerance: Double, rows: [Row]) {
        (self.objective, self.start, self.steps, self.tolerance, self.rows) = (objective, start, steps, tolerance, rows)
    }
}

/// One step under each convention that gives a different formula.
public struct ConventionComparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var convention: Convention
        /// nil when the step diverged under this convention.
        public var update: [Double]?
        public var thetaNext: [Double]?
        /// max |Δθ − Δθ(paper)|, once the paper's row is known.
        public var differenceFromPaper: Double?

        public init(convention: Convention, update: [Double]?, thetaNext: [Double]?, differenceFromPaper: Double?) {
            (self.convention, self.update, self.thetaNext, self.differenceFromPaper) = (
                convention, update, thetaNext, differenceFromPaper
            )
        }
    }

    /// The spec the step was (or will be) taken with.
    public var spec: OptimizerSpec
    public var t: Int
    /// The last step, recomputed (else the next one, before any step).
    public var taken: Bool
    /// Whether `set` has changed the hyperparameters since that step.
    public var changedSince: Bool
    /// Empty when every convention gives the same formula for this optimizer.
    public var rows: [Row]

    public init(spec: OptimizerSpec, t: Int, taken: Bool, changedSince: Bool, rows: [Row]) {
        (self.spec, self.t, self.taken, self.changedSince, self.rows) = (spec, t, taken, changedSince, rows)
    }
}
