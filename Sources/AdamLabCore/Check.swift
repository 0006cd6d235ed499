// Comparing a learner's typed answer with the engine's value, with the tolerance the typed digits imply.

import Foundation
import RealModule

/// A number as the learner typed it, with the tolerance its digits imply.
public struct TypedNumber: Sendable, Equatable {
    public var text: String
    public var value: Double
    /// Half a unit in the last typed place: `0.27` → 0.005, `27` → 0.5, `2.7e-1` → 0.005.
    public var impliedTolerance: Double

    public init?(_ raw: String) {
        let text = raw.trimmingCharacters(in: .whitespaces)
        guard let value = parseNumber(text), value.isFinite else { return nil }
        self.text = text
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
    }
}

/// The verdict on one typed answer.
public struct CheckResult: Sendable, Equatable {
    public var expected: [Double]
    public var typed: [Double]
    public var tolerance: [Double]
    public var absoluteError: [Double]
    public var relativeError: [Double]

    public var isRight: Bool { zip(absoluteError, tolerance).allSatisfy { $0 <= $1 } }

    /// Compares typed values with the expected ones. `tolerance` overrides the tolerance implied by the
    /// digits typed. A lone typed value is compared with every coordinate.
    public init(typed: [TypedNumber], expected: [Double], tolerance: Double? = nil) {
        let typedValues = typed.count == 1 && expected.count > 1 ? Array(repeating: typed[0], count: expected.count) : typed
        self.expected = expected
        self.typed = typedValues.map(\.value)
        self.tolerance = typedValues.map { tolerance ?? $0.impliedTolerance }
        self.absoluteError = zip(self.typed, expected).map { abs($0 - $1) }
        self.relativeError = zip(absoluteError, expected).map { $1 == 0 ? ($0 == 0 ? 0 : .infinity) : $0 / abs($1) }
    }
}

/// Parses `0.27` or `0.1,-0.2` into typed numbers; nil when any part is not a number.
public func parseTypedVector(_ text: String) -> [TypedNumber]? {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
    var out: [TypedNumber] = []
    for p in parts {
        guard let n = TypedNumber(p) else { return nil }
        out.append(n)
    }
    return out.isEmpty ? nil : out
}
