// The functions to minimise, each with its exact gradient, and the spec syntax `rosenbrock a=1 b=100`.

import Foundation
import RealModule

/// A function to minimise, with its exact gradient.
public enum Objective: Sendable, Equatable {
    case sphere
    case quadratic(coefficients: [Double])
    case rosenbrock(a: Double, b: Double)
    case rastrigin(A: Double)
    case ackley
    case beale
    case himmelblau
    case gaussianMixture
    case linearRegression(RegressionData)
    case formula(Formula)
    /// A fully connected classifier on a data set; θ is its weights.
    case network(Network)
    /// Another objective whose gradient is sampled: noise, minibatches or a sparse coordinate.
    indirect case stochastic(Objective, GradientNoise)

    public static let names = [
        "sphere", "quadratic", "rosenbrock", "rastrigin", "ackley", "beale", "himmelblau",
        "gaussian-mixture", "linear-regression", "network",
    ]

    /// Parameters each named objective takes, for completion and error messages.
    public static func parameterNames(of name: String) -> [String] {
        switch name {
        case "quadratic": return ["c"] + stochasticParameters
        case "rosenbrock": return ["a", "b"] + stochasticParameters
        case "rastrigin": return ["A"] + stochasticParameters
        case "linear-regression": return ["file", "batch"] + stochasticParameters
        case "network": return ["layers", "act", "file", "rows", "seed", "init", "batch", "noise", "sparse"]
        default: return names.contains(name) ? stochasticParameters : []
        }
    }

    /// What any named objective takes to make its gradient stochastic (`batch` only with data).
    public static let stochasticParameters = ["noise", "sparse", "seed"]

    /// The objective whose gradient is sampled (self when it is exact).
    public var exact: Objective {
        if case .stochastic(let base, _) = self { return base }
        return self
    }

    /// How the gradient is sampled, when it is.
    public var noise: GradientNoise? {
        if case .stochastic(_, let noise) = self { return noise }
        return nil
    }

    /// The number of coordinates, or nil when any dimension works.
    public var dimension: Int? {
        switch self {
        case .sphere, .rastrigin, .ackley: return nil
        case .quadratic(let c): return c.count == 1 ? nil : c.count
        case .rosenbrock, .beale, .himmelblau, .gaussianMixture: return 2
        case .linearRegression(let data): return (data.features.first?.count ?? 0) + 1
        case .formula(let f): return f.variables.count
        case .network(let net): return net.parameterCount
        case .stochastic(let base, _): return base.dimension
        }
    }

    /// Where the minimum is, when it is known in closed form (Himmelblau has four; this is (3, 2)).
    public func knownMinimum(dimension n: Int) -> [Double]? {
        switch self {
        case .sphere, .rastrigin, .ackley: return Array(repeating: 0, count: n)
        case .quadratic(let c): return Array(repeating: 0, count: c.count == 1 ? n : c.count)
        case .rosenbrock(let a, _): return [a, a * a]
        case .beale: return [3, 0.5]
        case .himmelblau: return [3, 2]
        case .gaussianMixture, .linearRegression, .formula, .network: return nil
        case .stochastic(let base, _): return base.knownMinimum(dimension: n)
        }
    }

    /// A sensible place to start when the learner has not chosen one.
    public var defaultStart: [Double] {
        switch self {
        case .sphere: return [3, 4]
        case .quadratic(let c): return Array(repeating: 10, count: c.count == 1 ? 2 : c.count)
        case .rosenbrock: return [-1.5, 2]
        case .rastrigin: return [-1, -1]
        case .ackley: return [-4, -4]
        case .beale: return [1, 1]
        case .himmelblau: return [0, 0]
        case .gaussianMixture: return [3, 3]
        case .linearRegression: return Array(repeating: 0, count: dimension ?? 1)
        case .formula(let f): return Array(repeating: 1, count: f.variables.count)
        case .network(let net): return net.defaultStart
        case .stochastic(let base, _): return base.defaultStart
        }
    }

