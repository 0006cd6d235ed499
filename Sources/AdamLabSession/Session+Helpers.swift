// Small helpers the commands share.

import AdamLabCore
import Foundation

extension Session {
    /// A vector in an error message: six significant digits, the first eight coordinates.
    func vector(_ v: [Double]) -> String {
        let shown = v.prefix(8).map { significantDigits($0) }.joined(separator: ", ")
        return "(" + shown + (v.count > 8 ? ", … \(v.count - 8) more" : "") + ")"
    }

    /// The Euclidean norm, scaled by the largest entry so that it overflows only when it really is infinite.
    func norm(_ v: [Double]) -> Double {
        let scale = v.reduce(0) { Swift.max($0, abs($1)) }
        guard scale > 0, scale.isFinite else { return scale }
        return scale * v.reduce(0) { $0 + ($1 / scale) * ($1 / scale) }.squareRoot()
    }
}
