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
    public private(set) var spec: OptimizerSpec
    public private(set) var objective: Objective
    public private(set) var start: [Double]
    public private(set) var run: Run<Double>
    /// The run just before the last step (for `explain`, `conventions`), and that step's record.
    private(set) var beforeLast: Run<Double>?
    public private(set) var lastRecord: StepRecord<Double>?
    /// Recorded steps, by t: every `step`, and samples of every `run`, within `historyBudget`.
    public private(set) var history: [StepRecord<Double>] = []
    /// Every step's gradient since t = 0, while every step was recorded and they fit the budget (else nil).
    public private(set) var gradientLog: [[Double]]? = []
    /// At most this many numbers are kept in `history` (and, separately, in `gradientLog`): 2²² doubles, 32 MiB.
    /// A longer history is thinned evenly (every other record dropped, the first and last kept); `back`
    /// does not need it, since it replays from θ₀.
    public static let historyBudget = 1 << 22
    /// Only records whose t is a multiple of this are kept once the history has been thinned.
    private var historyStride = 1
    private var initialSpec: OptimizerSpec
    private var events: [RunEvent] = []
    private var pendingGradient: [Double]?
    private let readFile: (String) throws -> String
    private var sourceDepth = 0
    /// Receives every value as a command gives it (a long `step 20` shows each step as it is taken).
    public var output: (Output) -> Void
    /// What the commands running now have given, innermost last (`source` runs commands within one).
    private var collecting: [[Output]] = []
    /// Whether `output` is told (false while `collect` runs a command for a caller that wants the values).
    private var telling = true

    private func emit(_ o: Output) {
        if !collecting.isEmpty { collecting[collecting.count - 1].append(o) }
        if telling { output(o) }
    }
    /// Asked during long runs; true stops the run at the last completed step.
    public var shouldStop: () -> Bool = { false }
    /// Shows progress of long runs (a terminal overwrites it in place; nil clears it); nil in scripts.
    public var progress: ((RunProgress?) -> Void)?

    public init(readFile: @escaping (String) throws -> String = { try TextFile.read($0) },
                output: @escaping (Output) -> Void = { _ in }) {
        self.readFile = readFile
        self.output = output
        spec = try! OptimizerSpec.parse("adam lr=0.1")
        objective = .sphere
        start = [3, 4]
        initialSpec = spec
        run = try! Run(spec: spec, objective: objective, start: start)
    }

    /// The state of a new session (Adam lr=0.1 on the sphere from (3, 4)), without a word of output: a
    /// lesson starts here, so it plays the same from the REPL as in `verify`.
    public func startAfresh() {
        let fresh = Session(readFile: readFile)
        restore(fresh.snapshot())
    }

    /// Everything that makes up the session's state, to put back after a detour.
    public struct Snapshot {
        fileprivate var spec: OptimizerSpec, objective: Objective, start: [Double], run: Run<Double>
        fileprivate var beforeLast: Run<Double>?, lastRecord: StepRecord<Double>?, history: [StepRecord<Double>]
        fileprivate var gradientLog: [[Double]]?, historyStride: Int
        fileprivate var initialSpec: OptimizerSpec, events: [RunEvent], pendingGradient: [Double]?
    }

    public func snapshot() -> Snapshot {
        Snapshot(spec: spec, objective: objective, start: start, run: run, beforeLast: beforeLast, lastRecord: lastRecord,
                 history: history, gradientLog: gradientLog, historyStride: historyStride, initialSpec: initialSpec,
                 events: events, pendingGradient: pendingGradient)
    }

    public func restore(_ s: Snapshot) {
        spec = s.spec; objective = s.objective; start = s.start; run = s.run; beforeLast = s.beforeLast
        lastRecord = s.lastRecord; history = s.history; gradientLog = s.gradientLog; historyStride = s.historyStride
        initialSpec = s.initialSpec; events = s.events; pendingGradient = s.pendingGradient
    }

    /// The spec the last step was taken with (a later `set` does not change it), or the current one.
    public var lastStepSpec: OptimizerSpec { beforeLast?.spec ?? spec }

    /// Keeps `record` in the history, thinning it when it outgrows `historyBudget`.
    private func remember(_ record: StepRecord<Double>, gradient: [Double]?) {
        if var log = gradientLog, let gradient, log.count == record.t - 1 {
            log.append(gradient)
            gradientLog = log.count * gradient.count <= Session.historyBudget ? log : nil
        } else {
            gradientLog = nil
        }
        // The latest record is always kept; the one before it only if it falls on the stride.
        if history.count > 1, let last = history.last, last.t % historyStride != 0 { history.removeLast() }
        history.append(record)
        func size(_ r: StepRecord<Double>) -> Int { r.vectors.values.reduce(r.scalars.count) { $0 + $1.count } }
        while history.count > 2, history.reduce(0, { $0 + size($1) }) > Session.historyBudget {
            historyStride *= 2
            let (first, last) = (history.first!, history.last!)
            history = [first] + history.dropFirst().dropLast().filter { $0.t % historyStride == 0 } + [last]
        }
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
            for s in before.optimizer.state.slots { out[s] = before.optimizer.state.vector(s) }
        }
        return out
    }

    // MARK: - Executing

    /// Parses and runs one line, giving back what it output (also told to `output` as it comes).
    /// Errors leave the session exactly as it was.
    @discardableResult
    public func execute(_ line: String) throws -> [Output] {
        try execute(try Command.parse(line))
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
        collecting.append([])
        defer { collecting.removeLast() }
        try perform(command)
        return collecting.last ?? []
    }

    private func perform(_ command: Command) throws {
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
        case .conventions: try conventions()
        case .source(let path): try source(path)
        case .help(let topic): try help(topic)
        case .precision(let n):
            emit(.precision(n))
        case .lesson: throw SessionError("lessons are taken at the adamlab prompt: `adamlab lesson NAME`")
        case .quit: break
        }
    }

    // MARK: - Choosing

    private func use(_ arg: CommandText) throws {
        let newSpec: OptimizerSpec
        do { newSpec = try OptimizerSpec.parse(arg.text) } catch let e as CoreError { throw SessionError(e, offset: arg.offset) }
        try restart(spec: newSpec, objective: objective, start: start)
        emit(.using(newSpec, objective: objective, start: start))
    }

    private func set(_ arg: CommandText) throws {
        var newSpec = spec
        do { try newSpec.apply(tokenize(arg.text)) } catch let e as CoreError { throw SessionError(e, offset: arg.offset) }
        var updated = run
        do { try updated.update(spec: newSpec) } catch let e as CoreError { throw SessionError(e.message) }
        run = updated
        spec = newSpec
        if run.t == 0 { initialSpec = newSpec } else { events.append(.set(newSpec, at: run.t)) }
        emit(.changed(newSpec, keptAt: run.t))
    }

    private func setObjective(_ arg: CommandText) throws {
        let newObjective: Objective
        do {
            newObjective = try Objective.parse(arg.text, readFile: readFile)
        } catch let e as CoreError { throw SessionError(e, offset: arg.offset) }
        var newStart = start
        if let n = newObjective.dimension, n != start.count { newStart = newObjective.defaultStart }
        try restart(spec: spec, objective: newObjective, start: newStart)
        emit(.objective(newObjective, start: newStart, loss: run.loss))
    }

    private func setStart(_ arg: CommandText) throws {
        let text = arg.text.trimmingCharacters(in: .whitespaces)
        guard let point = parseVector(text.replacingOccurrences(of: " ", with: "")), point.allSatisfy(\.isFinite) else {
            throw SessionError("start needs numbers separated by commas, e.g. `start 3,4`", column: arg.offset + 2, width: text.count)
        }
        do { try objective.validate(start: point) } catch let e as CoreError {
            throw SessionError(e.message, column: arg.offset + 2, width: text.count)
        }
        try restart(spec: spec, objective: objective, start: point)
        emit(.start(point, loss: run.loss))
    }

    private func restart(spec newSpec: OptimizerSpec, objective newObjective: Objective, start newStart: [Double]) throws {
        let fresh: Run<Double>
        do { fresh = try Run(spec: newSpec, objective: newObjective, start: newStart) } catch let e as CoreError { throw SessionError(e.message) }
        spec = newSpec
        initialSpec = newSpec
        objective = newObjective
        start = newStart
        run = fresh
        beforeLast = nil
        lastRecord = nil
        history = []
        gradientLog = []
        historyStride = 1
        events = []
        pendingGradient = nil
    }

    private func grad(_ arg: CommandText) throws {
        let text = arg.text.replacingOccurrences(of: " ", with: "")
        guard let g = parseVector(text), g.allSatisfy(\.isFinite) else {
            throw SessionError("grad needs finite numbers separated by commas, e.g. `grad 1,-2`", column: arg.offset + 2, width: max(1, text.count))
        }
        guard g.count == run.theta.count else {
            throw SessionError("θ has \(run.theta.count) coordinates, the gradient \(g.count)", column: arg.offset + 2, width: text.count)
        }
        pendingGradient = g
        emit(.typedGradient(g))
    }

    // MARK: - Stepping

    /// Takes one recorded step, keeping the state before it; divergence changes nothing.
    private func recordedStep() throws -> StepRecord<Double> {
        var next = run
        let record: StepRecord<Double>
        do {
            record = try next.step(gradient: pendingGradient)
        } catch let d as Divergence {
            throw SessionError(divergenceMessage(d))
        } catch let e as CoreError { throw SessionError(e.message) }
        if let g = pendingGradient { events.append(.gradient(g, step: record.t)) }
        pendingGradient = nil
        beforeLast = run
        run = next
        lastRecord = record
        remember(record, gradient: record.vectors[.g])
        return record
    }

    /// A progress line for long runs, at most four times a second; cleared when the run ends.
    private struct ProgressLine {
        let show: ((RunProgress?) -> Void)?
        var last = Date()
        var showing = false

        mutating func update(_ progress: @autoclosure () -> RunProgress) {
            guard let show, Date().timeIntervalSince(last) > 0.25 else { return }
            last = Date()
            showing = true
            show(progress())
        }

        mutating func clear() {
            if showing { show?(nil); showing = false }
        }
    }

    /// `step N`: every step recorded (shown when N ≤ 20), with the progress line and Ctrl-C of `run`.
    private func step(_ count: Int) throws {
        let verbose = count <= 20
        let target = run.t + count
        var last: StepRecord<Double>?
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        for k in 0..<count {
            if k > 0 && shouldStop() {
                line.clear()
                emit(.stopped(at: run.t))
                break
            }
            let record = try recordedStep()
            if verbose { emit(.step(TakenStep(record: record, spec: lastStepSpec))) }
            last = record
            line.update(RunProgress(t: self.run.t, target: target, loss: self.run.loss))
        }
        line.clear()
        if !verbose, let last {
            emit(.manySteps(last: TakenStep(record: last, spec: lastStepSpec), taken: last.t - target + count))
        }
    }

    private func runFast(_ count: Int) throws {
        let target = run.t + count
        let chunk = max(1, min(1 << 16, count / 100))
        var line = ProgressLine(show: progress)
        defer { line.clear() }
        if pendingGradient != nil { _ = try recordedStep() }
        while run.t < target {
            let n = min(chunk, target - run.t)
            var next = run
            do {
                if n > 1 { try next.advance(steps: n - 1, shouldStop: shouldStop) }
            } catch let d as Divergence {
                run = next
                throw SessionError(divergenceMessage(d))
            }
            run = next
            // Even when stopped, end on a recorded step, so `explain` and `show` describe where the run is.
            _ = try recordedStep()
            if shouldStop() && run.t < target {
                line.clear()
                emit(.stopped(at: run.t))
                break
            }
            line.update(RunProgress(t: self.run.t, target: target, loss: self.run.loss))
        }
        line.clear()
        emit(.summary(summary()))
    }

    /// Names the step and the quantity, and what to try: a NaN loss at a finite θ means θ left the
    /// objective's domain (a log or sqrt of a negative number), which a smaller lr may not cure.
    private func divergenceMessage(_ d: Divergence) -> String {
        let advice: String
        let atFiniteTheta = run.theta.allSatisfy(\.isFinite)
        if d.value.isNaN && (d.quantity == .loss || d.quantity == .g) && atFiniteTheta {
            advice = "\(d.quantity == .loss ? "f" : "∇f") is not defined at this θ (outside the objective's domain, as for the log or square root of a negative number); try another start"
        } else if d.t == 1 && (d.quantity == .loss || d.quantity == .g) {
            advice = "\(d.quantity == .loss ? "f" : "∇f") is not finite at θ₀; try another start"
        } else {
            advice = "Try a smaller lr"
        }
        return "\(d.description); stopped at t = \(d.t - 1) (θ = \(vector(run.theta))). \(advice)"
    }

    private func summary() -> RunSummary {
        let (loss, g) = run.objective.valueAndGradient(run.theta)
        return RunSummary(t: run.t, loss: loss, gradientNorm: norm(g), theta: run.theta, lastUpdate: lastRecord?.vectors[.update])
    }

    private func back(_ count: Int) throws {
        guard run.t > 0 else { throw SessionError("already at t = 0") }
        let target = max(0, run.t - count)
        try rebuild(to: target)
        emit(.wentBack(t: run.t, theta: run.theta, loss: run.loss))
    }

    /// The gradient typed with `grad` for step `step`, if one was.
    private func typedGradient(for step: Int) -> [Double]? {
        for case .gradient(let g, let s) in events where s == step { return g }
        return nil
    }

    /// Replays the run from θ₀ to step `target`, re-applying `set` and typed gradients (deterministic,
    /// so the replayed state is bit for bit the one the learner had).
    private func rebuild(to target: Int) throws {
        var replay = try Run<Double>(spec: initialSpec, objective: objective, start: start)
        var currentSpec = initialSpec
        var before: Run<Double>?
        var record: StepRecord<Double>?
        func applySets() throws {
            for case .set(let newSpec, let at) in events where at == replay.t {
                try replay.update(spec: newSpec)
                currentSpec = newSpec
            }
        }
        while replay.t < target {
            let nextStep = replay.t + 1
            let gradient = typedGradient(for: nextStep)
            if nextStep == target || gradient != nil {
                if nextStep == target { before = replay }
                record = try replay.step(gradient: gradient)
            } else {
                // Run fast up to the next moment something was changed, or to just before the target.
                var stop = target - 1
                for event in events {
                    switch event {
                    case .set(_, let at) where at > replay.t: stop = min(stop, at)
                    case .gradient(_, let s) where s > nextStep: stop = min(stop, s - 1)
                    default: break
                    }
                }
                try replay.advance(steps: stop - replay.t)
            }
            try applySets()
        }
        events = events.filter {
            switch $0 {
            case .set(_, let at): return at <= target
            case .gradient(_, let s): return s <= target
            }
        }
        run = replay
        spec = currentSpec
        beforeLast = before
        lastRecord = record
        history = history.filter { $0.t <= target }
        if let record, history.last?.t != target { history.append(record) }
        pendingGradient = nil
    }

    // MARK: - Looking

    private func quantity(_ name: String) throws -> Quantity {
        if let q = Quantity(name: name) { return q }
        let names = Quantity.allCases.map(\.machineName)
        let hint = didYouMean(name, in: names).map { "did you mean '\($0)'? " } ?? ""
        throw SessionError("unknown quantity '\(name)'; \(hint)quantities: \(names.joined(separator: " "))")
    }

    private func requireStep() throws -> StepRecord<Double> {
        guard let record = lastRecord else { throw SessionError("no step taken yet; type `step` first") }
        return record
    }

    private func show(_ names: [String]) throws {
        if names.isEmpty {
            if let record = lastRecord { emit(.step(TakenStep(record: record, spec: lastStepSpec))) } else { try showState() }
            return
        }
        switch names[0].lowercased() {
        case "state": try showState(); return
        case "spec", "settings":
            emit(.settings(spec: spec, objective: objective, start: start, t: run.t))
            return
        default: break
        }
        let record = try requireStep()
        let qs = try names.map(quantity)
        for q in qs where record[q] == nil {
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName); this step has: \(record.quantities.map(\.machineName).joined(separator: " "))")
        }
        emit(.quantities(record, qs))
    }

    private func showState() throws {
        let state = run.optimizer.state
        emit(.state(OptimizerStateView(t: run.t, spec: spec, loss: run.loss, theta: run.theta,
                                       slots: state.slots.map { ($0, state.vector($0)!) }, pendingGradient: pendingGradient)))
    }

    private func showHistory(_ name: String) throws {
        let q = try quantity(name)
        guard !history.isEmpty else { throw SessionError("no steps yet; type `step` or `run N` first") }
        guard history.first?[q] != nil else {
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName)")
        }
        emit(.history(q, history.map { (t: $0.t, values: $0[q] ?? []) }))
    }

    private func explain(_ name: String) throws {
        let q = try quantity(name)
        let record = try requireStep()
        emit(.explanation(try ExplainContext(record: record, previous: previousState, spec: lastStepSpec).explain(q)))
    }

    private func check(_ name: String, _ value: CommandText, _ tolerance: Double?) throws {
        let q = try quantity(name)
        let record = try requireStep()
        guard let expected = record[q] else {
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName) at step \(record.t)")
        }
        let typed: [TypedNumber]
        do { typed = try parseTypedAnswer(value.text) } catch let e as AnswerSyntaxError {
            throw SessionError(e.message, column: value.offset + 1, width: value.text.count)
        }
        guard typed.count == 1 || typed.count == expected.count else {
            let note = expected.count == 1 ? answerCountNote(typed, expectedCount: 1)
                : "\(q.machineName) has \(expected.count) coordinates; type one value or \(expected.count)"
            throw SessionError(note, column: value.offset + 1, width: value.text.count)
        }
        let result = CheckResult(typed: typed, expected: expected, tolerance: tolerance)
        emit(.verdicts(CheckVerdicts(quantity: q, t: record.t, typed: typed, result: result, explicitTolerance: tolerance != nil)))
    }

    // MARK: - Comparing

    private func compare(_ arg: CommandText) throws {
        var steps = 1000
        var tolerance = 1e-6
        var groups: [[SpecToken]] = []
        for token in tokenize(arg.text) {
            let lower = token.text.lowercased()
            if lower.hasPrefix("steps=") {
                guard let n = Int(token.text.dropFirst(6)), n >= 1, n <= 10_000_000 else {
                    throw SessionError("steps= takes a whole number from 1 to 10⁷", column: arg.offset + token.column, width: token.text.count)
                }
                steps = n
            } else if lower.hasPrefix("tol=") {
                guard let t = parseNumber(String(token.text.dropFirst(4))), t > 0 else {
                    throw SessionError("tol= takes a positive number", column: arg.offset + token.column, width: token.text.count)
                }
                tolerance = t
            } else if OptimizerKind(rawValue: lower) != nil || lower == "amsgrad" || !token.text.contains("=") {
                groups.append([token])
            } else if groups.isEmpty {
                throw SessionError("name an optimizer before its hyperparameters", column: arg.offset + token.column, width: token.text.count)
            } else {
                groups[groups.count - 1].append(token)
            }
        }
        guard groups.count >= 1 else { throw SessionError("compare needs optimizers, e.g. `compare adam sgd lr=0.1`") }
        var rows: [Comparison.Row] = []
        for group in groups {
            let text = group.map(\.text).joined(separator: " ")
            let parsed: OptimizerSpec
            do { parsed = try OptimizerSpec.parse(text) } catch let e as CoreError {
                throw SessionError(e.message, column: arg.offset + group[0].column + (e.column ?? 1) - 1, width: e.token?.count ?? 1)
            }
            var r = try Run<Double>(spec: parsed, objective: objective, start: start)
            var reached: Int?
            var status = Comparison.Row.Status.ok
            var gradient = [Double](repeating: 0, count: start.count)
            do {
                while r.t < steps {
                    if shouldStop() { status = .stopped; break }
                    try r.advance(steps: 1)
                    if reached == nil {
                        objective.gradient(r.theta, into: &gradient)
                        if norm(gradient) <= tolerance { reached = r.t }
                    }
                }
            } catch let d as Divergence {
                status = .diverged(at: d.t)
            }
            let (loss, g) = objective.valueAndGradient(r.theta)
            rows.append(Comparison.Row(spec: parsed, theta: r.theta, loss: loss, gradientNorm: norm(g), reached: reached, status: status))
        }
        emit(.comparison(Comparison(objective: objective, start: start, steps: steps, tolerance: tolerance, rows: rows)))
    }

    /// The last step (or, before any, the next one) recomputed under each library's formula, from the
    /// same state and with the hyperparameters that step was taken with.
    private func conventions() throws {
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
                rows.append(ConventionComparison.Row(convention: convention, update: nil, thetaNext: nil, differenceFromPaper: nil))
                continue
            }
            let update = record.vectors[.update]!
            if convention == .paper { paperUpdate = update }
            let difference = paperUpdate.map { p in zip(update, p).map { abs($0 - $1) }.max() ?? 0 }
            rows.append(ConventionComparison.Row(convention: convention, update: update, thetaNext: record.vectors[.thetaNext]!, differenceFromPaper: difference))
        }
        emit(.conventions(ConventionComparison(spec: stepSpec, t: t, taken: taken, changedSince: taken && stepSpec != spec, rows: rows)))
    }

    // MARK: - Files and help

    /// Runs a file's commands, each echoed as a script echoes it; the first failure stops it with `FILE:LINE:`.
    private func source(_ path: String) throws {
        guard sourceDepth < 8 else { throw SessionError("source nested more than 8 deep") }
        let text: String
        do { text = try readFile(path) } catch {
            throw SessionError("\(path): \(plainReason(error))")
        }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        for (number, line) in splitLines(text).enumerated() {
            if Command.isInert(line) || Command.isEnter(line) { continue }
            emit(.echo(line))
            do { try execute(line) } catch {
                throw SessionError("\(path):\(number + 1): \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
    }

    private func help(_ topic: String?) throws {
        guard let topic else { emit(.help(.overview)); return }
        let lower = topic.lowercased()
        if Command.catalogue.contains(where: { $0.name == lower }) {
            emit(.help(.command(name: lower, currentKind: spec.kind)))
            return
        }
        // A word can be an optimizer and a hyperparameter (`momentum`): both are shown. Hyperparameters
        // come before quantities, so `help lr` is the learning rate, not lr_t.
        let optimizer = OptimizerKind(rawValue: lower)
        let amsgrad = lower == "amsgrad"
        let hyperparameter = amsgrad ? nil : HyperparameterName(spelling: topic)
        let quantity = optimizer == nil && !amsgrad && hyperparameter == nil ? Quantity(name: topic) : nil
        if optimizer != nil || amsgrad || hyperparameter != nil || quantity != nil {
            emit(.help(.words(optimizer: optimizer, amsgrad: amsgrad, hyperparameter: hyperparameter, quantity: quantity)))
            return
        }
        let topics = Command.names + OptimizerKind.allCases.map(\.rawValue) + HyperparameterName.allCases.map(\.rawValue)
            + Quantity.allCases.map(\.machineName)
        let hint = didYouMean(lower, in: topics).map { "did you mean '\($0)'? " } ?? ""
        throw SessionError("no help on '\(topic)'; \(hint)try a command, an optimizer, a hyperparameter or a quantity: \(Command.names.joined(separator: " "))")
    }

    // MARK: - Completion

    /// Candidates for the word being typed, given the text before it (empty: nothing to offer, and no
    /// file names either, unless `completesFileNames(before:)`).
    public func completions(before: String, word: String) -> [String] {
        let words = tokenize(before).map(\.text)
        let lowerWord = word.lowercased()
        func matching(_ options: [String]) -> [String] { options.filter { $0.lowercased().hasPrefix(lowerWord) }.sorted() }
        guard let command = words.first?.lowercased() else { return matching(Command.names) }
        // After `name=` (libedit breaks words at `=`): the values it takes, where there are few.
        if before.hasSuffix("="), let key = tokenize(before).last?.text.dropLast().lowercased() {
            if let hp = HyperparameterName(spelling: String(key)) { return matching(hp.choices) }
            return []
        }
        let quantities = Quantity.allCases.map(\.machineName)
        let optimizers = OptimizerKind.allCases.map(\.rawValue) + ["amsgrad"]
        func hyperparameters(_ kind: OptimizerKind) -> [String] { OptimizerSpec.applicable(to: kind).map { $0.rawValue + "=" } }
        switch command {
        case "use":
            if words.count == 1 { return matching(optimizers) }
            let kind = OptimizerKind(rawValue: words[1].lowercased()) ?? (words[1].lowercased() == "amsgrad" ? .adam : spec.kind)
            return matching(hyperparameters(kind))
        case "compare":
            let kind = words.reversed().compactMap { OptimizerKind(rawValue: $0.lowercased()) }.first ?? spec.kind
            return matching(optimizers + (words.count > 1 ? hyperparameters(kind) + ["steps=", "tol="] : []))
        case "set":
            return matching(hyperparameters(spec.kind))
        case "objective", "obj":
            if words.count == 1 { return matching(Objective.names) }
            return matching(Objective.parameterNames(of: words[1].lowercased()).map { $0 + "=" })
        case "show":
            return matching(quantities + (words.count == 1 ? ["state", "spec", "history"] : []))
        case "explain", "check":
            return words.count == 1 ? matching(quantities) : []
        case "help":
            return words.count == 1 ? matching(Command.names + quantities + optimizers + HyperparameterName.allCases.map(\.rawValue)) : []
        default:
            return []
        }
    }

    /// Whether the word being typed is a file name (`source FILE`, `file=` of linear regression).
    public func completesFileNames(before: String) -> Bool {
        let words = tokenize(before).map { $0.text.lowercased() }
        if words.first == "source" { return words.count == 1 }
        return before.lowercased().hasSuffix("file=")
    }

    // MARK: - Helpers

    /// A vector in an error message: six significant digits, the first eight coordinates.
    func vector(_ v: [Double]) -> String {
        let shown = v.prefix(8).map { $0 == 0 ? "0" : String(format: "%.6g", $0) }.joined(separator: ", ")
        return "(" + shown + (v.count > 8 ? ", … \(v.count - 8) more" : "") + ")"
    }

    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
