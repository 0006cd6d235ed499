// A learner's session and what each command does to it. Commands give back `Output` values; the
// session makes no text for a terminal (a renderer does).

import AdamLabCore
import Foundation

/// Something that changed the run at a given moment, replayed by `back`.
enum RunEvent: Equatable {
    /// Hyperparameters changed with `set` when t was `at`.
    case set(OptimizerSpec, at: Int)
    /// A typed gradient used for step `step`.
    case gradient([Double], step: Int)
}

/// One learner's session: optimizer, objective, start, and the run so far.
public final class Session {
    public internal(set) var spec: OptimizerSpec
    public internal(set) var objective: Objective
    public internal(set) var start: [Double]
    public internal(set) var run: PrecisionRun
    /// The run just before the last step (for `explain`, `conventions`), and that step's record.
    var beforeLast: PrecisionRun?
    public internal(set) var lastRecord: StepRecord<Double>?
    /// Recorded steps, by t: every `step`, and samples of every `run`, within `historyBudget`.
    public internal(set) var history: [StepRecord<Double>] = []
    /// Every step's gradient since t = 0, while every step was recorded and they fit the budget (else nil).
    public internal(set) var gradientLog: [[Double]]? = []
    /// f(θₜ₋₁) of every step t = 1 … run.t, `run` included, while it fits in `historyBudget` (else nil):
    /// what `plot loss` draws, so a long run's curve is every step, not a sample.
    public internal(set) var lossLog: [Double]? = []
    /// At most this many numbers are kept in `history` (and, separately, in `gradientLog`): 2²² doubles, 32 MiB.
    /// A longer history is thinned evenly (every other record dropped, the first and last kept); `back`
    /// does not need it, since it replays from θ₀.
    public static let historyBudget = 1 << 22
    /// Only records whose t is a multiple of this are kept once the history has been thinned.
    var historyStride = 1
    /// The numbers `history` holds, kept as it changes (summing them on every step made long steps quadratic).
    var historySize = 0
    var initialSpec: OptimizerSpec
    var events: [RunEvent] = []
    var pendingGradient: [Double]?
    /// `predict`: the values asked for before each step (empty: off), the step waiting for them, the score.
    public internal(set) var predicting: [AnswerExpression] = []
    public internal(set) var awaiting: PendingPrediction?
    public internal(set) var predictionScore = PredictionScore()
    /// The significant digits `precision N` asked for (nil: the renderer's own), kept with the state so
    /// that a lesson part reached by any path shows its numbers alike.
    public internal(set) var precision: Int?
    private let readRawFile: (String) throws -> String
    /// Where a relative path is looked for first (a lesson's folder, so that its `file=data/…` is found
    /// wherever adamlab runs); nil: the current folder only.
    public var fileBase: String?

    /// Reads `path`: a relative path from `fileBase` first when there is one, else as given.
    func readFile(_ path: String) throws -> String {
        if let base = fileBase, !base.isEmpty, !path.hasPrefix("/") {
            let based = base.hasSuffix("/") ? base + path : base + "/" + path
            if let text = try? readRawFile(based) { return text }
        }
        return try readRawFile(path)
    }
    /// Writes an export (atomically); a test may catch it instead.
    public var writeFile: (String, String) throws -> Void = { try TextFile.write($0, $1) }
    /// Renders an export's bytes (an SVG, a CSV): set by whoever renders, since the session makes no text.
    public var exporter: ((ExportRequest) -> String)?
    /// The last plot shown, for `export svg`.
    public internal(set) var lastPlot: Plot?
    var sourceDepth = 0
    /// Receives every value as a command gives it (a long `step 20` shows each step as it is taken).
    public var output: (Output) -> Void
    /// What the commands running now have given, innermost last (`source` runs commands within one).
    var collecting: [[Output]] = []
    /// Whether `output` is told (false while `collect` runs a command for a caller that wants the values).
    var telling = true

