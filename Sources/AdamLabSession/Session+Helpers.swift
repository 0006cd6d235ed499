// Small helpers the commands share.

import AdamLabCore
import Foundation

extension Session {
    /// A vector in an error message: six significant digits, the first eight coordinates.
    func vector(_ v: [Double]) -> String {
        let shown = v.prefix(8).map { significantDigits($0) }.joined(separator: ", ")
        return "(" + shown + (v.count > 8 ? ", … \(v.count - 8) more" : "") + ")"
    }

    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
