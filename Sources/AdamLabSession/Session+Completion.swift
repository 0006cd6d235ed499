// What Tab offers for the word being typed.

import AdamLabCore
import Foundation

extension Session {
    /// Candidates for the word being typed, given the text before it (empty: nothing to offer, and no
    /// file names either, unless `completesFileNames(before:)`).
    public func completions(before: String, word: String) -> [String] {
        let words = tokenize(before).map(\.text)
        let lowerWord = word.lowercased()
        func matching(_ options: [String]) -> [String] {
            options.filter { $0.lowercased().hasPrefix(lowerWord) }.sorted()
        }
        guard let command = words.first?.lowercased() else { return matching(Command.names) }
        // After `name=` (libedit breaks words at `=`): the values it takes, where there are few.
        if before.hasSuffix("="), let key = tokenize(before).last?.text.dropLast().lowercased() {
            if let hp = HyperparameterName(spelling: String(key)) { return matching(hp.choices) }
            return []
        }
        let quantities = Quantity.allCases.map(\.machineName)
        let optimizers = OptimizerKind.allCases.map(\.rawValue) + ["amsgrad"]
        func hyperparameters(_ kind: OptimizerKind) -> [String] {
            OptimizerSpec.applicable(to: kind).map { $0.rawValue + "=" }
        }
        switch command {
        case "use":
            if words.count == 1 { return matching(optimizers) }
            let kind =
                OptimizerKind(rawValue: words[1].lowercased())
                ?? (words[1].lowercased() == "amsgrad" ? .adam : spec.kind)
            return matching(hyperparameters(kind))
        case "sweep":
            if words.count == 1 { return matching(optimizers) }
            let kind = OptimizerKind(rawValue: words[1].lowercased()) ?? spec.kind
            return matching(hyperparameters(kind) + ["points=", "steps=", "log"])
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
            return words.count == 1 ? matching(quantities + AnswerExpression.referenceNames) : []
        case "predict":
            return matching(quantities + AnswerExpression.referenceNames + (words.count == 1 ? ["off"] : []))
        case "plot":
            // The quantities this optimizer has (once it has taken a step), each word once.
            let has = lastRecord.map { r in quantities.filter { Quantity(name: $0).map { r[$0] != nil } ?? false } }
            if words.count == 1 { return matching(Array(Set(["loss", "path", "theta"] + (has ?? quantities)))) }
            return words.count == 2 ? matching(PlotDrawing.allCases.map(\.rawValue)) : []
        case "export":
            return words.count == 1 ? matching(ExportFormat.allCases.map(\.rawValue)) : []
        case "help":
            return words.count == 1
                ? matching(Command.names + quantities + optimizers + HyperparameterName.allCases.map(\.rawValue)) : []
        default:
            return []
        }
    }

    /// Whether the word being typed is a file name (`source FILE`, `export FORMAT FILE`, `file=` of
    /// linear regression).
    public func completesFileNames(before: String) -> Bool {
        let words = tokenize(before).map { $0.text.lowercased() }
        if words.first == "source" { return words.count == 1 }
        if words.first == "export" { return words.count == 2 }
        return before.lowercased().hasSuffix("file=")
    }
}
