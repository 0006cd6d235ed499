// What an exercise asks for, computed from the lesson's live session, and how a typed answer is graded.

import AdamLabCore
import AdamLabSession
import Foundation

/// What an exercise's `answer:` names.
public enum AnswerSpec: Equatable, Sendable {
    /// A quantity of the last step, one coordinate or all of them: `m_hat[0]`, `update`.
    case quantity(Quantity, coordinate: Int?)
    /// The bias-correction factor 1 − βᵗ for β₁ or β₂, at the last step's t or a given t.
    case biasCorrection(beta: Int, t: Int?)
    /// The last step's update had every gradient so far been multiplied by c: `scaled_update(10)[0]`.
    case scaledUpdate(scale: Double, coordinate: Int?)
    /// AdaMax's uₜ from the gradients so far, by its closed form max β₂^{t−i}|gᵢ|: `infinity_norm[1]`.
    case infinityNorm(coordinate: Int?)
    /// The paper's bound on one coordinate's step, lr·(1−β₁)/√(1−β₂) (or lr).
    case updateBound

    public static let forms =
        "QUANTITY[i], bias_correction(beta1|beta2[, t]), scaled_update(c)[i], infinity_norm[i], update_bound"

    public init(_ text: String) throws {
        let s = text.replacingOccurrences(of: " ", with: "")
        func coordinate(_ rest: Substring) throws -> Int? {
            if rest.isEmpty { return nil }
            guard rest.hasPrefix("["), rest.hasSuffix("]"), let i = Int(rest.dropFirst().dropLast()), i >= 0 else {
                throw LessonError(
                    "expected [index] after the name, e.g. m_hat[0]", at: TextSpan(column: s.count - rest.count + 1))
            }
            return i
        }
        if s == "update_bound" {
            self = .updateBound
            return
        }
        if s.hasPrefix("bias_correction(") {
            guard let close = s.firstIndex(of: ")") else {
                throw LessonError("missing ')'", at: TextSpan(column: s.count))
            }
            let args = s[s.index(s.startIndex, offsetBy: 16)..<close].split(separator: ",")
            guard let first = args.first, ["beta1", "beta2"].contains(first) else {
                throw LessonError(
                    "bias_correction takes beta1 or beta2, e.g. bias_correction(beta1)",
                    at: TextSpan(column: "bias_correction(".count + 1))
            }
            var t: Int?
            if args.count == 2 {
                let arg = args[1].hasPrefix("t=") ? args[1].dropFirst(2) : args[1]
                guard let n = Int(arg), n >= 1 else {
                    throw LessonError(
                        "t must be a whole number ≥ 1", at: TextSpan(column: "bias_correction(beta1,".count + 1))
                }
                t = n
            }
            self = .biasCorrection(beta: first == "beta1" ? 1 : 2, t: t)
            return
        }
        if s.hasPrefix("scaled_update(") {
            guard let close = s.firstIndex(of: ")"),
                let c = parseNumber(String(s[s.index(s.startIndex, offsetBy: 14)..<close])), c != 0
            else {
                throw LessonError(
                    "scaled_update takes a non-zero scale, e.g. scaled_update(10)",
                    at: TextSpan(column: "scaled_update(".count + 1))
            }
            self = .scaledUpdate(scale: c, coordinate: try coordinate(s[s.index(after: close)...]))
            return
        }
        if s.hasPrefix("infinity_norm") {
            self = .infinityNorm(coordinate: try coordinate(s.dropFirst(13)))
            return
        }
        let name = s.prefix { $0 != "[" }
        guard let q = Quantity(name: String(name)) else {
            let hint =
                didYouMean(String(name), in: Quantity.allCases.map(\.machineName)).map { "did you mean '\($0)'? " }
                ?? ""
            throw LessonError(
                "unknown answer '\(name)'; \(hint)answers are \(AnswerSpec.forms)", at: TextSpan(column: 1))
        }
        self = .quantity(q, coordinate: try coordinate(s.dropFirst(name.count)))
    }

