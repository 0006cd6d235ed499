// Files and help: `source` and `help`.

import AdamLabCore
import Foundation

extension Session {
    /// Runs a file's commands, each echoed as a script echoes it; the first failure stops it with `FILE:LINE:`.
    func source(_ path: String) throws {
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
                throw SessionError(
                    "\(path):\(number + 1): \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
        }
    }

    func help(_ topic: String?) throws {
        // `help commands` is the overview too (a lesson's `help` points to it).
        guard let topic, topic.lowercased() != "commands" else {
            emit(.help(.overview))
            return
        }
        let lower = topic.lowercased()
        let bare = String(lower.prefix { $0 != "(" && $0 != "[" })
        if let e = AnswerExpression.summaries.first(where: { $0.name == bare }) {
            emit(.help(.expression(usage: e.usage, summary: e.summary)))
            // A name that is an expression and a hyperparameter (`bias_correction`) is explained as both.
            if bare == lower, let hp = HyperparameterName(spelling: topic) {
                emit(.help(.words(optimizer: nil, amsgrad: false, hyperparameter: hp, quantity: nil)))
            }
            return
        }
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
            emit(
                .help(
                    .words(optimizer: optimizer, amsgrad: amsgrad, hyperparameter: hyperparameter, quantity: quantity)))
            return
        }
        let topics =
            Command.names + OptimizerKind.allCases.map(\.rawValue) + HyperparameterName.allCases.map(\.rawValue)
            + Quantity.allCases.map(\.machineName) + AnswerExpression.summaries.map(\.name)
        let hint = didYouMean(lower, in: topics).map { "did you mean '\($0)'? " } ?? ""
        throw SessionError(
            "no help on '\(topic)'; \(hint)try a command, an optimizer, a hyperparameter, a quantity or an expression: \(Command.names.joined(separator: " "))"
        )
    }
}