    /// The objective as it would be typed.
    public var description: String {
        switch self {
        case .sphere: return "sphere"
        case .quadratic(let c): return "quadratic c=" + c.map { "\($0)" }.joined(separator: ",")
        case .rosenbrock(let a, let b): return "rosenbrock a=\(a) b=\(b)"
        case .rastrigin(let a): return "rastrigin A=\(a)"
        case .ackley: return "ackley"
        case .beale: return "beale"
        case .himmelblau: return "himmelblau"
        case .gaussianMixture: return "gaussian-mixture"
        case .linearRegression(let d): return "linear-regression file=\(d.source)"
        case .formula(let f): return f.text
        case .network(let net):
            let data = net.data.source.hasPrefix("rows=") ? net.data.source : "file=\(net.data.source)"
            return "network layers=" + net.sizes.map(String.init).joined(separator: ",")
                + " act=\(net.activation.rawValue) \(data)" + (net.initSeed == 0 ? "" : " init=\(net.initSeed)")
        case .stochastic(let base, let noise):
            // A network's seed is in its own description already (it draws the data and the noise).
            guard case .network = base else { return base.description + noise.description }
            return base.description + noise.description.replacingOccurrences(of: " seed=\(noise.seed)", with: "")
        }
    }

    /// The mathematics, for `help` and lessons.
    public var definition: String {
        switch self {
        case .sphere: return "Σ wᵢ²"
        case .quadratic: return "Σ cᵢ wᵢ²"
        case .rosenbrock: return "(a − x)² + b (y − x²)²"
        case .rastrigin: return "A·n + Σ (wᵢ² − A cos 2πwᵢ)"
        case .ackley: return "−20 exp(−0.2 √(Σwᵢ²/n)) − exp(Σ cos(2πwᵢ)/n) + e + 20; gradient 0 at the origin"
        case .beale: return "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
        case .himmelblau: return "(x² + y − 11)² + (x + y² − 7)²"
        case .gaussianMixture: return "−Σₖ ¼ 𝒩(w; μₖ, Σ), μ ∈ {(±2, ±2)}, Σ = [[1, .5], [.5, 1]]"
        case .linearRegression(let d):
            let rows = "\(d.targets.count) row\(d.targets.count == 1 ? "" : "s")"
            let header = d.header.map { "; header: " + $0.joined(separator: ",") } ?? ""
            return "mean over \(rows) of (Σ wⱼ xⱼ + b − y)², the last weight b the bias\(header)"
        case .formula(let f): return f.text
        case .network(let net):
            let shape = net.sizes.map(String.init).joined(separator: "-")
            let output = net.outputs == 1 ? "a sigmoid output, binary cross-entropy" : "a softmax output, cross-entropy"
            return
                "mean loss of a \(shape) network (\(net.activation.rawValue) between layers, \(output)) over \(net.data.labels.count) rows; \(net.parameterCount) weights"
        case .stochastic(let base, let noise): return base.definition + "; " + noise.summary
        }
    }

    /// Parses `NAME k=v …` or a formula `f(x,y) = …`. `readFile` loads a data file (the core does no I/O).
    public static func parse(
        _ text: String,
        readFile: (String) throws -> String = { _ in
            throw CoreError("this objective needs a file, and files cannot be read here")
        }
    ) throws -> Objective {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("=") && (trimmed.contains("(") || trimmed.hasPrefix("f")) && !trimmed.contains(" c=")
            && looksLikeFormula(trimmed)
        {
            let offset = text.count - text.drop(while: { $0 == " " }).count
            do { return .formula(try Formula(trimmed)) } catch let e as CoreError { throw e.shifted(by: offset) }
        }
        let tokens = tokenize(text)
        guard let first = tokens.first else {
            throw CoreError(
                "missing objective; choose one of: \(names.joined(separator: ", ")), or a formula like f(x,y) = x^2 + 5*y^2",
                at: TextSpan(column: 1))
        }
        let name = first.text.lowercased().replacingOccurrences(of: "_", with: "-")
        guard names.contains(name) else {
            if first.text.contains("(") || first.text.contains("^") || first.text.contains("*") {
                return .formula(try Formula(trimmed))
            }
            let hint = didYouMean(name, in: names).map { "did you mean '\($0)'? " } ?? ""
            throw CoreError(
                "unknown objective '\(first.text)'; \(hint)choose one of: \(names.joined(separator: ", ")), or a formula like f(x,y) = x^2 + 5*y^2",
                at: first.span)
        }
        var values: [String: (String, SpecToken)] = [:]
        let valid = parameterNames(of: name)
        for token in tokens.dropFirst() {
            let parts = token.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts.count == 2 ? String(parts[0]) : ""
            let canonical =
                valid.first(where: { $0 == key }) ?? valid.first(where: { $0.lowercased() == key.lowercased() })
                ?? (key == "coefficients" && name == "quadratic" ? "c" : nil)
            guard parts.count == 2, let canonical else {
                let list = valid.isEmpty ? "\(name) takes no parameters" : "valid: \(valid.joined(separator: ", "))"
                let hint = didYouMean(key, in: valid).map { "did you mean '\($0)'? " } ?? ""
                throw CoreError("unexpected '\(token.text)' for \(name); \(hint)\(list)", at: token.span)
            }
            values[canonical] = (String(parts[1]), token)
        }
        func number(_ key: String, _ fallback: Double) throws -> Double {
            guard let (text, token) = values[key] else { return fallback }
            guard let x = parseNumber(text), x.isFinite else {
                throw CoreError("\(key) needs a number, got '\(text)'", at: token.span)
            }
            return x
        }
        let base = try named(name, first: first, values: values, number: number, readFile: readFile)
        return try withNoise(base, values: values, number: number)
    }

