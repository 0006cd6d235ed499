// Answers: each answer expression's reference value and the known wrong values, from this session's
// own numbers, and the one grader that `check`, `predict` and exercises share.

import AdamLabCore
import Foundation

/// What an expression is worth now, and what each known mistake would make of it.
public struct AnswerReference: Sendable {
    public var expected: [Double]
    /// The values the known mistakes give, coordinate by coordinate as `expected`.
    public var wrong: [(Misconception, [Double])]
    /// The t the values belong to (nil for a value that is not about a step, such as `update_bound`).
    public var t: Int?
    /// The coordinate each value is for (nil for a scalar).
    public var coordinates: [Int]?
    /// Whether the value has a sign a learner can get wrong (a bound, a size, has none).
    public var signed = true
    /// The relative size of the run's rounding (float32's, about 1e-7; 0 in double): a mistake that
    /// differs from the reference by no more than that is no mistake.
    public var rounding = 0.0
    /// Other values equally right: a recursive twin that may differ from the closed form in the last bit
    /// (AdaMax's u for `infinity_norm`).
    public var equivalents: [[Double]] = []

    /// The same reference for coordinate `k` of the values alone.
    public func coordinate(_ k: Int) -> AnswerReference {
        var one = self
        one.expected = [expected[k]]
        one.wrong = wrong.compactMap { $0.1.count == expected.count ? ($0.0, [$0.1[k]]) : nil }
        one.coordinates = coordinates.map { [$0[k]] }
        one.equivalents = equivalents.compactMap { $0.count == expected.count ? [$0[k]] : nil }
        return one
    }
}

/// The verdict on a learner's value.
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
    /// The value the mistake gives, when the verdict is a mistake (so a renderer can show it).
    public var mistaken: [Double]?
    /// The exercise's explanation (Unicode), shown after a right answer; empty outside exercises.
    public var explanation: String
    /// The tolerance the question set itself, when it did (then fewer digits do not help).
    public var tolerance: Double?

    public init(
        verdict: Verdict, expected: [Double], typed: [Double], mistaken: [Double]? = nil, explanation: String = ""
    ) {
        self.verdict = verdict
        self.expected = expected
        self.typed = typed
        self.mistaken = mistaken
        self.explanation = explanation
    }

    public var isRight: Bool { verdict == .right }

    /// The known mistake the answer matches, when it is wrong and matches one.
    public var diagnosis: Misconception? {
        if case .mistake(let m) = verdict { return m }
        return nil
    }
}

extension Session {
    /// The reference value(s) of `e` and the known wrong ones, from the last step and the run so far.
    public func evaluate(_ e: AnswerExpression) throws -> AnswerReference {
        let spec = stepContext.map { _ in lastStepSpec } ?? self.spec
        let h = spec.hyper
        /// A reference computation made of β₁ or β₂ needs an optimizer that has it.
        func require(_ beta: HyperparameterName, for name: String) throws {
            guard OptimizerSpec.applicable(to: spec.kind).contains(beta) else {
                throw SessionError(
                    "\(spec.kind.rawValue) has no \(beta == .beta1 ? "β₁" : "β₂"), so \(name) means nothing for it; try `use adam` or `use adamax`"
                )
            }
        }
        switch e {
        case .biasCorrection(let which, _): try require(which == 1 ? .beta1 : .beta2, for: "bias_correction")
        case .expectedM: try require(.beta1, for: "expected_m")
        case .infinityNorm: try require(.beta2, for: "infinity_norm")
        case .lpNorm: try require(.beta2, for: "lp_norm")
        case .scaledUpdate where spec.kind.isSecondOrder:
            throw SessionError(
                "scaled_update replays a step from its gradients alone, and \(spec.kind.rawValue)'s step also looks at f itself (scale f instead: Newton's step does not change)"
            )
        case .updateBound where spec.kind.isSecondOrder: try require(.beta1, for: "update_bound")
        case .updateBound: break
        case .quantity, .scaledUpdate: break
        }
        switch e {
        case .quantity(let q, let i): return try evaluateQuantity(q, i)
        case .biasCorrection(let which, let given): return try evaluateBiasCorrection(which, given, h)
        case .scaledUpdate(let c, let i): return try evaluateScaledUpdate(c, i, spec)
        case .infinityNorm(let i): return try evaluateInfinityNorm(i, spec)
        case .lpNorm(let p, let i): return try evaluateLpNorm(p, i, h)
        case .updateBound: return try evaluateUpdateBound(spec)
        case .expectedM(let i): return try evaluateExpectedM(i, h)
        }
    }

