// Small dense symmetric matrices (a Hessian, a metric): eigenvalues and solving, for second-order steps.

/// What a symmetric matrix's eigenvalues say about solving with it.
public enum Definiteness: String, Sendable, Equatable, Codable {
    /// Every eigenvalue positive: a minimum's curvature, and a metric.
    case positiveDefinite
    /// Some eigenvalues negative, some positive (none zero): the quadratic model has a saddle.
    case indefinite
    /// Every eigenvalue negative: the quadratic model is an upside-down bowl, with a maximum.
    case negativeDefinite
    /// An eigenvalue zero, to the matrix's precision: there is no unique solution.
    case singular
    /// An entry is NaN or infinite (the function is not twice differentiable there).
    case notFinite
}

/// A symmetric n×n matrix, row by row.
struct SymmetricMatrix<T: Scalar> {
    let n: Int
    var entries: [T]

    init(n: Int, entries: [T]) {
        self.n = n
        self.entries = entries
    }

    subscript(i: Int, j: Int) -> T {
        get { entries[i * n + j] }
        set { entries[i * n + j] = newValue }
    }

    /// Eigenvalues (ascending) and eigenvectors (column k of `vectors` belongs to value k), by cyclic
    /// Jacobi rotations: slow for large n, accurate to a few units in the last place of the largest.
    func eigen() -> (values: [T], vectors: [T]) {
        var a = entries
        var v = [T](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        for _ in 0..<100 {
            var off: T = 0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
            if off == 0 || !off.isFinite { break }
            var scale: T = 0
            for i in 0..<n { scale += a[i * n + i] * a[i * n + i] }
            if off <= scale * T.ulpOfOne * T.ulpOfOne { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p * n + q] != 0 {
                    let apq = a[p * n + q]
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k * n + p], vkq = v[k * n + q]
                        v[k * n + p] = c * vkp - s * vkq
                        v[k * n + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] < a[$1 * n + $1] }
        let values = order.map { a[$0 * n + $0] }
        var vectors = [T](repeating: 0, count: n * n)
        for (k, column) in order.enumerated() { for i in 0..<n { vectors[i * n + k] = v[i * n + column] } }
        return (values, vectors)
    }

    /// What the eigenvalues say: singular when the smallest in size is below n·ε times the largest.
    static func definiteness(of values: [T]) -> Definiteness {
        guard values.allSatisfy(\.isFinite) else { return .notFinite }
        let largest = values.map { abs($0) }.max() ?? 0
        let smallest = values.map { abs($0) }.min() ?? 0
        if largest == 0 || smallest <= T(values.count) * T.ulpOfOne * largest { return .singular }
        if values.allSatisfy({ $0 < 0 }) { return .negativeDefinite }
        return values.contains { $0 < 0 } ? .indefinite : .positiveDefinite
    }

    /// x with A·x = b, by Gaussian elimination with partial pivoting (as LAPACK's getrf and getrs,
    /// which torch.linalg.solve calls). Nil when a pivot is zero or the result is not finite.
    func solve(_ b: [T]) -> [T]? {
        var a = entries, x = b
        var perm = Array(0..<n)
        for k in 0..<n {
            var p = k
            for i in (k + 1)..<n where abs(a[i * n + k]) > abs(a[p * n + k]) { p = i }
            guard a[p * n + k] != 0 else { return nil }
            if p != k {
                for j in 0..<n { a.swapAt(k * n + j, p * n + j) }
                perm.swapAt(k, p)
                x.swapAt(k, p)
            }
            for i in (k + 1)..<n {
                let l = a[i * n + k] / a[k * n + k]
                a[i * n + k] = l
                for j in (k + 1)..<n { a[i * n + j] -= l * a[k * n + j] }
                x[i] -= l * x[k]
            }
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[i]
            for j in (i + 1)..<n { sum -= a[i * n + j] * x[j] }
            x[i] = sum / a[i * n + i]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// f(A)·b through the eigen-decomposition: Σₖ vₖ f(λₖ) (vₖ·b).
    static func applying(_ values: [T], _ vectors: [T], _ f: (T) -> T, to b: [T]) -> [T] {
        let n = values.count
        var out = [T](repeating: 0, count: n)
        for k in 0..<n {
            var dot: T = 0
            for i in 0..<n { dot += vectors[i * n + k] * b[i] }
            let scaled = f(values[k]) * dot
            for i in 0..<n { out[i] += vectors[i * n + k] * scaled }
        }
        return out
    }

    /// V·diag(f(λ))·Vᵀ.
    static func rebuilt(_ values: [T], _ vectors: [T], _ f: (T) -> T) -> [T] {
        let n = values.count
        var out = [T](repeating: 0, count: n * n)
        for k in 0..<n {
            let fk = f(values[k])
            for i in 0..<n { for j in 0..<n { out[i * n + j] += vectors[i * n + k] * fk * vectors[j * n + k] } }
        }
        return out
    }

    /// A·b.
    func times(_ b: [T]) -> [T] {
        (0..<n).map { i in (0..<n).reduce(0) { $0 + entries[i * n + $1] * b[$1] } }
    }
}
