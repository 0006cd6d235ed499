// Each objective's value and exact gradient, in the order of operations PyTorch's autograd takes.

import RealModule

extension Objective {

    /// f(w).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func value<T: Scalar>(_ w: [T]) -> T {
        var g = [T](repeating: 0, count: w.count)
        return w.withUnsafeBufferPointer { wp in
            g.withUnsafeMutableBufferPointer { evaluate(wp, gradient: $0, wantGradient: false) }
        }
    }

    /// f(w) and ∇f(w) together.
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueAndGradient<T: Scalar>(_ w: [T]) -> (T, [T]) {
        var g = [T](repeating: 0, count: w.count)
        let f = w.withUnsafeBufferPointer { wp in
            g.withUnsafeMutableBufferPointer { evaluate(wp, gradient: $0, wantGradient: true) }
        }
        return (f, g)
    }

    /// f(w) and the gradient an optimizer sees at step `t` (counting from 1): ∇f(w) itself, or for a
    /// stochastic objective the sampled gradient of that step (f stays the full objective's value).
    @_specialize(where T == Double)
    @_specialize(where T == Float)
    public func valueAndGradient<T: Scalar>(_ w: [T], step t: Int) -> (T, [T]) {
        var g = [T](repeating: 0, count: w.count)
        let f = w.withUnsafeBufferPointer { wp in
            g.withUnsafeMutableBufferPointer { evaluate(wp, gradient: $0, step: t) }
        }
        return (f, g)
    }

    /// f(w) and, into `g`, the gradient seen at step `t` (see `valueAndGradient(_:step:)`).
    @inline(__always)
    func evaluate<T: Scalar>(_ w: UnsafeBufferPointer<T>, gradient g: UnsafeMutableBufferPointer<T>, step t: Int) -> T {
        guard case .stochastic(let base, let noise) = self else { return evaluate(w, gradient: g, wantGradient: true) }
        let f: T
        if noise.batch != nil, case .network(let net) = base {
            f = net.evaluate(w, gradient: g, wantGradient: false)
            let rows = noise.batchIndices(step: t, rows: net.data.labels.count)
            _ = net.evaluate(w, gradient: g, wantGradient: true, rows: rows)
        } else if noise.batch != nil, case .linearRegression(let data) = base {
            // The loss of every row; the gradient of this step's rows only.
            f = base.evaluate(w, gradient: g, wantGradient: false)
            var batch = data
            let rows = noise.batchIndices(step: t, rows: data.targets.count)
            batch.features = rows.map { data.features[$0] }
            batch.targets = rows.map { data.targets[$0] }
            _ = Objective.linearRegression(batch).evaluate(w, gradient: g, wantGradient: true)
        } else {
            f = base.evaluate(w, gradient: g, wantGradient: true)
        }
        noise.perturb(g, step: t)
        return f
    }

    /// Gradients follow the order of operations of reverse-mode differentiation of the definition,
    /// so they agree with PyTorch autograd to rounding.
    @inline(__always)
    func evaluate<T: Scalar>(_ w: UnsafeBufferPointer<T>, gradient g: UnsafeMutableBufferPointer<T>, wantGradient: Bool)
        -> T
    {
        let n = w.count
        switch self {
        case .sphere:
            // One pass: each term's gradient is written as the sum takes the term (once per coordinate).
            guard wantGradient else { return torchSum(count: n) { w[$0] * w[$0] } }
            return torchSum(count: n) { i in
                g[i] = 2 * w[i]
                return w[i] * w[i]
            }
        case .quadratic(let cs):
            let one = cs.count == 1 ? T(cs[0]) : 0
            @inline(__always) func c(_ i: Int) -> T { cs.count == 1 ? one : T(cs[i]) }
            if wantGradient { for i in 0..<n { g[i] = c(i) * (2 * w[i]) } }
            return torchSum(count: n) { c($0) * (w[$0] * w[$0]) }
        case .rosenbrock(let a0, let b0):
            let a = T(a0), b = T(b0)
            let x = w[0], y = w[1]
            let t1 = a - x, t2 = y - x * x
            if wantGradient {
                let p = b * (2 * t2)
                g[0] = -(2 * t1) + -p * (2 * x)
                g[1] = p
            }
            return t1 * t1 + b * (t2 * t2)
        case .rastrigin(let a0):
            // A·n + (w**2 − A·cos(2π·w)).sum(): the sum first, as autograd's graph adds it.
            let A = T(a0)
            let twoPi = 2 * T.pi
            if wantGradient { for i in 0..<n { g[i] = 2 * w[i] + A * T.sin(twoPi * w[i]) * twoPi } }
            return A * T(n) + torchSum(count: n) { w[$0] * w[$0] - A * T.cos(twoPi * w[$0]) }
        case .ackley:
            let nn = T(n)
            let twoPi = 2 * T.pi
            let sq = torchSum(count: n) { w[$0] * w[$0] }
            let cs = torchSum(count: n) { T.cos(twoPi * w[$0]) }
            let r = T.sqrt(sq / nn)
            let e1 = T.exp(-0.2 * r)
            let e2 = T.exp(cs / nn)
            if wantGradient {
                // Reverse mode over −20·exp(−0.2·√mean(w·w)) − exp(mean(cos 2πw)): the w·w factor contributes
                // twice, accumulated after the cosine term (PyTorch autograd's order, bit for bit).
                // At the origin the first term is a cone; its gradient there is taken as 0 (a subgradient).
                let a: T = r == 0 ? 0 : ((-20 * e1) * -0.2) / (2 * r) / nn
                for i in 0..<n {
                    let t1 = a * w[i]
                    let t2 = ((-e2 / nn) * -T.sin(twoPi * w[i])) * twoPi
                    g[i] = (t2 + t1) + t1
                }
            }
            return -20 * e1 - e2 + T.exp(1) + 20
        case .beale:
            let x = w[0], y = w[1]
            let y2 = y * y, y3 = y2 * y
            let a = 1.5 - x + x * y, b = 2.25 - x + x * y2, c = 2.625 - x + x * y3
            if wantGradient {
                // Autograd's order for (1.5 − x + x·y)² + (2.25 − x + x·y**2)² + (2.625 − x + x·y**3)²: each
                // use of x and y is its own term, the last square's first; pow's backward is (grad·x)·(k·yᵏ⁻¹).
                let da = 2 * a, db = 2 * b, dc = 2 * c
                g[0] = ((((dc * y3 - dc) + db * y2) - db) + da * y) - da
                g[1] = ((dc * x) * (3 * y2) + (db * x) * (2 * y)) + da * x
            }
            return a * a + b * b + c * c
        case .himmelblau:
            let x = w[0], y = w[1]
            let a = x * x + y - 11, b = x + y * y - 7
            if wantGradient {
                g[0] = 2 * a * (2 * x) + 2 * b
                g[1] = 2 * a + 2 * b * (2 * y)
            }
            return a * a + b * b
        case .gaussianMixture:
            // Σ⁻¹ of [[1, .5], [.5, 1]] is (4/3)·[[1, −.5], [−.5, 1]]; det Σ = 3/4.
            let norm = 1 / (2 * T.pi * T.sqrt(0.75))
            // f − 0.25·(norm·exp(−(dx·sx + dy·sy)/2)) for each mean in turn, differentiated as autograd does:
            // each mean's terms in the order its backward pass meets them, the last mean's first.
            let means: [(Double, Double)] = [(-2, -2), (2, 2), (-2, 2), (2, -2)]
            return withUnsafeTemporaryAllocation(of: T.self, capacity: 2 * means.count) { parts in
                var f: T = 0
                for (k, (mx, my)) in means.enumerated() {
                    let dx = w[0] - T(mx), dy = w[1] - T(my)
                    let sx = (4 * dx - 2 * dy) / 3, sy = (4 * dy - 2 * dx) / 3
                    let e = T.exp(-(dx * sx + dy * sy) / 2)
                    f = f - 0.25 * (norm * e)
                    guard wantGradient else { continue }
                    let gp = -(((-0.25 * norm) * e) / 2)
                    let gsx = gp * dx, gsy = gp * dy
                    let fromP: T = gp * sx, fromSy: T = -(gsy / 3) * 2, fromSx: T = (gsx / 3) * 4
                    let toP: T = gp * sy, toSy: T = (gsy / 3) * 4, toSx: T = -(gsx / 3) * 2
                    parts[2 * k] = (fromP + fromSy) + fromSx
                    parts[2 * k + 1] = (toP + toSy) + toSx
                }
                if wantGradient {
                    let last = means.count - 1
                    g[0] = parts[2 * last]
                    g[1] = parts[2 * last + 1]
                    for k in stride(from: last - 1, through: 0, by: -1) {
                        g[0] = g[0] + parts[2 * k]
                        g[1] = g[1] + parts[2 * k + 1]
                    }
                }
                return f
            }
        case .linearRegression(let data):
            // ((X @ w[:k] + w[k] − y)**2).mean() as torch computes it: each prediction's products as
            // torch's BLAS (MKL) adds them, then the bias; the mean a torch sum over rows divided by
            // their number; backward (1/rows)·(2·r) per row, the bias's gradient their torch sum, each
            // weight's Σ x·d with one fused multiply-add per row (MKL's Xᵀ @ d).
            let rows = data.targets.count
            let k = n - 1
            return withUnsafeTemporaryAllocation(of: T.self, capacity: rows) { r in
                for row in 0..<rows {
                    let x = data.features[row]
                    var prediction: T
                    if k <= 4 {
                        // Up to four features MKL keeps each product in a lane of four and adds
                        // (lane 0 + lane 2) + (lane 1 + lane 3); beyond that its order is its own.
                        @inline(__always) func p(_ j: Int) -> T { j < k ? w[j] * T(x[j]) : 0 }
                        prediction = (p(0) + p(2)) + (p(1) + p(3))
                    } else {
                        prediction = w[0] * T(x[0])
                        for j in 1..<k { prediction += w[j] * T(x[j]) }
                    }
                    r[row] = (prediction + w[k]) - T(data.targets[row])
                }
                let f = torchSum(count: rows) { r[$0] * r[$0] } / T(rows)
                guard wantGradient else { return f }
                let share = 1 / T(rows)
                for row in 0..<rows { r[row] = share * (2 * r[row]) }
                for j in 0..<k {
                    var sum: T = 0
                    for row in 0..<rows { sum = sum.addingProduct(T(data.features[row][j]), r[row]) }
                    g[j] = sum
                }
                g[k] = torchSum(count: rows) { r[$0] }
                return f
            }
        case .stochastic(let base, _):
            return base.evaluate(w, gradient: g, wantGradient: wantGradient)
        case .network(let net):
            return net.evaluate(w, gradient: g, wantGradient: wantGradient)
        case .formula(let formula):
            var gradient = [T](repeating: 0, count: n)
            let f = formula.evaluate(Array(w), gradient: &gradient, wantGradient: wantGradient)
            if wantGradient { for i in 0..<n { g[i] = gradient[i] } }
            return f
        }
    }
}