    private func evaluateQuantity(_ q: Quantity, _ i: Int?) throws -> AnswerReference {
        let spec = lastStepSpec
        guard let context = stepContext else { throw SessionError("no step taken yet; type `step` first") }
        guard let values = context.record[q] else {
            let has = context.record.quantities.map(\.machineName).joined(separator: " ")
            throw SessionError(
                "\(spec.kind.rawValue) has no \(q.machineName) at step \(context.record.t); it has: \(has)")
        }
        let expected = try pick(values, i)
        let coordinates = i.map { [$0] } ?? Array(0..<values.count)
        var wrong: [(Misconception, [Double])] = []
        if q.isScalar {
            wrong = context.scalarMisconceptions(for: q).map { ($0.0, [$0.1]) }
        } else {
            // A mistake counts when it gives a value for every coordinate asked about.
            var extra: [(Misconception, [Double])] = []
            if let gradients = gradientHistory, !gradients.isEmpty {
                extra = context.historyMisconceptions(for: q, gradients: gradients)
            }
            let perCoordinate = coordinates.map { context.misconceptions(for: q, coordinate: $0) }
            for m in Misconception.allCases {
                let per = perCoordinate.compactMap { list in list.first { $0.0 == m }?.1 }
                if per.count == coordinates.count { wrong.append((m, per)) }
            }
            wrong += pick(extra, i)
            // One coordinate asked for, another's value given.
            // (Not when that value is nothing beside this one: typing 0 is then some other mistake.)
            if let i, let j = values.indices.first(where: { $0 != i }),
                abs(values[j]) > 1e-9 * abs(values[i]) || values[i] == 0
            {
                wrong.append((.otherCoordinate, [values[j]]))
            }
        }
        var reference = AnswerReference(
            expected: expected, wrong: wrong, t: context.record.t, coordinates: q.isScalar ? nil : coordinates)
        if lastStepSpec.hyper.dtype == .float32 { reference.rounding = 1e-6 }
        return reference
    }

    private func evaluateBiasCorrection(_ which: Int, _ given: Int?, _ h: Hyperparameters) throws -> AnswerReference {
        guard let t = given ?? stepContext?.record.t else {
            throw SessionError("bias_correction needs a step taken or a t, e.g. bias_correction(beta1, 3)")
        }
        let (beta, other) = which == 1 ? (h.beta1, h.beta2) : (h.beta2, h.beta1)
        let wrong = StepContext.biasCorrectionMisconceptions(beta: beta, otherBeta: other, t: t).map {
            ($0.0, [$0.1])
        }
        return AnswerReference(expected: [Reference.biasCorrection(beta: beta, t: t)], wrong: wrong, t: t)
    }

    private func evaluateScaledUpdate(_ c: Double, _ i: Int?, _ spec: OptimizerSpec) throws -> AnswerReference {
        let gradients = try requireGradients("scaled_update")
        let result = Reference.scaledUpdate(spec: spec, start: start, gradients: gradients, scale: c)
        let wrong: [(Misconception, [Double])] =
            Reference.isScaleInvariant(spec.kind)
            ? [
                (.epsilonScaledToo, result.unscaled), (.updateScalesWithGradient, result.unscaled.map { $0 * c }),
                // Without the root, c² under it comes out as 1/c.
                (.forgotSquareRoot, result.unscaled.map { $0 / c }),
            ]
            : [(.sgdScaleInvariant, result.unscaled)]
        let n = result.scaled.count
        return AnswerReference(
            expected: try pick(result.scaled, i), wrong: pick(wrong, i), t: gradients.count,
            coordinates: i.map { [$0] } ?? Array(0..<n))
    }