    /// The objective `name` with its own parameters from `values`.
    private static func named(
        _ name: String, first: SpecToken, values: [String: (String, SpecToken)],
        number: (String, Double) throws -> Double, readFile: (String) throws -> String
    ) throws -> Objective {
        switch name {
        case "sphere": return .sphere
        case "quadratic":
            guard let (text, token) = values["c"] else { return .quadratic(coefficients: [1, 5]) }
            guard let c = parseVector(text), c.allSatisfy(\.isFinite) else {
                throw CoreError("c needs numbers separated by commas, e.g. c=1,5", at: token.span)
            }
            return .quadratic(coefficients: c)
        case "rosenbrock": return .rosenbrock(a: try number("a", 1), b: try number("b", 100))
        case "rastrigin": return .rastrigin(A: try number("A", 10))
        case "ackley": return .ackley
        case "beale": return .beale
        case "himmelblau": return .himmelblau
        case "gaussian-mixture": return .gaussianMixture
        case "network": return .network(try network(first: first, values: values, readFile: readFile))
        default:
            guard let (path, token) = values["file"], !path.isEmpty else {
                throw CoreError(
                    "linear-regression needs a data file: linear-regression file=data.csv (rows of x₁,…,xₖ,y)",
                    at: first.span)
            }
            let csv = try readData(path, at: token, readFile: readFile)
            return .linearRegression(try RegressionData(csv: csv, source: path))
        }
    }

    /// `base`, its gradient sampled as `noise=σ`, `batch=B`, `sparse=k` and `seed=N` say (itself without them).
    private static func withNoise(
        _ base: Objective, values: [String: (String, SpecToken)], number: (String, Double) throws -> Double
    ) throws -> Objective {
        func count(_ key: String, from low: Int) throws -> Int? {
            guard let (text, token) = values[key] else { return nil }
            guard let k = Int(text), k >= low else {
                throw CoreError("\(key) needs a whole number of at least \(low), got '\(text)'", at: token.span)
            }
            return k
        }
        var noise = GradientNoise(sigma: try number("noise", 0))
        if noise.sigma < 0, let (text, token) = values["noise"] {
            throw CoreError("noise is a standard deviation, at least 0; got '\(text)'", at: token.span)
        }
        noise.sparseEvery = try count("sparse", from: 1)
        if let batch = try count("batch", from: 1) {
            let rows: Int
            switch base {
            case .linearRegression(let data): rows = data.targets.count
            case .network(let net): rows = net.data.labels.count
            default: rows = 0
            }
            noise.batch = batch < rows ? batch : nil
        }
        if let (text, token) = values["seed"] {
            guard let seed = UInt64(text) else {
                throw CoreError("seed needs a whole number from 0 to 2⁶⁴ − 1, got '\(text)'", at: token.span)
            }
            noise.seed = seed
        }
        let sampled = noise.sigma != 0 || noise.batch != nil || noise.sparseEvery != nil
        // A network's seed also draws its generated data.
        var isNetwork = false
        if case .network = base { isNetwork = true }
        if !noise.draws, !isNetwork, let (_, token) = values["seed"] {
            throw CoreError("seed has nothing to draw: add noise=σ or batch=B (sparse=k draws nothing)", at: token.span)
        }
        return sampled ? .stochastic(base, noise) : base
    }

    private static func looksLikeFormula(_ text: String) -> Bool {
        guard let eq = text.firstIndex(of: "=") else { return false }
        let head = text[..<eq].trimmingCharacters(in: .whitespaces)
        return head.hasSuffix(")") && head.contains("(")
    }

