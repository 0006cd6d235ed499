// The drill: questions like the lessons' exercises on fresh numbers drawn from a seed, graded and
// diagnosed by the session's own rules, and asked again later when they were answered wrong.

import AdamLabCore
import AdamLabSession

/// A kind of drill question: one computation of the curriculum, on numbers drawn anew each time.
public enum DrillKind: String, CaseIterable, Codable, Sendable {
    case gdStep = "gd-step"
    case momentumBuffer = "momentum-buffer"
    case rmspropAverage = "rmsprop-average"
    case adamMHat = "adam-m-hat"
    case adamVHat = "adam-v-hat"
    case adamAlpha = "adam-alpha"
    case biasCorrection = "bias-correction"
    case adamaxU = "adamax-u"
    case newtonDirection = "newton-direction"
    case lbfgsFirstStep = "lbfgs-first-step"
    case naturalStep = "natural-step"

    /// The topic `adamlab drill TOPIC` names it by.
    public var topic: String {
        switch self {
        case .gdStep: return "gd"
        case .momentumBuffer: return "momentum"
        case .rmspropAverage: return "rmsprop"
        case .adamMHat, .adamVHat, .adamAlpha: return "adam"
        case .biasCorrection: return "bias-correction"
        case .adamaxU: return "adamax"
        case .newtonDirection: return "newton"
        case .lbfgsFirstStep: return "lbfgs"
        case .naturalStep: return "natural"
        }
    }

    public static var topics: [String] {
        var seen: [String] = []
        for k in allCases where !seen.contains(k.topic) { seen.append(k.topic) }
        return seen
    }

    /// The kinds of a topic (every kind for nil); nil when the topic is unknown.
    public static func of(topic: String?) -> [DrillKind]? {
        guard let topic else { return allCases }
        let kinds = allCases.filter { $0.topic == topic.lowercased() }
        return kinds.isEmpty ? nil : kinds
    }
}

/// One drawn question: its words (as a lesson question is written), the value it asks for, and the
/// session that computed it, stopped at the step the question is about.
public struct DrillQuestion {
    public let kind: DrillKind
    public let seed: UInt64
    /// The question, with its inputs, in a lesson's inline markdown (`$…$` for mathematics).
    public let question: String
    public let hint: String
    public let answer: AnswerExpression
    /// The answer expression as typed (`update[1]`), for `explain` after the answer.
    public let answerText: String
    public let session: Session

    /// The question and its hint as inline markdown, for a renderer.
    public var questionInlines: [Inline] { parseInlineText(question) }
    public var hintInlines: [Inline] { parseInlineText(hint) }

    /// The reference value and the values the known mistakes give.
    public func reference() throws -> AnswerReference { try session.evaluate(answer) }

    /// Grades a typed answer by the rules every exercise uses.
    public func grade(_ typed: String) throws -> Grade {
        try session.grade(answer, typed: try parseTypedAnswer(typed))
    }
}

extension DrillQuestion {
    /// Draws a question of `kind` from `seed`: the same seed gives the same question.
    public static func make(_ kind: DrillKind, seed: UInt64) throws -> DrillQuestion {
        var builder = QuestionBuilder(seed: seed)
        let words = try builder.words(for: kind)
        return DrillQuestion(
            kind: kind, seed: seed, question: words.question, hint: words.hint,
            answer: try AnswerExpression(words.answer), answerText: words.answer, session: builder.s)
    }
}

/// A question in the making: the numbers drawn for it, the session that computes its answer, and one
/// function per kind that takes the steps and words the question.
private struct QuestionBuilder {
    var draw: Draw
    let s = Session()
    let c: Int, name: String, start: [Double], a: Double, b: Double
    let bowl: String, from: String, setup: [String], coefficient: Double

