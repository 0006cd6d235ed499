// Looking: `show`, `explain` and `check`.

import AdamLabCore
import Foundation

extension Session {
    func quantity(_ name: String) throws -> Quantity {
        if let q = Quantity(name: name) { return q }
        let names = Quantity.allCases.map(\.machineName)
        let hint = didYouMean(name, in: names).map { "did you mean '\($0)'? " } ?? ""
        throw SessionError("unknown quantity '\(name)'; \(hint)quantities: \(names.joined(separator: " "))")
    }

    func requireStep() throws -> StepRecord<Double> {
        guard let record = lastRecord else { throw SessionError("no step taken yet; type `step` first") }
        return record
    }

    func show(_ names: [String]) throws {
        if names.isEmpty {
            if let record = lastRecord {
                emit(.step(TakenStep(record: record, spec: lastStepSpec)))
            } else {
                try showState()
            }
            return
        }
        switch names[0].lowercased() {
        case "state":
            try showState()
            return
        case "spec", "settings":
            emit(.settings(spec: spec, objective: objective, start: start, t: run.t))
            return
        default: break
        }
        let record = try requireStep()
        let qs = try names.map(quantity)
        for q in qs where record[q] == nil {
            throw SessionError(
                "\(spec.kind.rawValue) has no \(q.machineName); this step has: \(record.quantities.map(\.machineName).joined(separator: " "))"
            )
        }
        emit(.quantities(record, qs))
    }

    func showState() throws {
        let state = run.optimizer.state
        emit(
            .state(
                OptimizerStateView(
                    t: run.t, spec: spec, loss: run.loss, theta: run.theta,
                    slots: state.slots.map { ($0, state.vector($0)!) }, pendingGradient: pendingGradient)))
    }

    func showHistory(_ name: String) throws {
        let q = try quantity(name)
        guard !history.isEmpty else { throw SessionError("no steps yet; type `step` or `run N` first") }
        guard history.first?[q] != nil else {
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName)")
        }
        emit(.history(q, history.map { (t: $0.t, values: $0[q] ?? []) }))
    }

    func explain(_ name: String) throws {
        let q = try quantity(name)
        let record = try requireStep()
        emit(.explanation(try ExplainContext(record: record, previous: previousState, spec: lastStepSpec).explain(q)))
    }

    func check(_ name: String, _ value: CommandText, _ tolerance: Double?) throws {
        let q = try quantity(name)
        let record = try requireStep()
        guard let expected = record[q] else {
            throw SessionError("\(spec.kind.rawValue) has no \(q.machineName) at step \(record.t)")
        }
        let typed: [TypedNumber]
        do { typed = try parseTypedAnswer(value.text) } catch let e as AnswerSyntaxError {
            throw SessionError(e.message, at: value.span)
        }
        guard typed.count == 1 || typed.count == expected.count else {
            let note =
                expected.count == 1
                ? answerCountNote(typed, expectedCount: 1)
                : "\(q.machineName) has \(expected.count) coordinates; type one value or \(expected.count)"
            throw SessionError(note, at: value.span)
        }
        let result = CheckResult(typed: typed, expected: expected, tolerance: tolerance)
        emit(
            .verdicts(
                CheckVerdicts(
                    quantity: q, t: record.t, typed: typed, result: result, explicitTolerance: tolerance != nil)))
    }
}
