// The floating-point types the core computes in: Double by default, Float for the precision lesson.

import Foundation
import RealModule

/// A floating-point type the optimizers and objectives are written once for.
public protocol Scalar: Real, BinaryFloatingPoint, SIMDScalar, Sendable, LosslessStringConvertible, Codable {}
extension Double: Scalar {}
extension Float: Scalar {}

extension Scalar {
    /// As a Double, for printing and comparing.
    @inlinable public var double: Double { Double(self) }
}

/// `x` to `precision` significant digits as a learner reads it: -0 as 0, and nan, inf, -inf.
public func significantDigits(_ x: Double, _ precision: Int = 6) -> String {
    if x == 0 { return "0" }
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return String(format: "%.\(precision)g", x)
}
