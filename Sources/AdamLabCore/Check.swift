// Comparing a learner's typed answer with the engine's value: one answer syntax, one tolerance rule.

import Foundation
import RealModule

/// A number as the learner typed it, with the precision its digits claim.
public struct TypedNumber: Sendable, Equatable {
    public var text: String
    public var value: Double
    /// Half a unit in the last typed place: `0.27` → 0.005, `27` → 0.5, `2.7e-1` → 0.005.
    public var impliedTolerance: Double
    /// Significant digits typed: `0.27` → 2, `34.8` → 3, `0` → 1, `1e1` → 1.
    public var significantDigits: Int

    /// Accepts `0.27`, `-3`, `.5`, `1e-7`, and a Unicode minus (−) as `explain` prints it.
    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{2212}", with: "-")
        guard let value = parseNumber(text), value.isFinite else { return nil }
        self.text = raw.trimmingCharacters(in: .whitespaces)
        self.value = value
        let lower = text.lowercased()
        var mantissa = Substring(lower)
        var exponent = 0
        if let e = lower.firstIndex(of: "e") {
            mantissa = lower[..<e]
            exponent = Int(lower[lower.index(after: e)...]) ?? 0
        }
        let decimals = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 } ?? 0
        impliedTolerance = 0.5 * Double.pow(10, Double(exponent - decimals))
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        significantDigits = max(1, digits.count)
    }
}

/// Why a typed answer could not be read, in words a learner understands.
public struct AnswerSyntaxError: Error, LocalizedError, Sendable, Equatable {
    public var message: String
    public var errorDescription: String? { message }
}

/// Parses `0.27` or `0.1,-0.2` (spaces allowed around commas, never inside a number).
public func parseTypedAnswer(_ text: String) throws -> [TypedNumber] {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
        throw AnswerSyntaxError(message: "type a number like 0.27, or numbers separated by commas")
    }
    var out: [TypedNumber] = []
    for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
        let p = part.trimmingCharacters(in: .whitespaces)
        if p.isEmpty { throw AnswerSyntaxError(message: "'\(clipped(trimmed))' has an empty value between commas") }
        if p.contains(where: \.isWhitespace) {
            let joined = p.split(whereSeparator: \.isWhitespace).joined(separator: ",")
            throw AnswerSyntaxError(
                message:
                    "'\(clipped(p))' has a space inside a number; separate coordinates with commas, e.g. \(clipped(joined))"
            )
        }
        guard let n = TypedNumber(p) else {
            let normalized = p.replacingOccurrences(of: "\u{2212}", with: "-")
            if let x = parseNumber(normalized), x.isInfinite {
                throw AnswerSyntaxError(message: "'\(clipped(p))' is too large for a double (at most about 1.8e308)")
            }
            throw AnswerSyntaxError(message: "'\(clipped(p))' is not a number; type one like 0.27, -1.5 or 2e-3")
        }
        out.append(n)
    }
    return out
}

/// The note for an answer whose count of numbers is wrong: `0,6` for one number is a decimal comma.
public func answerCountNote(_ typed: [TypedNumber], expectedCount: Int) -> String {
    if expectedCount == 1, typed.count == 2, typed[1].text.allSatisfy(\.isNumber), !typed[0].text.contains(".") {
        return
            "this asks for one number; if you meant \(typed[0].text).\(typed[1].text), write the decimal point as '.' (commas separate coordinates)"
    }
    return "the answer has \(expectedCount) number\(expectedCount == 1 ? "" : "s"); you typed \(typed.count)"
}

/// Text a learner typed, cut to 40 characters for a message that quotes it.
public func clipped(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }

