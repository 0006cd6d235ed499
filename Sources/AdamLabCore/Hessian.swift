// Each objective's exact Hessian ∇²f, for Newton's method and the natural gradient.

import RealModule

extension Objective {
    /// Whether this objective has a Hessian (a network's is not written out).
    public var hasHessian: Bool {
        switch exact {
        case .network: return false
        default: return true
        }
    }

    /// ∇²f(w) as n·n numbers, row by row, or nil when the objective has none (`hasHessian`). A stochastic
    /// objective's is its exact base's: the curvature of the whole objective, not of a sampled gradient.
    /// Where f is not twice differentiable (Ackley at the origin) the entries are not finite.
    public func hessian<T: Scalar>(_ w: [T]) -> [T]? {
        let n = w.count
        var h = [T](repeating: 0, count: n * n)
        func diagonal(_ value: (Int) -> T) {
            for i in 0..<n { h[i * n + i] = value(i) }
        }
        switch self {
        case .stochastic(let base, _): return base.hessian(w)
        case .network: return nil
        case .sphere: diagonal { _ in 2 }
        case .quadratic(let c): diagonal { 2 * T(c.count == 1 ? c[0] : c[$0]) }
        case .rastrigin(let a):
            let fourPiSquared = 4 * T.pi * T.pi * T(a)
            diagonal { 2 + fourPiSquared * T.cos(2 * T.pi * w[$0]) }
        case .rosenbrock(_, let b0):
            let b = T(b0), x = w[0], y = w[1]
            h = [2 - 4 * b * (y - x * x) + 8 * b * x * x, -4 * b * x, -4 * b * x, 2 * b]
        case .beale:
            // f = Σₖ rₖ², rₖ = cₖ − x + x·yᵏ: H = 2 Σₖ (∇rₖ ∇rₖᵀ + rₖ ∇²rₖ).
            let x = w[0], y = w[1]
            let c: [T] = [1.5, 2.25, 2.625]
            for k in 1...3 {
                let yk = T.pow(y, k), yk1 = T.pow(y, k - 1)
                let r = c[k - 1] - x + x * yk
                let rx = yk - 1, ry = T(k) * x * yk1
                let rxy = T(k) * yk1, ryy = k >= 2 ? T(k * (k - 1)) * x * T.pow(y, k - 2) : 0
                h[0] += 2 * rx * rx
                h[1] += 2 * (rx * ry + r * rxy)
                h[3] += 2 * (ry * ry + r * ryy)
            }
            h[2] = h[1]
        case .himmelblau:
            let x = w[0], y = w[1]
            let r1 = x * x + y - 11, r2 = x + y * y - 7
            h = [2 * (4 * x * x + 1) + 4 * r1, 2 * (2 * x + 2 * y), 2 * (2 * x + 2 * y), 2 * (1 + 4 * y * y) + 4 * r2]
        case .ackley: h = Objective.ackleyHessian(w)
        case .gaussianMixture:
            // f = −Σₖ Nₖ with Nₖ = ¼·𝒩(w; μₖ, Σ): H = Σₖ Nₖ (Σ⁻¹ − sₖsₖᵀ), sₖ = Σ⁻¹(w − μₖ).
            let norm = 1 / (2 * T.pi * T.sqrt(0.75))
            for (mx, my) in [(-2.0, -2.0), (2.0, 2.0), (-2.0, 2.0), (2.0, -2.0)] {
                let dx = w[0] - T(mx), dy = w[1] - T(my)
                let sx = (4 * dx - 2 * dy) / 3, sy = (4 * dy - 2 * dx) / 3
                let nk = 0.25 * (norm * T.exp(-(dx * sx + dy * sy) / 2))
                h[0] += nk * (T(4) / 3 - sx * sx)
                h[1] += nk * (T(-2) / 3 - sx * sy)
                h[3] += nk * (T(4) / 3 - sy * sy)
            }
            h[2] = h[1]
        case .linearRegression(let data):
            // f = mean((X̃w − y)²) with X̃ = [X, 1]: H = (2/rows) X̃ᵀX̃.
            let rows = data.targets.count
            for row in 0..<rows {
                let x = data.features[row].map { T($0) } + [1]
                for i in 0..<n { for j in i..<n { h[i * n + j] += x[i] * x[j] } }
            }
            for i in 0..<n {
                for j in i..<n {
                    h[i * n + j] = 2 * h[i * n + j] / T(rows)
                    h[j * n + i] = h[i * n + j]
                }
            }
        case .formula(let f): h = f.hessian(w)
        }
        return h
    }

