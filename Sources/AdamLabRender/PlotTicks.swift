// Axis ticks a reader can read: nice steps, one number format per axis, decades on a log axis.

import AdamLabCore
import Foundation

/// Tick values a reader can read: 1, 2 or 5 × 10ᵏ apart, about `count` of them, inside `range`
/// (whole numbers only, for t).
func niceTicks(_ range: ClosedRange<Double>, count: Int = 5, whole: Bool = false) -> [Double] {
    let span = range.upperBound - range.lowerBound
    guard span > 0, span.isFinite else { return [range.lowerBound] }
    let raw = max(span / Double(max(1, count)), whole ? 1 : 0)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    var ticks: [Double] = []
    var v = ceil(range.lowerBound / step) * step
    while v <= range.upperBound + step * 1e-9 && ticks.count < 50 {
        ticks.append(abs(v) < step * 1e-9 ? 0 : v)
        v += step
    }
    return ticks
}

/// A tick's label: whole numbers as they are below a million (500000, not 5e+05), others in four digits.
func tickLabel(_ v: Double) -> String { tickFormat([v])(v) }

/// One format for all the ticks of an axis: whole numbers below a million as they are; from a million
/// up (or below 10⁻³) a mantissa and a power of ten, `5e6`, `1e7`; others in up to four digits.
func tickFormat(_ ticks: [Double]) -> (Double) -> String {
    let largest = ticks.map(abs).max() ?? 0
    let smallest = ticks.filter { $0 != 0 }.map(abs).min() ?? 1
    if ticks.allSatisfy({ $0 == $0.rounded() }) && largest < 1e6 { return { String(Int($0)) } }
    if largest >= 1e6 || smallest < 1e-3 {
        return { v in
            guard v != 0 else { return "0" }
            let e = Int(floor(log10(abs(v))))
            var mantissa = String(format: "%.3g", v / pow(10, Double(e)))
            if mantissa == "10" || mantissa == "-10" {  // rounding carried into the next power
                return (v < 0 ? "-" : "") + "1e\(e + 1)"
            }
            if mantissa.contains(".") { while mantissa.hasSuffix("0") { mantissa.removeLast() } }
            return mantissa + "e\(e)"
        }
    }
    return { v in v == 0 ? "0" : String(format: "%.4g", v) }
}

/// The powers of ten inside a log axis's range (its values are log₁₀ of the data).
func logTicks(_ range: ClosedRange<Double>) -> [Double] {
    let lo = Int(ceil(range.lowerBound - 1e-9)), hi = Int(floor(range.upperBound + 1e-9))
    guard lo <= hi else { return niceTicks(range) }
    // Every power while they fit, else every 2nd, 5th, 10th …, on multiples of that step.
    let step = [1, 2, 5, 10, 20, 50, 100].first { (hi - lo) / $0 + 1 <= 7 } ?? 100
    let first = Int((Double(lo) / Double(step)).rounded(.up)) * step
    return Swift.stride(from: first, through: hi, by: step).map(Double.init)
}