    func emit(_ o: Output) {
        if !collecting.isEmpty { collecting[collecting.count - 1].append(o) }
        if telling { output(o) }
    }
    /// Asked during long runs; true stops the run at the last completed step.
    public var shouldStop: () -> Bool = { false }
    /// Shows progress of long runs (a terminal overwrites it in place; nil clears it); nil in scripts.
    public var progress: ((RunProgress?) -> Void)?

    public init(
        readFile: @escaping (String) throws -> String = { try TextFile.read($0) },
        output: @escaping (Output) -> Void = { _ in }
    ) {
        self.readRawFile = readFile
        self.output = output
        spec = try! OptimizerSpec.parse("adam lr=0.1")
        objective = .sphere
        start = [3, 4]
        initialSpec = spec
        run = try! PrecisionRun(spec: spec, objective: objective, start: start)
    }

    /// The state of a new session (Adam lr=0.1 on the sphere from (3, 4)), without a word of output: a
    /// lesson starts here, so it plays the same from the REPL as in `verify`.
    public func startAfresh() {
        let fresh = Session(readFile: readRawFile)
        fresh.fileBase = fileBase
        restore(fresh.snapshot())
    }

    /// Everything that makes up the session's state, to put back after a detour.
    public struct Snapshot {
        var spec: OptimizerSpec, objective: Objective, start: [Double], run: PrecisionRun
        var beforeLast: PrecisionRun?, lastRecord: StepRecord<Double>?, history: [StepRecord<Double>]
        var gradientLog: [[Double]]?, lossLog: [Double]?, historyStride: Int
        var initialSpec: OptimizerSpec, events: [RunEvent], pendingGradient: [Double]?
        var precision: Int?, predicting: [AnswerExpression], awaiting: PendingPrediction?
        var predictionScore: PredictionScore, lastPlot: Plot?
    }

    public func snapshot() -> Snapshot {
        Snapshot(
            spec: spec, objective: objective, start: start, run: run, beforeLast: beforeLast, lastRecord: lastRecord,
            history: history, gradientLog: gradientLog, lossLog: lossLog, historyStride: historyStride,
            initialSpec: initialSpec,
            events: events, pendingGradient: pendingGradient, precision: precision, predicting: predicting,
            awaiting: awaiting, predictionScore: predictionScore, lastPlot: lastPlot)
    }

    public func restore(_ s: Snapshot) {
        spec = s.spec
        objective = s.objective
        start = s.start
        run = s.run
        beforeLast = s.beforeLast
        lastRecord = s.lastRecord
        history = s.history
        gradientLog = s.gradientLog
        lossLog = s.lossLog
        historyStride = s.historyStride
        historySize = Session.numbers(in: history)
        initialSpec = s.initialSpec
        events = s.events
        pendingGradient = s.pendingGradient
        precision = s.precision
        predicting = s.predicting
        awaiting = s.awaiting
        predictionScore = s.predictionScore
        lastPlot = s.lastPlot
    }

    /// The spec the last step was taken with (a later `set` does not change it), or the current one.
    public var lastStepSpec: OptimizerSpec { beforeLast?.spec ?? spec }

    /// Keeps `record` in the history, thinning it when it outgrows `historyBudget`.
    func remember(_ record: StepRecord<Double>, gradient: [Double]?) {
        // Appended in place: a copy of the log on every step would make long steps quadratic.
        if let loss = record.scalars[.loss], lossLog?.count == record.t - 1, record.t <= Session.historyBudget {
            lossLog!.append(loss)
        } else {
            lossLog = nil
        }
        if let gradient, let count = gradientLog?.count, count == record.t - 1,
            (count + 1) * gradient.count <= Session.historyBudget
        {
            gradientLog!.append(gradient)
        } else {
            gradientLog = nil
        }
        // The latest record is always kept; the one before it only if it falls on the stride.
        if history.count > 1, let last = history.last, last.t % historyStride != 0 {
            history.removeLast()
            historySize -= Session.numbers(in: [last])
        }
        history.append(record)
        historySize += Session.numbers(in: [record])
        while history.count > 2, historySize > Session.historyBudget {
            historyStride *= 2
            let (first, last) = (history.first!, history.last!)
            history = [first] + history.dropFirst().dropLast().filter { $0.t % historyStride == 0 } + [last]
            historySize = Session.numbers(in: history)
        }
    }

