// What a command gives back: values, never text. A renderer (the terminal's, SVG, HTML) words them.

import AdamLabCore

/// One step as taken: its record and the hyperparameters it was taken with.
public struct TakenStep: Sendable, Equatable {
    public var record: StepRecord<Double>
    public var spec: OptimizerSpec
    /// θ's named blocks (a network's layers): the step is shown per block, not per coordinate.
    public var groups: [ParameterGroup]?

    public init(record: StepRecord<Double>, spec: OptimizerSpec, groups: [ParameterGroup]? = nil) {
        self.record = record
        self.spec = spec
        self.groups = groups
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
public enum Output: Sendable {
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
    /// `show QUANTITY …`: those quantities of the last step (scalars, then the vectors as a table of every coordinate).
    case quantities(StepRecord<Double>, [Quantity])
    /// `show` on a model: each quantity per weight matrix and bias, or at the named weights only.
    case layerQuantities(StepRecord<Double>, [Quantity], groups: [ParameterGroup], picked: [Int])
    /// `show state`: θ and the optimizer's state vectors now, and a typed gradient waiting, if any.
    case state(OptimizerStateView)
    /// `show spec`: what the session is set to.
    case settings(spec: OptimizerSpec, objective: Objective, start: [Double], t: Int)
    /// `show history Q`: Q at every kept step (see `Session.historyBudget`).
    case history(Quantity, [(t: Int, values: [Double])])
    /// `check`: the verdict on the learner's value, per coordinate.
    case verdicts(CheckVerdicts)
    /// `plot`: the numbers of a plot, for a renderer to draw.
    case plot(Plot)
    /// `export`: the file written, its size, and whether it held the last plot or the run's history.
    case exported(path: String, bytes: Int, what: ExportedContent)
    /// `predict` turned on (the values it asks for) or off (the score).
    case predicting([AnswerExpression])
    case predictionScore(PredictionScore)
    /// A step is taken and not shown yet: the learner's value for this is asked first.
    case predictionAsk(PredictionAsk)
    /// Values `predict` asks for that this step cannot give, and why (`use sgd` has no m̂).
    case predictionUnavailable([(AnswerExpression, String)])
    /// The learner's value, graded (nil grade: skipped).
    case predictionVerdict(PredictionAsk, expected: [Double], typed: [Double], grade: Grade?)
    /// After the step's table: each prediction, right or which mistake.
    case predictionMarks([(ask: PredictionAsk, grade: Grade?)])
    /// `compare`: several optimizers run from the same start.
    case comparison(Comparison)
    /// `sweep`: one optimizer, one hyperparameter over a range of values.
    case sweep(Sweep)
    /// `compare … starts=N`: several optimizers, each from the same Latin-hypercube starts.
    case manyStarts(ManyStarts)
    /// `conventions`: one step computed under each library's formula.
    case conventions(ConventionComparison)
    /// `explain QUANTITY`.
    case explanation(Explanation)
    /// `help [TOPIC]`.
    case help(HelpTopic)
}

/// What `help` is about.
public enum HelpTopic: Sendable, Equatable {
    /// Every command, then the quantities, optimizers and objectives.
    case overview
    /// One command; for `use` and `set` also the optimizers and the current optimizer's hyperparameters.
    case command(name: String, currentKind: OptimizerKind)
    /// An optimizer, `amsgrad`, a hyperparameter or a quantity (a word may be more than one: `momentum`).
    case words(optimizer: OptimizerKind?, amsgrad: Bool, hyperparameter: HyperparameterName?, quantity: Quantity?)
    /// A reference computation of the answer language (`help scaled_update`).
    case expression(usage: String, summary: String)
}

/// The verdicts of `check QUANTITY VALUE…`: the grader's result and what it was about.
public struct CheckVerdicts: Sendable {
    public var expression: AnswerExpression
    /// The step the values belong to (nil for one that is about no step, such as `update_bound`).
    public var t: Int?
    /// The coordinate of each value (nil for a scalar).
    public var coordinates: [Int]?
    public var typed: [TypedNumber]
    public var result: CheckResult
    /// Whether the learner gave the tolerance (`tol=`) rather than the rule.
    public var explicitTolerance: Bool
    /// The grade of the whole answer: right, or which mistake gives it.
    public var grade: Grade
    /// Each coordinate's own grade, when there are several: a note that holds for one coordinate belongs
    /// under that coordinate's verdict.
    public var coordinateGrades: [Grade] = []

    public init(
        expression: AnswerExpression, t: Int?, coordinates: [Int]?, typed: [TypedNumber], result: CheckResult,
        explicitTolerance: Bool, grade: Grade, coordinateGrades: [Grade] = []
    ) {
        self.coordinateGrades = coordinateGrades
        self.expression = expression
        self.t = t
        self.coordinates = coordinates
        self.typed = typed
        self.result = result
        self.explicitTolerance = explicitTolerance
        self.grade = grade
    }

    /// The number typed for coordinate i (one typed number stands for every coordinate).
    public func typed(at i: Int) -> TypedNumber { typed[typed.count == 1 ? 0 : i] }
}

/// θ and the state vectors after the last step.
public struct OptimizerStateView: Sendable {
    public var t: Int
    public var spec: OptimizerSpec
    public var loss: Double
    public var theta: [Double]
    /// The state vectors, in the optimizer's storage order.
    public var slots: [(Quantity, [Double])]
    public var pendingGradient: [Double]?

    public init(
        t: Int, spec: OptimizerSpec, loss: Double, theta: [Double], slots: [(Quantity, [Double])],
        pendingGradient: [Double]?
    ) {
        (self.t, self.spec, self.loss, self.theta, self.slots, self.pendingGradient) = (
            t, spec, loss, theta, slots, pendingGradient
        )
    }
}

extension OptimizerStateView: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.t == b.t && a.spec == b.spec && a.loss == b.loss && a.theta == b.theta
            && a.pendingGradient == b.pendingGradient
            && a.slots.map(\.0) == b.slots.map(\.0) && a.slots.map(\.1) == b.slots.map(\.1)
    }
}

