// Choosing: `use`, `set`, `objective`, `start` and `grad`.

import AdamLabCore
import Foundation

extension Session {
    func use(_ arg: CommandText) throws {
        let newSpec: OptimizerSpec
        do { newSpec = try OptimizerSpec.parse(arg.text) } catch let e as CoreError { throw SessionError(e, in: arg) }
        try restart(spec: newSpec, objective: objective, start: start)
        emit(.using(newSpec, objective: objective, start: start))
    }

    func set(_ arg: CommandText) throws {
        var newSpec = spec
        do { try newSpec.apply(tokenize(arg.text)) } catch let e as CoreError { throw SessionError(e, in: arg) }
        var updated = run
        do { try updated.update(spec: newSpec) } catch let e as CoreError { throw SessionError(e.message) }
        run = updated
        spec = newSpec
        if run.t == 0 { initialSpec = newSpec } else { events.append(.set(newSpec, at: run.t)) }
        emit(.changed(newSpec, keptAt: run.t))
    }

    func setObjective(_ arg: CommandText) throws {
        let newObjective: Objective
        do {
            newObjective = try Objective.parse(arg.text, readFile: readFile)
        } catch let e as CoreError { throw SessionError(e, in: arg) }
        var newStart = start
        if let n = newObjective.dimension, n != start.count { newStart = newObjective.defaultStart }
        // A network starts from its own initial weights, never from a point that happens to fit.
        if newObjective.parameterGroups != nil { newStart = newObjective.defaultStart }
        try restart(spec: spec, objective: newObjective, start: newStart)
        emit(.objective(newObjective, start: newStart, loss: run.loss))
    }

    func setStart(_ arg: CommandText) throws {
        let typed = arg.trimmed
        guard let point = parseVector(typed.text), point.allSatisfy(\.isFinite)
        else {
            throw SessionError("start needs numbers separated by commas, e.g. `start 3,4`", at: typed.span)
        }
        do { try objective.validate(start: point) } catch let e as CoreError {
            throw SessionError(e.message, at: typed.span)
        }
        try restart(spec: spec, objective: objective, start: point)
        emit(.start(point, loss: run.loss))
    }

    func restart(spec newSpec: OptimizerSpec, objective newObjective: Objective, start newStart: [Double]) throws {
        let fresh: PrecisionRun
        do { fresh = try PrecisionRun(spec: newSpec, objective: newObjective, start: newStart) } catch let e
            as CoreError
        {
            throw SessionError(e.message)
        }
        spec = newSpec
        initialSpec = newSpec
        objective = newObjective
        start = newStart
        run = fresh
        beforeLast = nil
        lastRecord = nil
        history = []
        historySize = 0
        gradientLog = []
        lossLog = []
        historyStride = 1
        events = []
        pendingGradient = nil
    }

    func grad(_ arg: CommandText) throws {
        let text = arg.text.replacingOccurrences(of: " ", with: "")
        guard let g = parseVector(text), g.allSatisfy(\.isFinite) else {
            throw SessionError(
                "grad needs finite numbers separated by commas, e.g. `grad 1,-2`",
                at: TextSpan(column: arg.offset + 2, width: max(1, text.count)))
        }
        guard g.count == run.theta.count else {
            throw SessionError(
                "θ has \(run.theta.count) coordinates, the gradient \(g.count)",
                at: TextSpan(column: arg.offset + 2, width: text.count))
        }
        pendingGradient = g
        emit(.typedGradient(g))
    }
}
