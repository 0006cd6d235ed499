// Stochastic gradients: additive Gaussian noise, minibatches and sparse coordinates, each a pure
// function of the seed and the step number, so a step is the same however it is reached.

/// How the gradient an optimizer sees differs from the true gradient ∇f. Every draw depends only on
/// `seed` and the step t (and, for minibatches, the epoch), never on what ran before: going back,
/// replaying or resuming gives the same gₜ. The generator and the arithmetic are ours (SplitMix64 and
/// IEEE basic operations only; no platform random source, no libm), so a seed gives the same numbers
/// on every machine.
public struct GradientNoise: Sendable, Equatable {
    /// Standard deviation of the Gaussian noise added to every coordinate of the gradient (0: none).
    public var sigma: Double = 0
    /// Rows per minibatch (nil: the whole data set every step). Only for objectives made of data.
    public var batch: Int?
    /// The last coordinate's gradient is seen only on steps k, 2k, 3k, …, and is 0 on every other step.
    public var sparseEvery: Int?
    public var seed: UInt64 = 0

    public init(sigma: Double = 0, batch: Int? = nil, sparseEvery: Int? = nil, seed: UInt64 = 0) {
        self.sigma = sigma
        self.batch = batch
        self.sparseEvery = sparseEvery
        self.seed = seed
    }

    /// The modifiers as they would be typed after an objective's name, e.g. ` noise=0.5 seed=7`.
    public var description: String {
        var parts: [String] = []
        if sigma != 0 { parts.append("noise=\(sigma)") }
        if let batch { parts.append("batch=\(batch)") }
        if let sparseEvery { parts.append("sparse=\(sparseEvery)") }
        if draws { parts.append("seed=\(seed)") }
        return parts.map { " " + $0 }.joined()
    }

    /// In words, for `help` and an objective's definition.
    public var summary: String {
        var text =
            batch.map { "gₜ is the gradient of a minibatch of \($0) rows (reshuffled every epoch)" } ?? "gₜ is ∇f"
        if sigma != 0 { text += " plus Gaussian noise of σ = \(sigma) on every coordinate" }
        if let k = sparseEvery {
            text += sigma != 0 || batch != nil ? "; the last coordinate's" : ", but the last coordinate's"
            text += " is seen only at steps \(k), \(2 * k), \(3 * k), … (0 at every other step)"
        }
        return text + (draws ? " (seed \(seed))" : "")
    }

    /// Whether anything is drawn at random (a sparse coordinate alone is not).
    public var draws: Bool { sigma != 0 || batch != nil }

    /// Perturbs `g` (the gradient the optimizer will see at step `t`) in place: noise, then sparsity.
    func perturb<T: Scalar>(_ g: UnsafeMutableBufferPointer<T>, step t: Int) {
        if sigma != 0 {
            var random = SplitMix64(seed: Self.mix(seed, 0x6E6F_6973_6500_0000 &+ UInt64(truncatingIfNeeded: t)))
            for i in 0..<g.count { g[i] = g[i] + T(sigma * random.nextGaussian()) }
        }
        if let k = sparseEvery, t % k != 0, let last = g.indices.last { g[last] = 0 }
    }

    /// The rows of step `t`'s minibatch (t counts from 1), in the order drawn: epoch e = ⌊(t − 1)/b⌋
    /// shuffles the rows (Fisher–Yates, generator seeded from the seed and e), and step t takes the
    /// ((t − 1) mod b)-th slice of `batch` rows, b = ⌈rows/batch⌉; the last slice may be shorter.
    public func batchIndices(step t: Int, rows: Int) -> [Int] {
        guard let batch, batch < rows else { return Array(0..<rows) }
        let perEpoch = (rows + batch - 1) / batch
        let epoch = (t - 1) / perEpoch, slice = (t - 1) % perEpoch
        var order = Array(0..<rows)
        var random = SplitMix64(seed: Self.mix(seed, 0x6261_7463_6800_0000 &+ UInt64(truncatingIfNeeded: epoch)))
        for i in stride(from: rows - 1, to: 0, by: -1) {
            order.swapAt(i, Int(random.nextBelow(UInt64(i + 1))))
        }
        return Array(order[(slice * batch)..<min(rows, (slice + 1) * batch)])
    }

    /// Two words into one seed (a SplitMix64 step of their sum with the first rotated).
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var g = SplitMix64(seed: (a << 17 | a >> 47) ^ b)
        return g.next()
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1): the top 53 bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in 0..<n without bias (rejection of the short last block).
    mutating func nextBelow(_ n: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % n
        while true {
            let x = next()
            if x < limit { return x % n }
        }
    }

    /// A standard normal deviate by Marsaglia's polar method, with our own logarithm: only IEEE basic
    /// operations, so the same bits everywhere.
    mutating func nextGaussian() -> Double {
        while true {
            let u = 2 * nextUnit() - 1, v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s >= 1 || s == 0 { continue }
            return u * (-2 * portableLog(s) / s).squareRoot()
        }
    }
}

/// ln x for finite x > 0 from basic operations only: x = m·2ᵉ with m in [√½, √2), then
/// ln m = 2·atanh(r), r = (m − 1)/(m + 1), |r| < 0.172, by its series to r⁴¹ (error below 1e-17 relative).
func portableLog(_ x: Double) -> Double {
    var m = x.significand  // in [1, 2)
    var e = Double(x.exponent)
    if m > 1.4142135623730951 {
        m /= 2
        e += 1
    }
    let r = (m - 1) / (m + 1), r2 = r * r
    var term = r, sum = 0.0
    var k = 1.0
    while k <= 41 {
        sum += term / k
        term *= r2
        k += 2
    }
    return 2 * sum + e * 0.6931471805599453
}