    private func evaluateInfinityNorm(_ i: Int?, _ spec: OptimizerSpec) throws -> AnswerReference {
        let h = spec.hyper
        let gradients = try requireGradients("infinity_norm")
        let n = gradients[0].count
        let column = { (c: Int) in gradients.map { $0[c] } }
        let u = (0..<n).map {
            Reference.infinityNorm(gradients: column($0), beta2: h.beta2, eps: spec.infinityNormEpsilon)
        }
        let t = Double(gradients.count)
        let wrong: [(Misconception, [Double])] = [
            (.adamaxSumNotMax, (0..<n).map { c in column(c).reduce(0) { h.beta2 * $0 + abs($1) } }),
            (.adamaxSumNotMax, (0..<n).map { c in column(c).reduce(0) { $0 + abs($1) } }),
            (.adamaxNotDecayed, (0..<n).map { c in column(c).map(abs).max() ?? 0 }),
            (.adamaxL2Norm, (0..<n).map { c in column(c).reduce(0) { $0 + $1 * $1 }.squareRoot() }),
            (.adamaxBiasCorrectedU, u.map { $0 / (Reference.biasCorrection(beta: h.beta2, t: t)) }),
        ]
        var reference = AnswerReference(
            expected: try pick(u, i), wrong: pick(wrong, i), t: gradients.count,
            coordinates: i.map { [$0] } ?? Array(0..<n))
        // The recursion's u rounds β₂ᵏ one product at a time: it may differ from the closed form in the last bit.
        if let recursive = stepContext?.record[.u], recursive.count == n {
            reference.equivalents = [try pick(recursive, i)]
        }
        return reference
    }

    private func evaluateLpNorm(_ p: Double, _ i: Int?, _ h: Hyperparameters) throws -> AnswerReference {
        let gradients = try requireGradients("lp_norm")
        let n = gradients[0].count
        let values = (0..<n).map { c in Reference.lpNorm(gradients: gradients.map { $0[c] }, beta2: h.beta2, p: p) }
        let maxima = (0..<n).map { c in Reference.infinityNorm(gradients: gradients.map { $0[c] }, beta2: h.beta2) }
        return AnswerReference(
            expected: try pick(values, i), wrong: pick([(.lpNormIsTheMax, maxima)], i), t: gradients.count,
            coordinates: i.map { [$0] } ?? Array(0..<n))
    }

    private func evaluateUpdateBound(_ spec: OptimizerSpec) throws -> AnswerReference {
        let h = spec.hyper
        if spec.kind == .adamax {
            // AdaMax's step is bounded by lr itself: |m̂| ≤ u.
            return AnswerReference(expected: [h.lr], wrong: [], t: nil)
        }
        guard [.adam, .adamw].contains(spec.kind) else {
            throw SessionError(
                "update_bound is the Adam paper's bound on Adam's step (AdaMax's is lr); \(spec.kind.rawValue) has none"
            )
        }
        let bound = Reference.updateBound(lr: h.lr, beta1: h.beta1, beta2: h.beta2)
        let ratio = h.lr * (1 - h.beta1) / (1 - h.beta2).squareRoot()
        var reference = AnswerReference(
            expected: [bound],
            wrong: [
                (.forgotSquareRoot, [h.lr * (1 - h.beta1) / (1 - h.beta2)]),
                (.forgotLearningRate, [(1 - h.beta1) / (1 - h.beta2).squareRoot()]),
                (.boundIsASize, [-bound]),
                (.boundOtherCase, [bound == ratio ? h.lr : ratio]),
            ], t: nil)
        reference.signed = false
        return reference
    }

    private func evaluateExpectedM(_ i: Int?, _ h: Hyperparameters) throws -> AnswerReference {
        guard let context = stepContext, let g = context.record.vectors[.g] else {
            throw SessionError("expected_m needs a step taken first (it uses that step's gradient); type `step`")
        }
        let t = context.record.t
        let bc = Reference.biasCorrection(beta: h.beta1, t: t)
        var wrong: [(Misconception, [Double])] = [
            (.expectedMIsG, g),
            (.expectedMIsOneStep, g.map { (1 - h.beta1) * $0 }),
            (.forgotOneMinus, g.map { Foundation.pow(h.beta1, Double(t)) * $0 }),
        ]
        if t > 1 {
            let early = Reference.biasCorrection(beta: h.beta1, t: t - 1)
            wrong.append((.exponentTMinusOne, g.map { early * $0 }))
        }
        return AnswerReference(
            expected: try pick(g.map { bc * $0 }, i), wrong: pick(wrong, i), t: t,
            coordinates: i.map { [$0] } ?? Array(0..<g.count))
    }

