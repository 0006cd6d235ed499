// A small fully connected network as an objective: its weights are θ, its mean cross-entropy on a data
// set is f, and its gradient is backpropagation written out.

import Foundation

/// The nonlinearity between layers.
public enum Activation: String, CaseIterable, Sendable {
    case relu, sigmoid, tanh
}

/// Labelled rows for a classifier: features and a class (0 or 1 for one output; 0 … k − 1 for k).
public struct ClassificationData: Sendable, Equatable {
    public var features: [[Double]]
    public var labels: [Int]
    /// Where the rows came from, as typed (`file=…`) or as generated (`rows=200 seed=0`).
    public var source: String

    /// Every row's features end to end, row-major: what the network reads, in one block of memory.
    public private(set) var flat: [Double]

    public init(features: [[Double]], labels: [Int], source: String) {
        (self.features, self.labels, self.source) = (features, labels, source)
        flat = features.flatMap { $0 }
    }

    /// Seed 000's data: `rows` points of `inputs` standard normal features, labelled 1 when their sum is
    /// positive (for one output), or by which of the first `classes` features is largest (for more).
    public static func generated(rows: Int, inputs: Int, classes: Int, seed: UInt64) -> ClassificationData {
        var random = SplitMix64(seed: GradientNoise.mix(seed, 0x6461_7461))
        var features: [[Double]] = []
        var labels: [Int] = []
        for _ in 0..<rows {
            let x = (0..<inputs).map { _ in random.nextGaussian() }
            features.append(x)
            if classes <= 1 {
                labels.append(x.reduce(0, +) > 0 ? 1 : 0)
            } else {
                labels.append(x.prefix(classes).indices.max { x[$0] < x[$1] }!)
            }
        }
        return ClassificationData(features: features, labels: labels, source: "rows=\(rows) seed=\(seed)")
    }

    /// Reads rows from CSV text through `RegressionData`'s reader (same line ends, header and errors):
    /// the last column is the class, a whole number from 0 to `classes` − 1 (0 or 1 for one output).
    public init(csv: String, source: String, classes: Int) throws {
        let table = try RegressionData(csv: csv, source: source)
        let top = max(classes, 2)
        var labels: [Int] = []
        for (k, y) in table.targets.enumerated() {
            guard y == y.rounded(), y >= 0, y < Double(top) else {
                throw CoreError(
                    "\(source): row \(k + 1)'s class is \(y); a network with \(classes) output\(classes == 1 ? "" : "s") needs a whole number from 0 to \(top - 1)"
                )
            }
            labels.append(Int(y))
        }
        self.init(features: table.features, labels: labels, source: source)
    }
}

/// A named block of θ: a weight matrix (rows × columns, row-major) or a bias (rows × 1).
public struct ParameterGroup: Sendable, Equatable {
    public var name: String
    public var offset: Int
    public var rows: Int
    public var columns: Int
    public var count: Int { rows * columns }
    public var range: Range<Int> { offset..<(offset + count) }

    public init(name: String, offset: Int, rows: Int, columns: Int) {
        (self.name, self.offset, self.rows, self.columns) = (name, offset, rows, columns)
    }

    /// The name of θ's coordinate `i` inside this group: `w1[3,2]`, `b1[3]`.
    public func name(of i: Int) -> String {
        let k = i - offset
        return columns == 1 ? "\(name)[\(k)]" : "\(name)[\(k / columns),\(k % columns)]"
    }
}

extension [ParameterGroup] {
    /// The coordinate of a named parameter, `w1[3,2]` or `b2[0]`; nil when there is none.
    public func coordinate(of text: String) -> Int? {
        let text = text.lowercased().replacingOccurrences(of: " ", with: "")
        guard let open = text.firstIndex(of: "["), text.hasSuffix("]") else { return nil }
        let group = String(text[..<open])
        let inside = text[text.index(after: open)..<text.index(before: text.endIndex)]
        let indices = inside.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard let g = first(where: { $0.name == group }), indices.allSatisfy({ $0 != nil }) else { return nil }
        let ix = indices.map { $0! }
        if g.columns == 1, ix.count == 1, (0..<g.rows).contains(ix[0]) { return g.offset + ix[0] }
        if g.columns > 1, ix.count == 2, (0..<g.rows).contains(ix[0]), (0..<g.columns).contains(ix[1]) {
            return g.offset + ix[0] * g.columns + ix[1]
        }
        return nil
    }

    /// The name of coordinate `i`.
    public func name(of i: Int) -> String {
        last(where: { i >= $0.offset })?.name(of: i) ?? "θ[\(i)]"
    }
}