    init(seed: UInt64) {
        draw = Draw(seed: seed)
        s.startAfresh()
        c = draw.index(2)
        name = c == 0 ? "x" : "y"
        start = [draw.coordinate(), draw.coordinate()]
        a = draw.pick([1.0, 2, 3, 4, 5])
        b = draw.pick([1.0, 2, 3, 5, 10])
        // A coefficient of 1 is not written, as one writes x² + 5y².
        let (a, b) = (a, b)
        func times(_ k: Double) -> String { k == 1 ? "" : significantDigits(k, 6) }
        bowl = "f = \(times(a))x^2 + \(times(b))y^2"
        from = "from $(\(significantDigits(start[0], 6)), \(significantDigits(start[1], 6)))$"
        setup = ["objective quadratic c=\(a),\(b)", "start \(start[0]),\(start[1])"]
        coefficient = c == 0 ? a : b
    }

    func run(_ lines: [String]) throws { for line in lines { _ = try s.execute(line) } }
    func value(_ text: String) throws -> Double { try s.evaluate(try AnswerExpression(text)).expected[0] }
    func shown(_ x: Double) -> String { significantDigits(x, 6) }
    func times(_ k: Double) -> String { k == 1 ? "" : shown(k) }

    /// Two steps of `use` with gradients typed for the asked coordinate, drawn apart from each other
    /// (from a slowly changing ∇f, any average of two gradients would be about either of them).
    mutating func twoSteps(_ use: String) throws -> (Double, Double) {
        let g1 = sign(draw.pick([2, 3, 4, 5, 6, 8])), g2 = sign(draw.pick([0.5, 1, 1.5, 2.5, 7, 9]))
        try run(setup + [use])
        try typedSteps([g1, g2])
        return (g1, g2)
    }

    mutating func sign(_ x: Double) -> Double { x * (draw.index(2) == 0 ? 1 : -1) }

    /// A step for each gradient, typed for the asked coordinate (1 for the other).
    func typedSteps(_ gradients: [Double]) throws {
        for g in gradients { try run(["grad \(c == 0 ? "\(g),1" : "1,\(g)")", "step"]) }
    }

    /// A formula's term k·v, with its sign: " + 2*x", " - 3*x*y".
    func term(_ k: Double, _ v: String) -> String { (k < 0 ? " - " : " + ") + shown(abs(k)) + "*" + v }

    mutating func words(for kind: DrillKind) throws -> (question: String, hint: String, answer: String) {
        switch kind {

        case .gdStep: return try gdStep()
        case .momentumBuffer: return try momentumBuffer()
        case .rmspropAverage: return try rmspropAverage()
        case .adamMHat, .adamVHat: return try adamMoment(kind)
        case .adamAlpha: return try adamAlpha()
        case .biasCorrection: return try biasCorrection()
        case .adamaxU: return try adamaxU()
        case .newtonDirection: return try newtonDirection()
        case .lbfgsFirstStep: return try lbfgsFirstStep()
        case .naturalStep: return try naturalStep()
        }
    }