    /// Ackley's Hessian, from f = −20·e^(−0.2r) − e^(C/n) + e + 20 with r = √(Σw²/n), C = Σ cos 2πwᵢ:
    /// (4/n)·e^(−0.2r)·(δᵢⱼ/r − wᵢwⱼ(0.2/r + 1/r²)/(n·r)) + (4π²/n)·e^(C/n)·(δᵢⱼ cos 2πwᵢ − sin 2πwᵢ sin 2πwⱼ/n).
    /// Not finite at the origin, where r = 0 (f has a cone's point there).
    static func ackleyHessian<T: Scalar>(_ w: [T]) -> [T] {
        let n = w.count, nn = T(n)
        let r = T.sqrt(w.reduce(0) { $0 + $1 * $1 } / nn)
        let sines = w.map { T.sin(2 * T.pi * $0) }, cosines = w.map { T.cos(2 * T.pi * $0) }
        let e1 = T.exp(-0.2 * r), e2 = T.exp(cosines.reduce(0, +) / nn)
        var h = [T](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let delta: T = i == j ? 1 : 0
                let radial: T = (0.2 / r + 1 / (r * r)) / (nn * r)
                let coneScale: T = 4 / nn * e1
                let cone: T = coneScale * (delta / r - w[i] * w[j] * radial)
                let rippleScale: T = 4 * T.pi * T.pi / nn * e2
                let ripples: T = rippleScale * (delta * cosines[i] - sines[i] * sines[j] / nn)
                h[i * n + j] = cone + ripples
            }
        }
        return h
    }
}

extension Formula {
    /// ∇²f(w) by forward-over-reverse differentiation of the tape: for each coordinate j, the forward
    /// pass carries each node's derivative along eⱼ, and the reverse pass the derivative of each adjoint
    /// along eⱼ, which for the variables is column j of the Hessian.
    func hessian<T: Scalar>(_ w: [T]) -> [T] {
        let n = variables.count, count = tape.count
        let value = values(w)
        var h = [T](repeating: 0, count: n * n)
        for j in 0..<n {
            var tangent = [T](repeating: 0, count: count)
            for (k, node) in tape.enumerated() {
                tangent[k] = derivative(of: node, value: value, tangent: tangent, k: k, direction: j)
            }
            var adjoint = [T](repeating: 0, count: count), adjointTangent = [T](repeating: 0, count: count)
            adjoint[count - 1] = 1
            for k in stride(from: count - 1, through: 0, by: -1) {
                let (a, at) = (adjoint[k], adjointTangent[k])
                for (operand, p, pDot) in partials(of: tape[k], value: value, tangent: tangent, k: k) {
                    adjoint[operand] += a * p
                    adjointTangent[operand] += at * p + a * pDot
                }
                if case .variable(let i) = tape[k] { h[i * n + j] += at }
            }
        }
        return h
    }

    /// A node's derivative along the coordinate `direction`, from its operands' values and derivatives.
    private func derivative<T: Scalar>(of node: Node, value: [T], tangent: [T], k: Int, direction: Int) -> T {
        if case .variable(let i) = node { return i == direction ? 1 : 0 }
        return partials(of: node, value: value, tangent: tangent, k: k).reduce(0) { $0 + $1.1 * tangent[$1.0] }
    }

    /// For each operand of node `k`: the operand, ∂node/∂operand, and that partial's derivative along the
    /// direction the tangents are taken in.
    private func partials<T: Scalar>(of node: Node, value v: [T], tangent d: [T], k: Int) -> [(Int, T, T)] {
        switch node {
        case .constant, .variable: return []
        case .negate(let a): return [(a, -1, 0)]
        case .add(let a, let b): return [(a, 1, 0), (b, 1, 0)]
        case .subtract(let a, let b): return [(a, 1, 0), (b, -1, 0)]
        case .multiply(let a, let b): return [(a, v[b], d[b]), (b, v[a], d[a])]
        case .divide(let a, let b):
            // ∂/∂a = 1/b, ∂/∂b = −a/b².
            let inv = 1 / v[b]
            return [
                (a, inv, -d[b] * inv * inv),
                (b, -v[a] * inv * inv, -d[a] * inv * inv + 2 * v[a] * d[b] * inv * inv * inv),
            ]
        case .integerPower(let a, let n):
            let x = v[a]
            let first = T(n) * Formula.power(x, n - 1)
            let second = n == 1 ? 0 : T(n * (n - 1)) * Formula.power(x, n - 2)
            return [(a, first, second * d[a])]
        case .power(let a, let b):
            // v = aᵇ: ∂/∂a = b·aᵇ⁻¹, ∂/∂b = v·ln a (a constant exponent contributes no ln a).
            let x = v[a], y = v[b], value = v[k]
            let pa = y * T.pow(x, y - 1)
            let paa = y * (y - 1) * T.pow(x, y - 2)
            if case .constant = tape[b] { return [(a, pa, paa * d[a])] }
            let lnx = T.log(x)
            let pab = T.pow(x, y - 1) * (1 + y * lnx)
            return [(a, pa, paa * d[a] + pab * d[b]), (b, value * lnx, pab * d[a] + value * lnx * lnx * d[b])]
        case .call(let f, let a):
            let x = v[a], fx = v[k]
            let first: T, second: T
            switch f {
            case .sqrt: (first, second) = (1 / (2 * fx), -1 / (4 * fx * x))
            case .exp: (first, second) = (fx, fx)
            case .log: (first, second) = (1 / x, -1 / (x * x))
            case .sin: (first, second) = (T.cos(x), -fx)
            case .cos: (first, second) = (-T.sin(x), -fx)
            case .tanh: (first, second) = (1 - fx * fx, -2 * fx * (1 - fx * fx))
            case .abs: (first, second) = (x > 0 ? 1 : (x < 0 ? -1 : 0), 0)
            }
            return [(a, first, second * d[a])]
        }
    }
}