    /// The reference value(s) and the known wrong ones, from the host's current state.
    public func evaluate(_ host: Session) throws -> (expected: [Double], wrong: [(Misconception, [Double])]) {
        let spec = host.stepContext.map { _ in host.lastStepSpec } ?? host.spec
        func pick(_ v: [Double], _ i: Int?) throws -> [Double] {
            guard let i else { return v }
            guard i < v.count else { throw LessonError("coordinate \(i) does not exist: θ has \(v.count)") }
            return [v[i]]
        }
        switch self {
        case .quantity(let q, let i):
            guard let context = host.stepContext else {
                throw LessonError("the exercise asks about a step, but no step has been taken")
            }
            guard let values = context.record[q] else {
                throw LessonError("\(spec.kind.rawValue) has no \(q.machineName) at step \(context.record.t)")
            }
            let expected = try pick(values, i)
            let coordinates = i.map { [$0] } ?? Array(0..<values.count)
            var wrong: [(Misconception, [Double])] = []
            for m in Misconception.allCases {
                let per = coordinates.compactMap { c in
                    context.misconceptions(for: q, coordinate: c).first { $0.0 == m }?.1
                }
                if per.count == coordinates.count { wrong.append((m, per)) }
            }
            return (expected, wrong)
        case .biasCorrection(let which, let given):
            guard let t = given ?? host.stepContext?.record.t else {
                throw LessonError("bias_correction needs a step taken or a t, e.g. bias_correction(beta1, 3)")
            }
            let (beta, other) = which == 1 ? (spec.hyper.beta1, spec.hyper.beta2) : (spec.hyper.beta2, spec.hyper.beta1)
            let wrong = StepContext.biasCorrectionMisconceptions(beta: beta, otherBeta: other, t: t).map {
                ($0.0, [$0.1])
            }
            return ([Reference.biasCorrection(beta: beta, t: t)], wrong)
        case .scaledUpdate(let c, let i):
            guard let gradients = host.gradientHistory, !gradients.isEmpty else {
                throw LessonError("scaled_update needs every step so far taken with `step`")
            }
            let h = spec.hyper
            let result = Reference.scaledUpdate(
                gradients: gradients, scale: c, lr: h.lr, beta1: h.beta1, beta2: h.beta2, eps: h.eps)
            return (try pick(result.scaled, i), [])
        case .infinityNorm(let i):
            guard let gradients = host.gradientHistory, let n = gradients.first?.count else {
                throw LessonError("infinity_norm needs every step so far taken with `step`")
            }
            let u = (0..<n).map { c in
                Reference.infinityNorm(gradients: gradients.map { $0[c] }, beta2: spec.hyper.beta2)
            }
            let sums = (0..<n).map { c in
                gradients.map { abs($0[c]) }.reduce(0) { spec.hyper.beta2 * $0 + $1 }
            }
            return (try pick(u, i), [(.adamaxSumNotMax, try pick(sums, i))])
        case .updateBound:
            let h = spec.hyper
            return (
                [Reference.updateBound(lr: h.lr, beta1: h.beta1, beta2: h.beta2)],
                [
                    (.forgotSquareRoot, [h.lr * (1 - h.beta1) / (1 - h.beta2)]),
                    (.forgotLearningRate, [(1 - h.beta1) / (1 - h.beta2).squareRoot()]),
                ]
            )
        }
    }
}

/// The verdict on a learner's answer to an exercise.
public struct Grade: Equatable, Sendable {
    /// What the answer is, as a value; a renderer puts it in words.
    public enum Verdict: Equatable, Sendable {
        case right
        /// Right to the digits typed, but fewer significant digits than the rule asks for.
        case tooCoarse(digits: Int)
        /// The value a known mistake gives.
        case mistake(Misconception)
        /// Within 0.5%, with the last digits typed off.
        case close
        /// Wrong, and no known mistake gives it.
        case unknown
    }

    public var verdict: Verdict
    public var expected: [Double]
    public var typed: [Double]
    /// The exercise's explanation (Unicode), shown after a right answer.
    public var explanation: String

    public var isRight: Bool { verdict == .right }

    /// The known mistake the answer matches, when it is wrong and matches one.
    public var diagnosis: Misconception? {
        if case .mistake(let m) = verdict { return m }
        return nil
    }
}

extension Exercise {
    /// Grades `text` (a number or a comma-separated vector) against the host's reference computation.
    public func grade(_ text: String, host: Session) throws -> Grade {
        let (expected, wrong) = try answer.evaluate(host)
        let typed: [TypedNumber]
        do { typed = try parseTypedAnswer(text) } catch let e as AnswerSyntaxError {
            throw LessonError(e.message)
        }
        guard typed.count == expected.count else {
            throw LessonError(answerCountNote(typed, expectedCount: expected.count))
        }
        let result = CheckResult(typed: typed, expected: expected, tolerance: tolerance)
        func verdict(_ v: Grade.Verdict) -> Grade {
            Grade(verdict: v, expected: expected, typed: result.typed, explanation: renderMathSpans(explanation))
        }
        if result.isRight { return verdict(.right) }
        let tol = result.tolerance
        if zip(result.tooCoarse, zip(result.absoluteError, tol)).allSatisfy({ $0 || $1.0 <= $1.1 }) {
            return verdict(.tooCoarse(digits: typed.map(\.significantDigits).min() ?? 1))
        }
        // A sign error is recognisable in any answer: the negated reference.
        let negated = expected.map { -$0 }
        let candidates =
            wrong
            + (expected.contains { $0 != 0 } && !wrong.contains { $0.0 == .wrongSign } ? [(.wrongSign, negated)] : [])
        for (mistake, values) in candidates where values.count == typed.count {
            // The same rule as for the right answer, about the mistaken value: `0` is not 0.064.
            let matches = CheckResult(typed: typed, expected: values, tolerance: tolerance).isRight
            let differs = zip(zip(values, expected), tol).contains { pair, t in abs(pair.0 - pair.1) > t }
            if matches && differs { return verdict(.mistake(mistake)) }
        }
        if zip(result.absoluteError, expected).allSatisfy({
            $0 <= CheckResult.relativeFloor * Swift.max(abs($1), CheckResult.zeroFloor)
        }) {
            return verdict(.close)
        }
        return verdict(.unknown)
    }
}

/// Turns `$…$` spans in plain text into Unicode mathematics.
public func renderMathSpans(_ text: String) -> String {
    var out = ""
    var rest = Substring(text)
    while let open = rest.firstIndex(of: "$") {
        out += rest[..<open]
        let after = rest[rest.index(after: open)...]
        guard let close = after.firstIndex(of: "$") else {
            out += rest[open...]
            return out
        }
        out += latexToUnicode(String(after[..<close]))
        rest = after[after.index(after: close)...]
    }
    return out + rest
}