    /// Every step's gradient so far, for the references computed from the whole run.
    private func requireGradients(_ name: String) throws -> [[Double]] {
        guard let gradients = gradientHistory, !gradients.isEmpty else {
            throw SessionError(
                lastRecord == nil
                    ? "\(name) needs a step taken first; type `step`"
                    : "\(name) needs the gradient of every step so far, and some were not kept (a long `run`); `reset` and `step` again"
            )
        }
        return gradients
    }

    /// Grades typed values against `e`: right under the one rule (`CheckResult`), else the known mistake
    /// that gives them, else how close they are. A lone value stands for every coordinate.
    public func grade(_ e: AnswerExpression, typed: [TypedNumber], tolerance: Double? = nil) throws -> Grade {
        let reference = try evaluate(e)
        return Session.grade(typed: typed, reference: reference, tolerance: tolerance)
    }

    /// The grading rule on its own, for a reference already computed.
    public static func grade(typed: [TypedNumber], reference: AnswerReference, tolerance: Double?) -> Grade {
        let expected = reference.expected
        let result = CheckResult(typed: typed, expected: expected, tolerance: tolerance)
        func verdict(_ v: Grade.Verdict, _ mistaken: [Double]? = nil) -> Grade {
            var g = Grade(verdict: v, expected: expected, typed: result.typed, mistaken: mistaken)
            g.tolerance = tolerance
            return g
        }
        if result.isRight { return verdict(.right) }
        let equivalent = reference.equivalents.contains {
            $0.count == expected.count && CheckResult(typed: typed, expected: $0, tolerance: tolerance).isRight
        }
        if equivalent { return verdict(.right) }
        let tol = result.tolerance
        // Right to the digits typed but too coarse to tell, unless a mistake gives those digits more nearly.
        let coarse = zip(result.tooCoarse, zip(result.absoluteError, tol)).allSatisfy { $0 || $1.0 <= $1.1 }
        // A sign error is recognisable in any answer: the negated reference.
        let negated = expected.map { -$0 }
        let candidates =
            reference.wrong
            + (reference.signed && expected.contains { $0 != 0 } && !reference.wrong.contains { $0.0 == .wrongSign }
                ? [(.wrongSign, negated)] : [])
        // Of the mistakes that give the typed value, the one that gives it most nearly.
        var best: (Misconception, [Double], Double)?
        for (mistake, values) in candidates where values.count == expected.count {
            // The digits rule, about the mistaken value (`0` is not 0.064); an exercise's own tolerance
            // says how exact the right answer must be, not how a mistake was rounded.
            let matches = CheckResult(typed: typed, expected: values, tolerance: nil).isRight
            // float32's rounding hides a mistake only where the question sets no tolerance of its own.
            let differs = zip(zip(values, expected), tol).contains { pair, t in
                abs(pair.0 - pair.1) > Swift.max(t, tolerance == nil ? reference.rounding * abs(pair.1) : 0)
            }
            let nearer = zip(zip(values, expected), result.typed).allSatisfy { pair, x in
                abs(x - pair.0) < abs(x - pair.1)
            }
            guard matches && differs && (!coarse || nearer) else { continue }
            let distance = zip(values, result.typed).map { abs($0 - $1) }.max() ?? 0
            if best == nil || distance < best!.2 { best = (mistake, values, distance) }
        }
        if let best { return verdict(.mistake(best.0), best.1) }
        if coarse { return verdict(.tooCoarse(digits: typed.map(\.significantDigits).min() ?? 1)) }
        if zip(result.absoluteError, expected).allSatisfy({
            $0 <= CheckResult.relativeFloor * Swift.max(abs($1), CheckResult.zeroFloor)
        }) {
            return verdict(.close)
        }
        return verdict(.unknown)
    }
}

/// The value at coordinate i (all of them for nil), or why there is none.
private func pick(_ v: [Double], _ i: Int?) throws -> [Double] {
    guard let i else { return v }
    guard i < v.count else {
        throw SessionError("coordinate \(i) does not exist: θ has \(v.count) (they count from 0)")
    }
    return [v[i]]
}

/// Each mistake's value at coordinate i (all of them for nil).
private func pick(_ wrong: [(Misconception, [Double])], _ i: Int?) -> [(Misconception, [Double])] {
    guard let i else { return wrong }
    return wrong.compactMap { m, v in i < v.count ? (m, [v[i]]) : nil }
}