/// Text with numbers in it, kept as numbers so that a renderer formats them (digits, ASCII, markup).
public struct MathText: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public enum Piece: Sendable, Equatable {
        case text(String)
        /// A number as it stands.
        case number(Double)
        /// A number in a formula: parenthesised when negative, `0.9·(−3)`.
        case term(Double)
    }

    public var pieces: [Piece]

    public init(pieces: [Piece]) { self.pieces = pieces }
    public init(stringLiteral value: String) { pieces = value.isEmpty ? [] : [.text(value)] }
    public init(stringInterpolation: StringInterpolation) { pieces = stringInterpolation.pieces }

    public static func number(_ x: Double) -> MathText { MathText(pieces: [.number(x)]) }
    public static func term(_ x: Double) -> MathText { MathText(pieces: [.term(x)]) }

    public static func + (a: MathText, b: MathText) -> MathText { MathText(pieces: a.pieces + b.pieces) }
    public static func + (a: MathText, b: String) -> MathText { a + MathText(stringLiteral: b) }
    public static func + (a: String, b: MathText) -> MathText { MathText(stringLiteral: a) + b }

    public struct StringInterpolation: StringInterpolationProtocol {
        var pieces: [Piece] = []
        public init(literalCapacity: Int, interpolationCount: Int) {}
        public mutating func appendLiteral(_ literal: String) { if !literal.isEmpty { pieces.append(.text(literal)) } }
        public mutating func appendInterpolation(_ text: String) { pieces.append(.text(text)) }
        public mutating func appendInterpolation(_ n: Int) { pieces.append(.text("\(n)")) }
        public mutating func appendInterpolation(_ math: MathText) { pieces += math.pieces }
    }
}

/// `explain QUANTITY`: the formula, then the formula with this step's numbers put in, per coordinate.
public struct Explanation: Sendable, Equatable {
    /// The general formula and notes, one line each.
    public var lines: [MathText]
    /// The substituted formula for the first coordinates (at most `Explanation.coordinateLimit`).
    public var coordinates: [MathText]
    /// How many coordinates θ has (one line each would be shown, were there room).
    public var dimension: Int
    /// The quantity explained, for the pointer to `show` when coordinates are left out (nil for a
    /// reference computation).
    public var quantity: Quantity?

    /// More coordinates than this are never substituted: no screen shows them.
    public static let coordinateLimit = 64

    public init(_ quantity: Quantity?, lines: [MathText], coordinates: [MathText] = [], dimension: Int = 1) {
        (self.quantity, self.lines, self.coordinates, self.dimension) = (quantity, lines, coordinates, dimension)
    }

    /// The coordinate of the first substitution (not 0 when one coordinate was asked for).
    public var firstCoordinate = 0
    /// Whether one coordinate was asked for (`explain m_hat[1]`), so no others are missing.
    public var isSingleCoordinate = false
    /// θ's named blocks, when θ is a model's weights: each coordinate is shown by its name (`w1[0,3]`).
    public var groups: [ParameterGroup]?

    /// Keeps only coordinate i's substitution (`explain m_hat[1]`).
    public mutating func only(coordinate i: Int) {
        coordinates = [coordinates[i]]
        firstCoordinate = i
        isSingleCoordinate = true
    }
}

/// One value `predict` asks for at a step.
public struct PredictionAsk: Sendable {
    public var expression: AnswerExpression
    public var t: Int?
    /// The coordinate of each value (nil for a scalar).
    public var coordinates: [Int]?
    /// Which of how many asks at this step (1-based).
    public var index: Int
    public var count: Int

    public init(expression: AnswerExpression, t: Int?, coordinates: [Int]?, index: Int, count: Int) {
        self.expression = expression
        self.t = t
        self.coordinates = coordinates
        self.index = index
        self.count = count
    }
}

/// A step taken in predict mode, waiting for the learner's values before it is shown.
public struct PendingPrediction: Sendable {
    public var step: TakenStep
    public var asks: [PredictionAsk]
    var references: [AnswerReference]
    public var grades: [Grade?] = []

    /// The value asked for now.
    public var current: PredictionAsk { asks[grades.count] }
}

/// How a learner's predictions have gone since `predict` was turned on.
public struct PredictionScore: Sendable, Equatable {
    public var right = 0
    public var wrong = 0
    public var skipped = 0
    /// How often each known mistake was made, in the order first made.
    public var mistakes: [(Misconception, Int)] = []

    public init() {}

    public static func == (a: PredictionScore, b: PredictionScore) -> Bool {
        a.right == b.right && a.wrong == b.wrong && a.skipped == b.skipped
            && a.mistakes.map(\.0) == b.mistakes.map(\.0) && a.mistakes.map(\.1) == b.mistakes.map(\.1)
    }

    mutating func add(_ grade: Grade?) {
        guard let grade else {
            skipped += 1
            return
        }
        if grade.isRight { right += 1 } else { wrong += 1 }
        if let m = grade.diagnosis {
            if let k = mistakes.firstIndex(where: { $0.0 == m }) { mistakes[k].1 += 1 } else { mistakes.append((m, 1)) }
        }
    }
}

/// What an export held.
public enum ExportedContent: Sendable, Equatable {
    case plot, history
}