    /// Checks that a starting point fits this objective.
    public func validate(start: [Double]) throws {
        if let n = dimension, n != start.count {
            throw CoreError("\(description) has \(n) coordinate\(n == 1 ? "" : "s"), but the start has \(start.count)")
        }
        if start.isEmpty { throw CoreError("the start needs at least one coordinate") }
    }

}

extension Objective {
    /// A data file's text; a file that cannot be read is an error at the `file=` token, saying why.
    static func readData(_ path: String, at token: SpecToken, readFile: (String) throws -> String) throws -> String {
        do { return try readFile(path) } catch {
            let reason = (error as? FileProblem)?.reason ?? (error as? CoreError)?.message ?? "it could not be read"
            throw CoreError("cannot read '\(path)': \(reason)", at: token.span)
        }
    }

    /// `network layers=IN,…,OUT [act=relu|sigmoid|tanh] [file=PATH | rows=N] [seed=S] [init=K]`.
    static func network(
        first: SpecToken, values: [String: (String, SpecToken)], readFile: (String) throws -> String
    ) throws -> Network {
        guard let (text, token) = values["layers"] else {
            throw CoreError(
                "network needs its layer sizes: network layers=2,16,1 (inputs, hidden…, outputs)", at: first.span)
        }
        let sizes = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0) }
        guard sizes.count >= 2, sizes.count <= 33, sizes.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 4096 }) else {
            throw CoreError(
                "layers needs from 2 to 33 whole numbers from 1 to 4096, e.g. layers=2,16,1", at: token.span)
        }
        let shape = sizes.map { $0! }
        var activation = Activation.relu
        if let (name, t) = values["act"] {
            guard let a = Activation(rawValue: name.lowercased()) else {
                throw CoreError("act is relu, sigmoid or tanh, got '\(name)'", at: t.span)
            }
            activation = a
        }
        func whole(_ key: String, _ fallback: UInt64, range: ClosedRange<UInt64>) throws -> UInt64 {
            guard let (text, t) = values[key] else { return fallback }
            guard let n = UInt64(text), range.contains(n) else {
                throw CoreError(
                    "\(key) needs a whole number from \(range.lowerBound) to \(range.upperBound)", at: t.span)
            }
            return n
        }
        let initSeed = try whole("init", 0, range: 0...UInt64.max)
        let data: ClassificationData
        if let (path, t) = values["file"] {
            if let (_, r) = values["rows"] {
                throw CoreError("rows= generates data; a network with file= reads its rows from the file", at: r.span)
            }
            let csv = try readData(path, at: t, readFile: readFile)
            data = try ClassificationData(csv: csv, source: path, classes: shape.last!)
            if let width = data.features.first?.count, width != shape[0] {
                throw CoreError(
                    "\(path) has \(width) feature column\(width == 1 ? "" : "s") but the network \(shape[0]) input\(shape[0] == 1 ? "" : "s")",
                    at: token.span)
            }
        } else {
            let rows = Int(try whole("rows", 200, range: 1...100_000))
            // The rows are held in memory twice (as rows and as one block): at most 10⁷ numbers.
            if rows * shape[0] > 10_000_000, let (_, r) = values["rows"] {
                throw CoreError(
                    "\(rows) rows of \(shape[0]) inputs is \(rows * shape[0]) numbers; at most 10⁷", at: r.span)
            }
            if shape.last! > 1, shape[0] < shape.last! {
                throw CoreError(
                    "generated data labels a row by its largest of the first \(shape.last!) features: give as many inputs",
                    at: token.span)
            }
            data = .generated(
                rows: rows, inputs: shape[0], classes: shape.last!, seed: try whole("seed", 0, range: 0...UInt64.max))
        }
        let weights = (0..<(shape.count - 1)).reduce(0) { $0 + shape[$1 + 1] * (shape[$1] + 1) }
        guard weights <= 1_000_000 else {
            throw CoreError("that network has \(weights) weights; at most 10⁶", at: token.span)
        }
        // One step touches every weight once per row: beyond this a single step takes seconds.
        let rows = data.labels.count
        guard rows * weights <= 200_000_000 else {
            throw CoreError(
                "\(rows) rows times \(weights) weights is \(rows * weights) per step; at most 2·10⁸ (fewer rows, or batch=B on a smaller network)",
                at: token.span)
        }
        return Network(sizes: shape, activation: activation, data: data, initSeed: initSeed)
    }
}
