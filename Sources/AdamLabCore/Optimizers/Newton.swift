// Newton's method and the natural gradient: a step along −M⁻¹g, M made from the objective's Hessian.

/// What a second-order step saw of the curvature and did about it.
public struct CurvatureRecord<T: Scalar>: Sendable, Equatable {
    /// The matrix the step solved with (Newton: H, with any fix; natural gradient: the metric G),
    /// row by row; empty for L-BFGS, which keeps no matrix.
    public var matrix: [T] = []
    /// ∇²f at θₜ₋₁, row by row (Newton and natural gradient).
    public var hessian: [T] = []
    /// H's eigenvalues, smallest first.
    public var eigenvalues: [T] = []
    public var definiteness: Definiteness?
    /// What was done where H is not positive definite.
    public var remedy: CurvatureRemedy = .none
    /// L-BFGS: its memory after the step, oldest pair first, and the scale γ = sᵀy/yᵀy of H₀ = γI.
    public var pairs: [CurvaturePair<T>] = []
    public var initialScale: T?
    /// L-BFGS: iterations this step took, function evaluations they cost, and why it stopped.
    public var iterations = 0
    public var evaluations = 0
    public var stop: LBFGSStop?

    public init() {}

    public var inDouble: CurvatureRecord<Double> {
        var r = CurvatureRecord<Double>()
        r.matrix = matrix.map(\.double)
        r.hessian = hessian.map(\.double)
        r.eigenvalues = eigenvalues.map(\.double)
        r.definiteness = definiteness
        r.remedy = remedy
        r.pairs = pairs.map { CurvaturePair(s: $0.s.map(\.double), y: $0.y.map(\.double), rho: $0.rho.double) }
        r.initialScale = initialScale?.double
        (r.iterations, r.evaluations, r.stop) = (iterations, evaluations, stop)
        return r
    }
}

/// What a second-order step did about a Hessian that is not positive definite.
public enum CurvatureRemedy: String, Sendable, Equatable {
    /// Nothing: solved with H as it is (a Newton step then heads for the saddle or maximum of the model).
    case none
    /// Solved with |H| = V|Λ|Vᵀ, each eigenvalue's sign dropped (`fix=abs`; the natural gradient's metric).
    case absolute
}

/// One L-BFGS memory pair: a step s = θₖ₊₁ − θₖ, the change in gradient y = gₖ₊₁ − gₖ, and ρ = 1/(yᵀs).
public struct CurvaturePair<T: Scalar>: Sendable, Equatable {
    public var s: [T]
    public var y: [T]
    public var rho: T
}

/// A second-order step that cannot be taken: the run stops before it, θ unchanged.
public struct CurvatureFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var t: Int
    public var definiteness: Definiteness
    public var eigenvalues: [Double]
    /// The optimizer's name and the setting that would let it go on.
    public var optimizer: String
    public var advice: String

    public var description: String {
        let values = eigenvalues.map { significantDigits($0, 6) }.joined(separator: ", ")
        let what: String
        switch definiteness {
        case .notFinite: what = "the Hessian is not finite here (f is not twice differentiable at θ)"
        case .singular: what = "the Hessian is singular here (eigenvalues \(values)): H·d = −g has no unique solution"
        case .indefinite, .negativeDefinite, .positiveDefinite:
            what = "solving with the Hessian (eigenvalues \(values)) gave no finite step"
        }
        return "\(optimizer) cannot take step \(t): \(what). \(advice)"
    }
}

/// Newton (`newton`: d = −H⁻¹g, θ += lr·d) and the natural gradient (`natural`: d = −G⁻¹g with the metric G).
enum CurvatureRule<T: Scalar> {
    static func step(
        _ h: Hyperparameters, kind: OptimizerKind, t: Int, theta: [T], loss: T, gradient g: [T], objective: Objective
    ) throws -> StepRecord<T> {
        let n = theta.count
        var record = StepRecord<T>(t: t)
        var curvature = CurvatureRecord<T>()
        record.scalars[.loss] = loss
        record.vectors[.theta] = theta
        record.vectors[.g] = g
        let damping = T(h.damping)
        let identityMetric = kind == .natural && h.metric == "identity"
        var d: [T]
        if identityMetric {
            var eye = [T](repeating: 0, count: n * n)
            for i in 0..<n { eye[i * n + i] = 1 }
            curvature.matrix = eye
            d = g
        } else {
            guard let hessian = objective.hessian(theta) else {
                throw CoreError(
                    "\(kind.rawValue) needs f's Hessian, and \(objective.description) has none (lbfgs needs only gradients)"
                )
            }
            let H = SymmetricMatrix(n: n, entries: hessian)
            let (values, vectors) = H.eigen()
            let shifted = values.map { $0 + damping }
            let status = SymmetricMatrix<T>.definiteness(of: shifted)
            curvature.hessian = hessian
            curvature.eigenvalues = values
            curvature.definiteness = SymmetricMatrix<T>.definiteness(of: values)
            var M = H
            for i in 0..<n { M[i, i] += damping }
            let absolute = status != .positiveDefinite && (kind == .natural || h.fix == "abs")
            if absolute {
                curvature.remedy = .absolute
                M.entries = SymmetricMatrix<T>.rebuilt(values, vectors) { abs($0) + damping }
            }
            curvature.matrix = M.entries
            func failure(_ s: Definiteness) -> CurvatureFailure {
                // A singular H stays singular under |H|: only damping helps. Where H is not finite, nothing does.
                let advice =
                    s == .notFinite
                    ? "Try another start"
                    : kind == .natural
                        ? "A metric must be positive definite: add damping=, e.g. damping=1e-3"
                        : "Add damping=, e.g. damping=1e-3, to solve with \(h.fix == "abs" ? "|H|" : "H") + damping·I"
                return CurvatureFailure(
                    t: t, definiteness: s, eigenvalues: values.map(\.double), optimizer: kind.rawValue, advice: advice)
            }
            if g.allSatisfy({ $0 == 0 }) {
                // A stationary point: every method's direction is 0, whatever the curvature.
                d = g
            } else if kind == .natural && !h.solve {
                // Seed 003's slip: the metric multiplies the gradient instead of being solved with.
                d = M.times(g)
            } else if absolute {
                let sizes = values.map { abs($0) + damping }
                guard SymmetricMatrix<T>.definiteness(of: sizes) == .positiveDefinite else { throw failure(status) }
                d = SymmetricMatrix<T>.applying(values, vectors, { 1 / (abs($0) + damping) }, to: g)
            } else {
                guard status != .singular, status != .notFinite else { throw failure(status) }
                // A solve that overflows is a divergence, which the run names as it names any other.
                d = M.solve(g) ?? Array(repeating: .nan, count: n)
            }
        }
        // d is the direction moved along, as L-BFGS's: −H⁻¹g (−G⁻¹g), and θₜ = θₜ₋₁ + lr·d.
        let lr = T(h.lr)
        d = d.map { -$0 }
        let next = (0..<n).map { theta[$0] + lr * d[$0] }
        record.vectors[.direction] = d
        record.vectors[.update] = (0..<n).map { next[$0] - theta[$0] }
        record.vectors[.thetaNext] = next
        record.scalars[.stepLength] = lr
        record.curvature = curvature
        return record
    }
}
