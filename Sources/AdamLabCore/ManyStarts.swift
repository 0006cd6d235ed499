// Many starts: Latin-hypercube starting points in a box, and where each objective's global minima are.

/// `count` points in the box [lo, hi]ᵈ by Latin-hypercube sampling: each coordinate's range is cut into
/// `count` equal strata and every stratum holds exactly one point's coordinate, placed uniformly inside
/// it; the strata are matched at random, coordinate by coordinate. The same seed gives the same points on
/// every machine (SplitMix64, Fisher–Yates, then one uniform per coordinate of each point).
public func latinHypercube(count: Int, dimension: Int, box: ClosedRange<Double>, seed: UInt64) -> [[Double]] {
    var random = SplitMix64(seed: seed)
    var points = Array(repeating: [Double](repeating: 0, count: dimension), count: count)
    let width = box.upperBound - box.lowerBound
    for j in 0..<dimension {
        var strata = Array(0..<count)
        for i in stride(from: count - 1, to: 0, by: -1) { strata.swapAt(i, Int(random.nextBelow(UInt64(i + 1)))) }
        for i in 0..<count {
            points[i][j] = box.lowerBound + (Double(strata[i]) + random.nextUnit()) / Double(count) * width
        }
    }
    return points
}

extension Objective {
    /// Where starts are drawn by default: the box the test-function literature uses for each.
    public var searchBox: ClosedRange<Double> {
        switch self {
        case .rosenbrock: return -2...2
        case .rastrigin: return -5.12...5.12
        case .beale: return -4.5...4.5
        case .gaussianMixture: return -4...4
        case .stochastic(let base, _): return base.searchBox
        default: return -5...5
        }
    }

    /// Every global minimiser, when they are known in closed form: Himmelblau has four (its three others
    /// to the seven digits the literature gives them), the others one (see `knownMinimum`).
    public func globalMinima(dimension n: Int) -> [[Double]] {
        switch self {
        case .himmelblau:
            return [[3, 2], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]]
        case .stochastic(let base, _): return base.globalMinima(dimension: n)
        default: return knownMinimum(dimension: n).map { [$0] } ?? []
        }
    }
}
