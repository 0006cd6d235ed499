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
                emit(.step(TakenStep(record: record, spec: lastStepSpec, groups: objective.parameterGroups)))
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
        // A model's weights by name: `show m_hat w1[3,2] b1[0]`.
        let groups = objective.parameterGroups
        var picked: [Int] = []
        var quantityNames: [String] = []
        for name in names {
            if let groups, name.contains("["), Quantity(name: name) == nil {
                guard let i = groups.coordinate(of: name) else {
                    let shapes = groups.map {
                        $0.columns == 1
                            ? "\($0.name)[0…\($0.rows - 1)]" : "\($0.name)[0…\($0.rows - 1),0…\($0.columns - 1)]"
                    }
                    throw SessionError("no weight '\(name)'; this network has \(shapes.joined(separator: ", "))")
                }
                picked.append(i)
            } else {
                quantityNames.append(name)
            }
        }
        // An unknown name is said to be unknown, step or no step.
        let qs = try (quantityNames.isEmpty ? ["theta"] : quantityNames).map(quantity)
        let record = try requireStep()
        for q in qs where record[q] == nil {
            throw SessionError(
                "\(spec.kind.rawValue) has no \(q.machineName); this step has: \(record.quantities.map(\.machineName).joined(separator: " "))"
            )
        }
        if let groups, qs.contains(where: { !$0.isScalar }) {
            emit(.layerQuantities(record, qs, groups: groups, picked: picked))
        } else {
            emit(.quantities(record, qs))
        }
    }

    func showState() throws {
        emit(
            .state(
                OptimizerStateView(
                    t: run.t, spec: spec, loss: run.loss, theta: run.theta, slots: run.slots,
                    pendingGradient: pendingGradient)))
    }

    func showHistory(_ name: String) throws {
        let q = try quantity(name)
        guard !history.isEmpty else { throw SessionError("no steps yet; type `step` or `run N` first") }
        // A quantity a `set` brought in part-way (a schedule's lr) has a history from then on.
        let kept = history.compactMap { record in record[q].map { (t: record.t, values: $0) } }
        guard !kept.isEmpty else { throw SessionError("\(spec.kind.rawValue) has no \(q.machineName)") }
        emit(.history(q, kept))
    }

    func explain(_ e: AnswerExpression) throws {
        let record = try requireStep()
        let context = ExplainContext(
            record: record, previous: previousState, spec: lastStepSpec, start: start, noise: objective.noise)
        switch e {
        case .quantity(let q, let i):
            var explanation = try context.explain(q)
            if let i {
                guard i < explanation.dimension else {
                    throw SessionError(
                        "coordinate \(i) does not exist: θ has \(explanation.dimension) (they count from 0)")
                }
                if i < explanation.coordinates.count { explanation.only(coordinate: i) }
            }
            explanation.groups = objective.parameterGroups
            emit(.explanation(explanation))
        default:
            emit(.explanation(try context.explain(e, reference: try evaluate(e), gradients: gradientHistory)))
        }
    }

    func check(_ e: AnswerExpression, _ value: CommandText, _ tolerance: Double?) throws {
        let reference = try evaluate(e)
        let expected = reference.expected
        let typed: [TypedNumber]
        do { typed = try parseTypedAnswer(value.text) } catch let error as AnswerSyntaxError {
            throw SessionError(error.message, at: value.span)
        }
        guard typed.count == 1 || typed.count == expected.count else {
            let note =
                expected.count == 1
                ? answerCountNote(typed, expectedCount: 1)
                : "this has \(expected.count) coordinates; type one value or \(expected.count)"
            throw SessionError(note, at: value.span)
        }
        let result = CheckResult(typed: typed, expected: expected, tolerance: tolerance)
        let grade = Session.grade(typed: typed, reference: reference, tolerance: tolerance)
        let coordinateGrades =
            expected.count > 1
            ? (0..<expected.count).map {
                Session.grade(
                    typed: [typed[typed.count == 1 ? 0 : $0]], reference: reference.coordinate($0), tolerance: tolerance
                )
            } : []
        emit(
            .verdicts(
                CheckVerdicts(
                    expression: e, t: reference.t, coordinates: reference.coordinates, typed: typed, result: result,
                    explicitTolerance: tolerance != nil, grade: grade, coordinateGrades: coordinateGrades)))
    }
}
