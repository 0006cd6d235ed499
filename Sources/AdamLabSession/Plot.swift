// What `plot` shows, as numbers: series over t, or a 2-D path on the objective's level curves.
// Renderers (terminal braille, SVG, HTML) draw it; nothing here knows about cells or pixels.

import AdamLabCore
import Foundation

/// A point of a plot, in the data's own units.
public struct PlotPoint: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// One line of a plot and what it is.
public struct PlotSeries: Sendable, Equatable {
    public enum Label: Sendable, Equatable {
        /// f(θ) over t.
        case loss
        /// A quantity over t, one coordinate of it (nil for a scalar).
        case quantity(Quantity, coordinate: Int?)
        /// θ's path in the plane.
        case path
        /// One optimizer of a `compare`, by its spec.
        case optimizer(OptimizerSpec)
        /// Several quantities over t on one plot (a title, e.g. `gₜ, m̂ₜ, ∇f`).
        case quantities([Quantity])
        /// The final f(θ) of each run of a `sweep`, against the swept value.
        case finalLoss
        /// The starts of a race from many starts (`compare … starts=N plot=path`).
        case starts
        /// Where the runs of a race from many starts ended (a plot's title).
        case ends
    }

    public var label: Label
    public var points: [PlotPoint]
    /// A path in the plane rather than values over t (a `compare … plot=path` series).
    public var isPlanar = false
    /// The step at which this run blew up (a `compare`): it does not set the plot's box, and the
    /// legend says so.
    public var divergedAt: Int?
    /// Its points are samples far apart (a long run's history): drawn as dots, not joined by lines
    /// that would cut across what happened between them.
    public var sampled = false

    public init(label: Label, points: [PlotPoint]) {
        self.label = label
        self.points = points
    }

    /// At most about `buckets` points. Over t: each bucket's first, lowest and highest point and the
    /// last point overall, so a million steps draw in a blink and no spike is lost. A path (whose x
    /// goes back and forth): every k-th point and the last.
    public func downsampled(buckets: Int) -> PlotSeries {
        if label == .path || isPlanar {
            guard points.count > 3 * buckets, buckets > 0 else { return self }
            let k = (points.count + 3 * buckets - 1) / (3 * buckets)
            var out = Swift.stride(from: 0, to: points.count, by: k).map { points[$0] }
            if out.last != points.last { out.append(points.last!) }
            return PlotSeries(label: label, points: out)
        }
        guard points.count > 3 * buckets, buckets > 0, let first = points.first, let last = points.last else {
            return self
        }
        let span = last.x - first.x
        guard span > 0 else { return self }
        var out: [PlotPoint] = []
        out.reserveCapacity(3 * buckets + 1)
        var k = 0
        for b in 0..<buckets {
            let end = b == buckets - 1 ? last.x : first.x + span * Double(b + 1) / Double(buckets)
            guard k < points.count else { break }
            var low = points[k], high = points[k]
            let start = points[k]
            while k < points.count, points[k].x <= end {
                if points[k].y < low.y { low = points[k] }
                if points[k].y > high.y { high = points[k] }
                k += 1
            }
            for p in [start, low, high].sorted(by: { $0.x < $1.x }) where out.last != p { out.append(p) }
        }
        if out.last != last { out.append(last) }
        return PlotSeries(label: label, points: out)
    }
}

/// The objective's values on a grid over the plotted box, and the levels to draw.
public struct LevelField: Sendable, Equatable {
    public var x: ClosedRange<Double>
    public var y: ClosedRange<Double>
    /// `values[row][column]`, row 0 at the bottom (y = y.lowerBound), columns from x.lowerBound.
    public var values: [[Double]]
    /// Increasing, spaced so that a narrow valley gets as many curves as the steep walls around it.
    public var levels: [Double]

    public init(x: ClosedRange<Double>, y: ClosedRange<Double>, values: [[Double]], levels: [Double]) {
        self.x = x
        self.y = y
        self.values = values
        self.levels = levels
    }
}

/// An update vector drawn as an arrow from θₜ₋₁ to θₜ.
public struct PlotArrow: Sendable, Equatable {
    public var t: Int
    public var from: PlotPoint
    public var to: PlotPoint
}