/// A fully connected network: `sizes` = [inputs, hidden…, outputs], `activation` after each hidden layer,
/// a sigmoid with binary cross-entropy for one output, a softmax with categorical cross-entropy for more;
/// f is the mean loss over the rows.
///
/// θ holds each layer's weight matrix (row-major, out × in, as `torch.nn.Linear.weight`) and then its
/// bias, layer by layer: the order of `model.parameters()`.
public struct Network: Sendable, Equatable {
    public var sizes: [Int]
    public var activation: Activation
    public var data: ClassificationData
    /// Seeds the starting weights (`defaultStart`).
    public var initSeed: UInt64

    public init(sizes: [Int], activation: Activation, data: ClassificationData, initSeed: UInt64 = 0) {
        (self.sizes, self.activation, self.data, self.initSeed) = (sizes, activation, data, initSeed)
    }

    public var layers: Int { sizes.count - 1 }
    public var outputs: Int { sizes.last! }

    /// The named groups of θ in order: `w1`, `b1`, `w2`, … with where each starts and its shape.
    public var groups: [ParameterGroup] {
        var out: [ParameterGroup] = []
        var offset = 0
        for l in 0..<layers {
            out.append(ParameterGroup(name: "w\(l + 1)", offset: offset, rows: sizes[l + 1], columns: sizes[l]))
            offset += sizes[l + 1] * sizes[l]
            out.append(ParameterGroup(name: "b\(l + 1)", offset: offset, rows: sizes[l + 1], columns: 1))
            offset += sizes[l + 1]
        }
        return out
    }

    public var parameterCount: Int { (0..<layers).reduce(0) { $0 + sizes[$1 + 1] * (sizes[$1] + 1) } }

    /// The coordinate of a named parameter: `w1[3,2]` (row 3, column 2 of w1), `b2[0]`; nil if there is none.
    public func coordinate(of name: String) -> Int? { groups.coordinate(of: name) }

    /// The name of coordinate `i`: `w1[3,2]` or `b1[3]`.
    public func name(of i: Int) -> String { groups.name(of: i) }

    /// Seed 000's initialisation: every weight 0.01 times a standard normal draw, every bias 0.
    public var defaultStart: [Double] {
        var random = SplitMix64(seed: GradientNoise.mix(initSeed, 0x696E_6974))
        var theta: [Double] = []
        for g in groups {
            for _ in 0..<(g.rows * g.columns) { theta.append(g.name.hasPrefix("w") ? 0.01 * random.nextGaussian() : 0) }
        }
        return theta
    }