    /// How many numbers these records hold.
    static func numbers(in records: [StepRecord<Double>]) -> Int {
        records.reduce(0) { total, r in r.vectors.values.reduce(total + r.scalars.count) { $0 + $1.count } }
    }

    /// The last step, the state before it and the hyperparameters it was taken with: what exercises ask about.
    public var stepContext: StepContext? {
        guard let record = lastRecord else { return nil }
        return StepContext(record: record, previous: previousState, hyper: lastStepSpec.hyper, kind: lastStepSpec.kind)
    }

    /// The gradient of every step so far, in order (nil when some steps were not recorded or did not fit).
    public var gradientHistory: [[Double]]? {
        guard let log = gradientLog, log.count == run.t else { return nil }
        return log
    }

    /// The optimizer's state vectors before the last step (empty before any step: zeros).
    public var previousState: [Quantity: [Double]] {
        var out: [Quantity: [Double]] = [:]
        if let before = beforeLast {
            for (q, values) in before.slots { out[q] = values }
        }
        return out
    }

    // MARK: - Executing

    /// Parses and runs one line, giving back what it output (also told to `output` as it comes).
    /// Errors leave the session exactly as it was.
    @discardableResult
    public func execute(_ line: String) throws -> [Output] {
        if awaiting != nil && !(Command.isInert(line) && !Command.isEnter(line)) {
            return try answering { try answerPrediction(line) }
        }
        return try execute(try Command.parse(line))
    }

    /// Runs one line for a caller that wants its values and not `output` told (a lesson's playback).
    public func collect(_ line: String) throws -> [Output] {
        let was = telling
        telling = false
        defer { telling = was }
        return try execute(line)
    }

    @discardableResult
    public func execute(_ command: Command) throws -> [Output] {
        try answering { try perform(command) }
    }

    /// Runs `body`, giving back what it output. What a command gave belongs to the one that ran it too
    /// (`source` returns its commands' values).
    func answering(_ body: () throws -> Void) throws -> [Output] {
        collecting.append([])
        defer {
            let produced = collecting.removeLast()
            if !collecting.isEmpty { collecting[collecting.count - 1] += produced }
        }
        try body()
        return collecting.last ?? []
    }

    func perform(_ command: Command) throws {
        switch command {
        case .nothing: break
        case .repeatLast: try step(1)
        case .use(let arg): try use(arg)
        case .set(let arg): try set(arg)
        case .objective(let arg): try setObjective(arg)
        case .start(let arg): try setStart(arg)
        case .step(let n): try step(n)
        case .run(let n): try runFast(n)
        case .back(let n): try back(n)
        case .reset:
            try restart(spec: initialSpec, objective: objective, start: start)
            emit(.reset(start: start))
        case .grad(let arg): try grad(arg)
        case .show(let names): try show(names)
        case .showHistory(let name): try showHistory(name)
        case .explain(let name): try explain(name)
        case .check(let q, let value, let tolerance): try check(q, value, tolerance)
        case .compare(let arg): try compare(arg)
        case .sweep(let arg): try sweep(arg)
        case .conventions: try conventions()
        case .predict(let expressions): try predict(expressions)
        case .plot(let request, let drawing): try plot(request, drawing: drawing)
        case .export(let format, let path): try export(format, path)
        case .source(let path): try source(path)
        case .help(let topic): try help(topic)
        case .precision(let n):
            precision = n
            emit(.precision(n))
        case .lesson: throw SessionError("lessons are taken at the adamlab prompt: `adamlab lesson NAME`")
        case .quit: break
        }
    }
}
