// Predicting: `predict EXPR …` asks for the learner's values before each step is shown, grades them
// with the one grader, then shows the step with each prediction marked.

import AdamLabCore
import Foundation

extension Session {
    func predict(_ expressions: [AnswerExpression]?) throws {
        guard let expressions else {
            guard !predicting.isEmpty else {
                throw SessionError("predict is not on; `predict m_hat v_hat` turns it on")
            }
            if awaiting != nil { finishPrediction() }
            predicting = []
            emit(.predictionScore(predictionScore))
            return
        }
        // Each value must be one this optimizer has (checked against the last step when there is one).
        if let record = lastRecord {
            for case .quantity(let q, _) in expressions where record[q] == nil {
                throw SessionError(
                    "\(lastStepSpec.kind.rawValue) has no \(q.machineName); it has: \(record.quantities.map(\.machineName).joined(separator: " "))"
                )
            }
        }
        // Changing what is predicted keeps the score so far; turning predict on starts it afresh.
        if predicting.isEmpty { predictionScore = PredictionScore() }
        predicting = expressions
        emit(.predicting(expressions))
    }

    /// One step in predict mode: taken now, shown once the learner has given every value.
    func predictedStep() throws {
        let record = try recordedStep()
        let taken = TakenStep(record: record, spec: lastStepSpec, groups: objective.parameterGroups)
        var asks: [PredictionAsk] = []
        var references: [AnswerReference] = []
        var unavailable: [(AnswerExpression, String)] = []
        for e in predicting {
            // A value this step cannot give (a quantity the optimizer lacks) is left out of this step, said so.
            let reference: AnswerReference
            do { reference = try evaluate(e) } catch {
                unavailable.append((e, (error as? SessionError)?.message ?? "\(error)"))
                continue
            }
            references.append(reference)
            asks.append(
                PredictionAsk(expression: e, t: reference.t, coordinates: reference.coordinates, index: 0, count: 0))
        }
        for k in asks.indices {
            asks[k].index = k + 1
            asks[k].count = asks.count
        }
        if !unavailable.isEmpty { emit(.predictionUnavailable(unavailable)) }
        guard !asks.isEmpty else {
            emit(.step(taken))
            return
        }
        awaiting = PendingPrediction(step: taken, asks: asks, references: references)
        emit(.predictionAsk(asks[0]))
    }

    /// A line typed while a step waits for predictions: a value, `skip`, or `predict off`.
    func answerPrediction(_ line: String) throws {
        guard var pending = awaiting else { return }
        let ask = pending.current
        let reference = pending.references[pending.grades.count]
        let words = line.split(whereSeparator: \.isWhitespace).map { $0.lowercased() }
        if words == ["predict", "off"] {
            try predict(nil)
            return
        }
        if words.isEmpty {
            throw SessionError("type your value (numbers as a,b), `skip`, or `predict off`")
        }
        if words == ["quit"] || words == ["exit"] {
            throw SessionError("a step is waiting for your prediction: type your value, `skip`, or `predict off`")
        }
        var typed: [Double] = []
        let grade: Grade?
        if words == ["skip"] {
            grade = nil
        } else {
            let numbers: [TypedNumber]
            do { numbers = try parseTypedAnswer(line) } catch let e as AnswerSyntaxError {
                if (try? Command.parse(line)) != nil {
                    throw SessionError(
                        "step \(pending.step.record.t) waits for your value first: type it, `skip`, or `predict off`; the command can follow"
                    )
                }
                throw SessionError(
                    "\(e.message); type your value, `skip` or `predict off`", at: TextSpan(column: 1, width: line.count)
                )
            }
            // One value stands for every coordinate, as in `check`.
            guard numbers.count == 1 || numbers.count == reference.expected.count else {
                throw SessionError(answerCountNote(numbers, expectedCount: reference.expected.count))
            }
            typed = numbers.map(\.value)
            grade = Session.grade(typed: numbers, reference: reference, tolerance: nil)
        }
        pending.grades.append(grade)
        predictionScore.add(grade)
        emit(.predictionVerdict(ask, expected: reference.expected, typed: typed, grade: grade))
        if pending.grades.count < pending.asks.count {
            awaiting = pending
            emit(.predictionAsk(pending.current))
        } else {
            awaiting = pending
            finishPrediction()
        }
    }

    /// Shows the waiting step with each prediction marked (those not given count as skipped).
    func finishPrediction() {
        guard var pending = awaiting else { return }
        while pending.grades.count < pending.asks.count {
            pending.grades.append(nil)
            predictionScore.add(nil)
        }
        awaiting = nil
        emit(.step(pending.step))
        emit(.predictionMarks(zip(pending.asks, pending.grades).map { (ask: $0, grade: $1) }))
    }
}