    /// f(θ) and, when asked, ∇f(θ) into `gradient`: a forward pass keeping each layer's output, then
    /// backpropagation, row by row, the rows' gradients added in order and divided by their number.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    func evaluate<T: Scalar>(
        _ w: UnsafeBufferPointer<T>, gradient g: UnsafeMutableBufferPointer<T>, wantGradient: Bool, rows: [Int]? = nil
    ) -> T {
        let layers = self.layers
        let sizes = self.sizes
        let widest = sizes.max()!
        // Where each layer's weights and biases start in θ, and each layer's values in the scratch.
        var weightAt = [Int](repeating: 0, count: layers), biasAt = [Int](repeating: 0, count: layers)
        var offset = 0
        for l in 0..<layers {
            weightAt[l] = offset
            offset += sizes[l + 1] * sizes[l]
            biasAt[l] = offset
            offset += sizes[l + 1]
        }
        var valueAt = [Int](repeating: 0, count: sizes.count + 1)
        for l in 0..<sizes.count { valueAt[l + 1] = valueAt[l] + sizes[l] }
        let rowCount = rows?.count ?? data.labels.count
        let count = T(rowCount)
        if wantGradient { for i in 0..<g.count { g[i] = 0 } }
        let scratch = 2 * valueAt[sizes.count] + 2 * widest
        let inputs = sizes[0]
        return data.flat.withUnsafeBufferPointer { features in
            withUnsafeTemporaryAllocation(of: T.self, capacity: scratch) { buffer -> T in
                // a: every layer's output for one row (a[0] the input); z: the same before the activation;
                // delta, below: the backward signal at a layer and the one under it.
                let a = buffer.baseAddress!, z = a + valueAt[sizes.count]
                let delta = z + valueAt[sizes.count], below = delta + widest
                var total: T = 0
                for k in 0..<rowCount {
                    let row = rows?[k] ?? k
                    for j in 0..<inputs { a[j] = T(features[row * inputs + j]) }
                    for l in 0..<layers {
                        let n = sizes[l], m = sizes[l + 1]
                        let input = a + valueAt[l], output = a + valueAt[l + 1], pre = z + valueAt[l + 1]
                        for o in 0..<m {
                            let row = w.baseAddress! + weightAt[l] + o * n
                            // Four running sums, so the products can go four at a time; torch's matrix product
                            // adds in its own order too, so neither is "the" order (agreement is to 1e-12).
                            var s0: T = 0, s1: T = 0, s2: T = 0, s3: T = 0
                            var j = 0
                            while j + 4 <= n {
                                s0 = s0.addingProduct(row[j], input[j])
                                s1 = s1.addingProduct(row[j + 1], input[j + 1])
                                s2 = s2.addingProduct(row[j + 2], input[j + 2])
                                s3 = s3.addingProduct(row[j + 3], input[j + 3])
                                j += 4
                            }
                            while j < n {
                                s0 = s0.addingProduct(row[j], input[j])
                                j += 1
                            }
                            var s = (s0 + s2) + (s1 + s3)
                            s += w[biasAt[l] + o]
                            pre[o] = s
                            guard l + 1 < layers else { continue }
                            switch activation {
                            case .relu: output[o] = s > 0 ? s : 0
                            case .sigmoid: output[o] = 1 / (1 + T.exp(-s))
                            case .tanh: output[o] = T.tanh(s)
                            }
                        }
                    }
                    // The loss of this row and its derivative with respect to the output layer's z.
                    let out = z + valueAt[layers]
                    let label = data.labels[row]
                    if outputs == 1 {
                        // Binary cross-entropy of sigmoid(z), written stably: max(z, 0) − z·y + log(1 + e^−|z|).
                        let s = out[0], y = T(label)
                        total += Swift.max(s, 0) - s * y + T.log(onePlus: T.exp(-Swift.abs(s)))
                        delta[0] = (1 / (1 + T.exp(-s)) - y) / count
                    } else {
                        // Softmax cross-entropy: log Σ e^z − z_label, from the largest z for stability.
                        var top = out[0]
                        for c in 1..<outputs where out[c] > top { top = out[c] }
                        var sum: T = 0
                        for c in 0..<outputs { sum += T.exp(out[c] - top) }
                        total += (top + T.log(sum)) - out[label]
                        for c in 0..<outputs { delta[c] = (T.exp(out[c] - top) / sum - (c == label ? 1 : 0)) / count }
                    }
                    guard wantGradient else { continue }
                    for l in stride(from: layers - 1, through: 0, by: -1) {
                        let n = sizes[l], m = sizes[l + 1]
                        let input = a + valueAt[l]
                        for o in 0..<m {
                            let d = delta[o], row = g.baseAddress! + weightAt[l] + o * n
                            g[biasAt[l] + o] += d
                            for j in 0..<n { row[j] += d * input[j] }
                        }
                        guard l > 0 else { break }
                        let pre = z + valueAt[l]
                        // Wᵀ·delta, a row of W at a time (contiguous, so the loop over j can go several at once).
                        for j in 0..<n { below[j] = 0 }
                        for o in 0..<m {
                            let d = delta[o], row = w.baseAddress! + weightAt[l] + o * n
                            for j in 0..<n { below[j] = below[j].addingProduct(row[j], d) }
                        }
                        for j in 0..<n {
                            switch activation {
                            case .relu: below[j] = pre[j] > 0 ? below[j] : 0
                            case .sigmoid: below[j] = below[j] * (input[j] * (1 - input[j]))
                            case .tanh: below[j] = below[j] * (1 - input[j] * input[j])
                            }
                        }
                        for j in 0..<n { delta[j] = below[j] }
                    }
                }
                return total / count
            }
        }
    }
}

extension Objective {
    /// How many steps run between two looks at Ctrl-C: 1024 for a cheap objective, fewer as a step's
    /// work (rows times weights, for data) grows, so that a stop is seen within a fraction of a second.
    public var stepsPerCheck: Int {
        let work: Int
        switch self {
        case .network(let net): work = net.data.labels.count * net.parameterCount
        case .linearRegression(let data): work = data.targets.count * (dimension ?? 1)
        case .stochastic(let base, _): return base.stepsPerCheck
        default: return 1024
        }
        return Swift.max(1, Swift.min(1024, 4_000_000 / Swift.max(1, work)))
    }

    /// θ's named blocks, for an objective whose coordinates are a model's weights (a network).
    public var parameterGroups: [ParameterGroup]? {
        switch self {
        case .network(let net): return net.groups
        case .stochastic(let base, _): return base.parameterGroups
        default: return nil
        }
    }
}