/// The verdict on one typed answer.
///
/// An answer is right when it is within `tolerance` of the reference. Without an explicit tolerance
/// that is `min(relativeFloor · max(|x|, tiny), half a unit in the last digit typed)`: the reference's
/// magnitude sets the bar (three significant digits), and typing more digits only tightens it. So `0`
/// is not −0.2, `1e1` is not 6, and `34.8` is 34.8194 while `34.9` is not.
public struct CheckResult: Sendable, Equatable {
    /// The relative error any answer may have: enough for a value rounded to three significant digits.
    public static let relativeFloor = 5e-3
    /// Below this magnitude a reference counts as zero (rounding leaves 1e-17 where 0 is meant).
    public static let zeroFloor = 1e-12
    /// Units in the last place of the reference within which any answer is right: a double's own
    /// resolution, and the bit two ways of computing one quantity may differ by.
    public static let ulpsAlwaysRight = 4.0

    public var expected: [Double]
    public var typed: [Double]
    public var tolerance: [Double]
    public var absoluteError: [Double]
    public var relativeError: [Double]
    /// Per coordinate: whether the typed digits set the tolerance (else the relative floor did).
    public var digitsSetTolerance: [Bool]
    /// Per coordinate: whether a double's resolution set it (more digits were typed than a double holds).
    public var resolutionSetTolerance: [Bool]
    /// Per coordinate: wrong, but right to the digits typed (the answer is too coarse, not mistaken).
    public var tooCoarse: [Bool]

    public var isRight: Bool { zip(absoluteError, tolerance).allSatisfy { $0 <= $1 } }

    /// Compares typed values with the expected ones. `tolerance` (absolute) replaces the rule above.
    /// A lone typed value is compared with every coordinate.
    public init(typed: [TypedNumber], expected: [Double], tolerance: Double? = nil) {
        let typedValues =
            typed.count == 1 && expected.count > 1 ? Array(repeating: typed[0], count: expected.count) : typed
        self.expected = expected
        self.typed = typedValues.map(\.value)
        let floors = expected.map { CheckResult.relativeFloor * Swift.max(abs($0), CheckResult.zeroFloor) }
        // A hair above half a unit, so that a correctly rounded answer is never refused by rounding.
        let implied = typedValues.map { $0.impliedTolerance * (1 + 1e-9) }
        // Never finer than a double resolves: within a few units in the last place of the reference is
        // right, whatever was typed (17 digits of one computation may differ in the last bit from another's).
        let resolution = expected.map { CheckResult.ulpsAlwaysRight * $0.ulp }
        self.tolerance = zip(zip(floors, implied), resolution).map { pair, ulps in
            Swift.max(tolerance ?? Swift.min(pair.0, pair.1), ulps)
        }
        self.digitsSetTolerance = zip(floors, implied).map { tolerance == nil && $1 < $0 }
        self.resolutionSetTolerance = zip(self.tolerance, resolution).map { $0 == $1 && $1 > 0 }
        self.absoluteError = zip(self.typed, expected).map { abs($0 - $1) }
        self.relativeError = zip(absoluteError, expected).map { $1 == 0 ? ($0 == 0 ? 0 : .infinity) : $0 / abs($1) }
        // Too coarse, not wrong: the reference rounded to the typed digits, with the last typed digit
        // no coarser than the reference's leading one (`6` is 5.89 to one digit; `1e1` is not).
        let (errors, tolerances, values) = (absoluteError, self.tolerance, self.typed)
        self.tooCoarse = (0..<expected.count).map { i in
            let unit = 2 * typedValues[i].impliedTolerance
            let leading = expected[i] == 0 ? 0 : Double.pow(10, Double.log10(abs(expected[i])).rounded(.down))
            return tolerance == nil && errors[i] > tolerances[i] && errors[i] <= implied[i]
                && values[i] != 0 && (values[i] < 0) == (expected[i] < 0) && unit <= leading * (1 + 1e-9)
        }
    }
}

/// Parses `0.27` or `0.1,-0.2` into typed numbers; nil when any part is not a number.
public func parseTypedVector(_ text: String) -> [TypedNumber]? {
    try? parseTypedAnswer(text)
}