    mutating func gdStep() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([0.01, 0.02, 0.05, 0.1])
        try run(setup + ["use sgd lr=\(lr)", "step"])
        question =
            "Gradient descent with lr = \(shown(lr)) on $\(bowl)$ \(from). What is its first step $\\Delta\\theta_1$ for \(name)?"
        hint =
            "The gradient of $\(shown(coefficient))\(name)^2$ is $\(shown(2 * coefficient))\(name)$, and the step is $-\\text{lr}\\cdot g$."
        answer = "update[\(c)]"
        return (question, hint, answer)
    }

    mutating func momentumBuffer() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([0.01, 0.02, 0.05]), mu = draw.pick([0.5, 0.8, 0.9])
        let (g1, g2) = try twoSteps("use momentum lr=\(lr) momentum=\(mu)")
        question =
            "SGD with PyTorch's momentum, $\\mu$ = \(shown(mu)) and lr = \(shown(lr)). Its gradients for \(name) were $g_1$ = \(shown(g1)) and $g_2$ = \(shown(g2)). What is the buffer $b_2$ for \(name)?"
        hint = "PyTorch's buffer starts as $b_1 = g_1$ and adds the whole gradient: $b_t = \\mu b_{t-1} + g_t$."
        answer = "buf[\(c)]"
        return (question, hint, answer)
    }

    mutating func rmspropAverage() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([0.01, 0.02, 0.05]), alpha = draw.pick([0.9, 0.95, 0.99])
        let (g1, g2) = try twoSteps("use rmsprop lr=\(lr) alpha=\(alpha)")
        question =
            "RMSprop, $\\alpha$ = \(shown(alpha)) and lr = \(shown(lr)). Its gradients for \(name) were $g_1$ = \(shown(g1)) and $g_2$ = \(shown(g2)). What is its average of squares $E[g^2]_2$ for \(name)?"
        hint = "It starts at 0: $E[g^2]_t = \\alpha E[g^2]_{t-1} + (1-\\alpha) g_t^2$."
        answer = "square_avg[\(c)]"
        return (question, hint, answer)
    }

    mutating func adamMoment(_ kind: DrillKind) throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([0.01, 0.05, 0.1])
        let beta1 = draw.pick([0.9, 0.8, 0.5]), beta2 = draw.pick([0.999, 0.99, 0.9, 0.8])
        let (g1, g2) = try twoSteps("use adam lr=\(lr) beta1=\(beta1) beta2=\(beta2)")
        let first = kind == .adamMHat
        question =
            "Adam with lr = \(shown(lr)), $\\beta_1$ = \(shown(beta1)), $\\beta_2$ = \(shown(beta2)). Its gradients for \(name) were $g_1$ = \(shown(g1)) and $g_2$ = \(shown(g2)). What is \(first ? "$\\hat{m}_2$" : "$\\hat{v}_2$") for \(name)?"
        hint =
            first
            ? "$m_2 = \\beta_1 m_1 + (1-\\beta_1) g_2$ from $m_0 = 0$; then divide by $1-\\beta_1^2$."
            : "$v_2 = \\beta_2 v_1 + (1-\\beta_2) g_2^2$ from $v_0 = 0$; then divide by $1-\\beta_2^2$."
        answer = first ? "m_hat[\(c)]" : "v_hat[\(c)]"
        return (question, hint, answer)
    }

    mutating func adamAlpha() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([0.001, 0.01, 0.1])
        let beta1 = draw.pick([0.9, 0.8]), beta2 = draw.pick([0.999, 0.99])
        let t = 1 + draw.index(12)
        try run(setup + ["use adam lr=\(lr) beta1=\(beta1) beta2=\(beta2)", "step \(t)"])
        question =
            "Adam with lr = \(shown(lr)), $\\beta_1$ = \(shown(beta1)), $\\beta_2$ = \(shown(beta2)). What is its step size $\\alpha_{\(t)}$ at step t = \(t), both bias corrections folded into it?"
        hint = "$\\alpha_t = \\text{lr}\\cdot\\sqrt{1-\\beta_2^t}/(1-\\beta_1^t)$."
        answer = "lr_t"
        return (question, hint, answer)
    }

    mutating func biasCorrection() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let beta2 = draw.pick([0.999, 0.99, 0.9, 0.95])
        let t = 1 + draw.index(30)
        try run(setup + ["use adam beta2=\(beta2)", "step"])
        question =
            "Adam divides $v_t$ by a factor to correct its bias towards 0. With $\\beta_2$ = \(shown(beta2)), what is that factor at step t = \(t)?"
        hint =
            "The factor is $1-\\beta_2^t$: how much of a steady $g^2$ the average has gathered after t steps from 0."
        answer = "bias_correction(beta2, \(t))"
        return (question, hint, answer)
    }

    mutating func adamaxU() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        // Typed gradients with a spike first, so that u₃ is the spike decayed, not the last |g| shown.
        let lr = draw.pick([0.01, 0.02, 0.05]), beta2 = draw.pick([0.99, 0.9, 0.8])
        let gradients = [
            sign(draw.pick([4, 5, 6, 8, 9])), sign(draw.pick([0.5, 1, 2, 3])), sign(draw.pick([0.5, 1, 1.5])),
        ]
        try run(setup + ["use adamax lr=\(lr) beta2=\(beta2)"])
        try typedSteps(gradients)
        question =
            "AdaMax as the paper has it (no ε), $\\beta_2$ = \(shown(beta2)), lr = \(shown(lr)). Its gradients for \(name) were \(gradients.map(shown).joined(separator: ", ")), in that order. What is $u_3$ for \(name)?"
        hint = "$u_t = \\max(\\beta_2 u_{t-1}, |g_t|)$, from $u_0 = 0$."
        answer = "u[\(c)]"
        return (question, hint, answer)
    }

    mutating func newtonDirection() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        // A positive definite quadratic with its minimum off the origin: g = Hθ + (p, q).
        let h11 = draw.pick([2.0, 4, 6, 8]), h22 = draw.pick([2.0, 4, 6, 10])
        // Positive definite: h12² < h11·h22, so the quadratic has one minimum.
        let h12 = draw.pick([-3.0, -2, -1, 1, 2, 3].filter { $0 * $0 < h11 * h22 })
        let p = draw.pick([-4.0, -2, 2, 4]), q = draw.pick([-3.0, -1, 1, 3])
        let formula =
            "f(x,y) = \(shown(h11 / 2))*x^2" + term(h12, "x*y") + term(h22 / 2, "y^2") + term(p, "x") + term(q, "y")
        try run(["objective \(formula)", "start \(start[0]),\(start[1])", "use newton", "step"])
        let g = [try value("g[0]"), try value("g[1]")]
        question =
            "Newton's method on a quadratic \(from), where $g = (\(shown(g[0])), \(shown(g[1])))$ and $H$ = [[\(shown(h11)), \(shown(h12))], [\(shown(h12)), \(shown(h22))]]. What is its direction $d_1 = -H^{-1}g$ for \(name)?"
        hint = "The inverse of [[a, b], [b, c]] is [[c, −b], [−b, a]]/(ac − b²)."
        answer = "d[\(c)]"
        return (question, hint, answer)
    }

    mutating func lbfgsFirstStep() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        let lr = draw.pick([1.0, 0.5, 0.1])
        try run(setup + ["use lbfgs lr=\(lr) max_iter=1", "step"])
        let g = [try value("g[0]"), try value("g[1]")]
        question =
            "torch's L-BFGS with lr = \(shown(lr)), from an empty memory, where $g = (\(shown(g[0])), \(shown(g[1])))$. What step length $\\tau_1$ does its first step take?"
        hint = "With no memory yet it scales its first step by $\\min(1, 1/\\sum_i|g_i|)\\cdot\\text{lr}$."
        answer = "step_length"
        return (question, hint, answer)
    }

    mutating func naturalStep() throws -> (question: String, hint: String, answer: String) {
        let question: String, hint: String, answer: String
        // A bowl with a linear term: g = 2aθ + (p, q), G = H = 2aI, so the step is not just −lr·θ.
        let lr = draw.pick([0.05, 0.1, 0.2])
        var p = draw.pick([-4.0, -2, 2, 4]), q = draw.pick([-3.0, -1, 1, 3])
        // Neither gradient 0 at the start, so that no question's answer is a plain 0.
        while 2 * a * start[0] + p == 0 { p += 2 }
        while 2 * a * start[1] + q == 0 { q += 2 }
        let formula = "f(x,y) = \(shown(a))*x^2 + \(shown(a))*y^2" + term(p, "x") + term(q, "y")
        try run([
            "objective \(formula)", "start \(start[0]),\(start[1])", "use natural lr=\(lr) damping=0", "step",
        ])
        let g = [try value("g[0]"), try value("g[1]")]
        question =
            "The natural gradient with lr = \(shown(lr)) and no damping, where $g = (\(shown(g[0])), \(shown(g[1])))$ and the metric is $G = H = \(shown(2 * a))I$. What is its step $\\Delta\\theta_1$ for \(name)?"
        hint = "$\\Delta\\theta = -\\text{lr}\\cdot G^{-1}g$, and $G^{-1}$ divides by \(shown(2 * a))."
        answer = "update[\(c)]"
        return (question, hint, answer)
    }

}

/// Numbers drawn for a question: few digits, so that a learner can compute by hand.
private struct Draw {
    var generator: SplitMix64
    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func index(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }
    mutating func pick(_ values: [Double]) -> Double { values[index(values.count)] }
    mutating func coordinate() -> Double { pick([-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3]) }
}
