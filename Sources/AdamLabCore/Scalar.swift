// The floating-point types the core computes in: Double by default, Float for the precision lesson.

import RealModule

/// A floating-point type the optimizers and objectives are written once for.
public protocol Scalar: Real, BinaryFloatingPoint, Sendable, LosslessStringConvertible, Codable {}
extension Double: Scalar {}
extension Float: Scalar {}

extension Scalar {
    /// As a Double, for printing and comparing.
    @inlinable public var double: Double { Double(self) }
}
