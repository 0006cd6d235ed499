// The answer language: what `check`, `explain`, `predict` and lesson exercises can ask a learner for,
// parsed once, with errors that point into the text.

import AdamLabCore
import Foundation

/// A value a learner can compute: a quantity of the last step or one of the reference computations.
public enum AnswerExpression: Equatable, Sendable {
    /// A quantity of the last step, one coordinate or all of them: `m_hat[0]`, `update`, `lr_t`.
    case quantity(Quantity, coordinate: Int?)
    /// The bias-correction factor 1 − βᵗ for β₁ or β₂, at the last step's t or a given t.
    case biasCorrection(beta: Int, t: Int?)
    /// The last step's update had every gradient so far been multiplied by c: `scaled_update(10)[0]`.
    case scaledUpdate(scale: Double, coordinate: Int?)
    /// AdaMax's uₜ from the gradients so far, by its closed form max β₂^{t−i}|gᵢ|: `infinity_norm[1]`.
    case infinityNorm(coordinate: Int?)
    /// The Lp moment AdaMax takes the limit of: ((1 − β₂ᵖ) Σᵢ β₂^{p(t−i)} |gᵢ|ᵖ)^{1/p}: `lp_norm(8)[0]`.
    case lpNorm(p: Double, coordinate: Int?)
    /// The paper's bound on one coordinate's step, lr·(1−β₁)/√(1−β₂) (or lr).
    case updateBound
    /// E[mₜ] under a constant gradient g: (1 − β₁ᵗ)·g, with g this step's gradient: `expected_m[0]`.
    case expectedM(coordinate: Int?)

    /// The forms, as `help` and error messages list them.
    public static let forms =
        "QUANTITY[i], bias_correction(beta1|beta2[, t]), scaled_update(c)[i], infinity_norm[i], lp_norm(p)[i], "
        + "update_bound, expected_m[i]"

    /// What each reference computation is, for `help`.
    public static let summaries: [(name: String, usage: String, summary: String)] = [
        (
            "bias_correction", "bias_correction(beta1|beta2[, t])",
            "1 − βᵗ, the factor m̂ and v̂ divide by, at this step's t or a given one"
        ),
        (
            "scaled_update", "scaled_update(c)[i]",
            "this step's Δθ had every gradient so far been c times larger (scale invariance)"
        ),
        ("infinity_norm", "infinity_norm[i]", "AdaMax's u from every gradient so far: the max over i of β₂^(t−i)·|gᵢ|"),
        ("lp_norm", "lp_norm(p)[i]", "the Lp moment ((1 − β₂ᵖ)·Σᵢ β₂^(p(t−i))·|gᵢ|ᵖ)^(1/p); as p grows it tends to u"),
        ("update_bound", "update_bound", "the paper's bound on one step: lr·(1 − β₁)/√(1 − β₂), or lr (AdaMax: lr)"),
        ("expected_m", "expected_m[i]", "E[mₜ] = (1 − β₁ᵗ)·g under a constant gradient g (this step's)"),
    ]

    /// The names that take arguments or stand for a reference computation (for completion and help).
    public static let referenceNames = [
        "bias_correction(", "scaled_update(", "infinity_norm", "lp_norm(", "update_bound", "expected_m",
    ]

    /// Whether this is a quantity of the step (not a reference computation).
    public var isQuantity: Bool {
        if case .quantity = self { return true }
        return false
    }

    /// The coordinate asked for, when one is.
    public var coordinate: Int? {
        switch self {
        case .quantity(_, let i), .scaledUpdate(_, let i), .infinityNorm(let i), .lpNorm(_, let i),
            .expectedM(let i):
            return i
        case .biasCorrection, .updateBound:
            return nil
        }
    }

    /// Parses the whole of `text` (spaces around it are fine).
    public init(_ text: String) throws {
        let (expression, length) = try AnswerExpression.parsePrefix(text)
        let rest = text.dropFirst(length)
        if let extra = rest.firstIndex(where: { !$0.isWhitespace }) {
            let column = text.distance(from: text.startIndex, to: extra) + 1
            throw SessionError(
                "unexpected '\(rest[extra...].prefix { !$0.isWhitespace })' after the answer; answers are \(AnswerExpression.forms)",
                at: TextSpan(column: column, width: rest[extra...].prefix { !$0.isWhitespace }.count))
        }
        self = expression
    }

    /// Parses an expression at the start of `text` (after any spaces) and returns it with the number of
    /// characters it took, so a command can read a value after it. Error columns are 1-based in `text`.
    public static func parsePrefix(_ text: String) throws -> (AnswerExpression, length: Int) {
        var reader = Reader(Array(text))
        let expression = try reader.expression()
        return (expression, reader.position)
    }

    /// A character reader that knows its column, for errors that point at the bad character.
    private struct Reader {
        let chars: [Character]
        var position = 0

        init(_ chars: [Character]) { self.chars = chars }

        var column: Int { position + 1 }

        mutating func skipSpaces() { while position < chars.count, chars[position] == " " { position += 1 } }

