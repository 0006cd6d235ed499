// What a command gives back: values, never text. A renderer (the terminal's, later SVG and HTML) words them.

import AdamLabCore

/// One step as taken: its record and the hyperparameters it was taken with.
public struct TakenStep: Sendable, Equatable {
    public var record: StepRecord<Double>
    public var spec: OptimizerSpec

    public init(record: StepRecord<Double>, spec: OptimizerSpec) {
        self.record = record
        self.spec = spec
    }
}

/// Where a run stands: what `run N` ends with.
public struct RunSummary: Sendable, Equatable {
    public var t: Int
    public var loss: Double
    public var gradientNorm: Double
    public var theta: [Double]
    /// The update of the last recorded step, if any.
    public var lastUpdate: [Double]?

    public init(t: Int, loss: Double, gradientNorm: Double, theta: [Double], lastUpdate: [Double]?) {
        (self.t, self.loss, self.gradientNorm, self.theta, self.lastUpdate) = (t, loss, gradientNorm, theta, lastUpdate)
    }
}

/// A long run's progress, for a line a terminal overwrites in place.
public struct RunProgress: Sendable, Equatable {
    public var t: Int
    public var target: Int
    public var loss: Double

    public init(t: Int, target: Int, loss: Double) {
        (self.t, self.target, self.loss) = (t, target, loss)
    }
}

/// Everything a command can give back.
public enum Output: Sendable, Equatable {
    /// A step's table.
    case step(TakenStep)
    /// `step N` for a large N: only the last of `taken` steps is shown.
    case manySteps(last: TakenStep, taken: Int)
    /// Ctrl-C stopped a long command at step `t`.
    case stopped(at: Int)
    /// Where `run N` ended.
    case summary(RunSummary)
    /// `back`: the run is at t again.
    case wentBack(t: Int, theta: [Double], loss: Double)
    /// `reset`: back to t = 0.
    case reset(start: [Double])
    /// A command's echo in a script or a sourced file.
    case echo(String)
    /// `use`: a new optimizer on the same objective and start.
    case using(OptimizerSpec, objective: Objective, start: [Double])
    /// `set`: new hyperparameters, the state kept at t (0: nothing to keep yet).
    case changed(OptimizerSpec, keptAt: Int)
    /// `objective`: the new objective, its start and f there.
    case objective(Objective, start: [Double], loss: Double)
    /// `start`: the new start and f there.
    case start([Double], loss: Double)
    /// `grad`: the gradient the next step will use.
    case typedGradient([Double])
    /// `precision`: how many significant digits are shown from now on.
    case precision(Int)
}