/// A whole plot.
public struct Plot: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Series over t (`plot loss`, `plot m_hat`, `compare … plot`).
        case overTime
        /// θ's path over the level curves (`plot path`, `compare … plot=path`).
        case path
    }

    public var kind: Kind
    public var series: [PlotSeries]
    /// The y axis is logarithmic (a positive quantity over several decades).
    public var logY: Bool
    public var field: LevelField?
    public var arrows: [PlotArrow]
    public var start: PlotPoint?
    /// The objective's known minimum, when it lies in the box.
    public var minimum: PlotPoint?
    /// Its other global minima, when it has several (Himmelblau's four), drawn as the minimum is.
    public var otherMinima: [PlotPoint] = []
    /// What the y axis (over t) or the whole plot (a path) is of, for its title.
    public var title: PlotSeries.Label
    /// How the learner asked for it to be drawn in a terminal (`plot loss blocks`); nil: the default.
    public var drawing: PlotDrawing?
    /// Values above this are off the top (a diverging run in `compare` would flatten the others).
    public var yLimit: Double?
    /// θ now, the end of a `plot path`.
    public var end: PlotPoint?
    /// When the history kept one step in so many (a long `run`): how many steps apart its points are.
    public var stepsApart: Int?
    /// Coordinates a vector has beyond the first eight, which are the ones drawn (0 when all are).
    public var coordinatesLeftOut = 0
    /// What the x axis is, when it is not t: a swept hyperparameter's name (`sweep … plot`).
    public var xName: String?
    /// The points' x are log₁₀ of the values (a log sweep): the axis is labelled in powers of ten.
    public var logX = false

    public init(
        kind: Kind, series: [PlotSeries], logY: Bool = false, field: LevelField? = nil, arrows: [PlotArrow] = [],
        start: PlotPoint? = nil, minimum: PlotPoint? = nil, title: PlotSeries.Label
    ) {
        self.kind = kind
        self.series = series
        self.logY = logY
        self.field = field
        self.arrows = arrows
        self.start = start
        self.minimum = minimum
        self.title = title
    }

    /// The box the data spans: every series, arrow, the start and the minimum, a little margin around.
    public var bounds: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        if let field { return (field.x, field.y) }
        let points = series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        // The values a cut-off leaves on the plot set its y range: a run that blew up neither stretches
        // it nor squeezes the others into a row.
        let kept = yLimit.map { limit in points.filter { $0.y <= limit } } ?? points
        let xs = points.map(\.x), ys = kept.map { logY ? log10($0.y) : $0.y }
        func range(_ v: [Double], margin: Double) -> ClosedRange<Double> {
            guard let lo = v.min(), let hi = v.max() else { return 0...1 }
            if lo == hi {
                // One value: half its size either side (a log axis: half a decade), or ±1 around 0.
                let pad = logY ? 0.5 : lo == 0 ? 1 : abs(lo) * 0.5
                return (lo - pad)...(hi + pad)
            }
            let pad = (hi - lo) * margin
            return (lo - pad)...(hi + pad)
        }
        // Over t the lines keep a little air above and below; t itself runs edge to edge, from 0 on.
        var x = range(xs, margin: 0)
        // Over t, a plot that starts at the first step starts its axis at 0.
        if kind == .overTime, x.lowerBound == 1, x.upperBound > 1 { x = 0...x.upperBound }
        if x.lowerBound == x.upperBound || xs.count == 1 || (xs.min() == xs.max()) {
            let t = xs.first ?? 0
            x = t...(t + 1)
        }
        var y = range(ys, margin: 0.04)
        if let limit = yLimit, y.upperBound > (logY ? log10(limit) : limit) {
            y = y.lowerBound...(logY ? log10(limit) : limit)
        }
        return (x, y)
    }
}

/// Whether values over several decades read better on a log axis: the positive ones span more than a
/// hundredfold and make most of the values (a loss that reaches exactly 0 is left off, not flattened).
public func wantsLogScale(_ values: [Double]) -> Bool {
    let finite = values.filter(\.isFinite)
    let positive = finite.filter { $0 > 0 }
    guard positive.count >= 2, positive.count * 10 >= finite.count * 9,
        let lo = positive.min(), let hi = positive.max()
    else { return false }
    return hi / lo > 100
}

/// The kinds of terminal drawing a learner can ask for.
public enum PlotDrawing: String, CaseIterable, Sendable {
    case braille, blocks, ascii
}