        mutating func expression() throws -> AnswerExpression {
            skipSpaces()
            let start = position
            while position < chars.count, !"([ \t,".contains(chars[position]) { position += 1 }
            let typed = String(chars[start..<position])
            let name = typed.lowercased()
            guard !name.isEmpty else {
                throw SessionError(
                    "expected an answer name; answers are \(AnswerExpression.forms)", at: TextSpan(column: column))
            }
            let nameSpan = TextSpan(column: start + 1, width: name.count)
            switch name {
            case "bias_correction":
                let args = try arguments(of: name, example: "bias_correction(beta1)")
                guard let first = args.first, ["beta1", "beta2", "β1", "β2", "β₁", "β₂"].contains(first.text) else {
                    throw SessionError(
                        "bias_correction takes beta1 or beta2, e.g. bias_correction(beta1)",
                        at: args.first?.span ?? nameSpan)
                }
                var t: Int?
                if args.count >= 2 {
                    let arg = args[1].text.hasPrefix("t=") ? String(args[1].text.dropFirst(2)) : args[1].text
                    guard let n = Int(arg), n >= 1, n <= 1_000_000_000 else {
                        throw SessionError(
                            "t must be a whole number ≥ 1, e.g. bias_correction(beta2, 3)", at: args[1].span)
                    }
                    t = n
                }
                if args.count > 2 {
                    throw SessionError("bias_correction takes at most two arguments", at: args[2].span)
                }
                try noIndex("bias_correction")
                return .biasCorrection(beta: first.text.hasSuffix("1") || first.text.hasSuffix("₁") ? 1 : 2, t: t)
            case "scaled_update":
                let args = try arguments(of: name, example: "scaled_update(10)")
                guard args.count == 1, let c = parseNumber(args[0].text), c != 0, c.isFinite else {
                    throw SessionError(
                        "scaled_update takes one non-zero scale, e.g. scaled_update(10)",
                        at: args.first?.span ?? nameSpan)
                }
                return .scaledUpdate(scale: c, coordinate: try index())
            case "lp_norm":
                let args = try arguments(of: name, example: "lp_norm(4)")
                guard args.count == 1, let p = parseNumber(args[0].text), p >= 1, p <= 1000 else {
                    throw SessionError(
                        "lp_norm takes a power p from 1 to 1000, e.g. lp_norm(4)", at: args.first?.span ?? nameSpan)
                }
                return .lpNorm(p: p, coordinate: try index())
            case "infinity_norm":
                return .infinityNorm(coordinate: try index())
            case "expected_m":
                return .expectedM(coordinate: try index())
            case "update_bound":
                try noIndex("update_bound")
                return .updateBound
            default:
                guard let q = Quantity(name: typed) ?? Quantity(name: name) else {
                    let names = Quantity.allCases.map(\.machineName) + AnswerExpression.referenceNames
                    let hint = didYouMean(name, in: names).map { "did you mean '\($0)'? " } ?? ""
                    throw SessionError(
                        "'\(typed)' is not a quantity or an expression; \(hint)they are \(AnswerExpression.forms)",
                        at: nameSpan)
                }
                return .quantity(q, coordinate: try index())
            }
        }

        /// `(a, b, …)` right after a name: the arguments, trimmed, each with its place.
        mutating func arguments(of name: String, example: String) throws -> [(text: String, span: TextSpan)] {
            guard position < chars.count, chars[position] == "(" else {
                throw SessionError(
                    "\(name) takes arguments in parentheses, e.g. \(example)", at: TextSpan(column: column))
            }
            position += 1
            var args: [(String, TextSpan)] = []
            var current = ""
            var argStart = position
            while true {
                guard position < chars.count else {
                    throw SessionError("missing ')' in \(name)(…), e.g. \(example)", at: TextSpan(column: column))
                }
                let c = chars[position]
                if c == "," || c == ")" {
                    let leading = current.prefix { $0 == " " }.count
                    let trimmed = current.trimmingCharacters(in: .whitespaces)
                    args.append((trimmed, TextSpan(column: argStart + leading + 1, width: max(1, trimmed.count))))
                    position += 1
                    if c == ")" { break }
                    current = ""
                    argStart = position
                } else {
                    current.append(c)
                    position += 1
                }
            }
            return args.filter { !$0.0.isEmpty }
        }

        /// A value that is one number takes no `[i]`.
        mutating func noIndex(_ name: String) throws {
            guard position < chars.count, chars[position] == "[" else { return }
            let close = chars[position...].firstIndex(of: "]").map { $0 + 1 } ?? chars.count
            throw SessionError(
                "\(name) is one number; it takes no [i]", at: TextSpan(column: position + 1, width: close - position))
        }

        /// An optional `[i]` after the name.
        mutating func index() throws -> Int? {
            guard position < chars.count, chars[position] == "[" else { return nil }
            let open = position
            position += 1
            var digits = ""
            while position < chars.count, chars[position] != "]" {
                digits.append(chars[position])
                position += 1
            }
            guard position < chars.count, let i = Int(digits.trimmingCharacters(in: .whitespaces)), i >= 0 else {
                throw SessionError(
                    "expected [index] with a whole number from 0, e.g. m_hat[0]",
                    at: TextSpan(column: open + 1, width: min(position + 1, chars.count) - open))
            }
            position += 1
            return i
        }
    }
}
