// L-BFGS as torch.optim.LBFGS computes it: the two-loop recursion, its memory, and the strong-Wolfe
// line search, each operation in torch's order (its `add(…, alpha=)` fused, as its CPU kernel fuses it).

/// Why an L-BFGS step ended.
public enum LBFGSStop: String, Sendable, Equatable, Codable {
    /// max|g| ≤ tolerance_grad: at a minimum, as far as the tolerance can tell.
    case optimal
    /// The step's max_iter iterations were taken.
    case maxIter
    /// The step's max_eval function evaluations were spent.
    case maxEval
    /// gᵀd > −tolerance_change: d is no longer a descent direction.
    case noDescent
    /// max|τ·d| ≤ tolerance_change: the step moved θ by nothing worth counting.
    case smallStep
    /// |f − f_prev| < tolerance_change: f stopped changing.
    case smallChange
}

/// What L-BFGS carries from step to step (torch keeps the same in `optimizer.state`).
struct LBFGSMemory<T: Scalar>: Sendable, Equatable {
    var d: [T] = []
    var stepLength: T = 0
    /// y's (torch's `old_dirs`) and s's (`old_stps`), oldest first, and ρ = 1/(yᵀs).
    var ys: [[T]] = []
    var ss: [[T]] = []
    var rho: [T] = []
    var hDiag: T = 1
    var previousGradient: [T]? = nil
    var previousLoss: T? = nil
    /// Iterations and evaluations over the whole run.
    var iterations = 0
    var evaluations = 0
}

enum LBFGSRule<T: Scalar> {
    typealias Evaluate = ([T]) -> (T, [T])

    /// One `optimizer.step(closure)`: up to max_iter iterations from θ. `first` is f and g at θ (the
    /// closure's first call, or a learner's typed gradient).
    static func step(
        _ h: Hyperparameters, memory m: inout LBFGSMemory<T>, t stepNumber: Int, theta: [T], first: (T, [T]),
        evaluate: Evaluate
    ) -> StepRecord<T> {
        let lr = T(h.lr), maxIter = Int(h.maxIter), maxEval = Int(h.maxEval)
        let toleranceGrad = T(h.toleranceGrad), toleranceChange = T(h.toleranceChange)
        let historySize = Int(h.historySize)
        var record = StepRecord<T>(t: stepNumber)
        var curvature = CurvatureRecord<T>()
        var (loss, flatGrad) = first
        record.scalars[.loss] = loss
        record.vectors[.theta] = theta
        record.vectors[.g] = flatGrad
        var x = theta
        var currentEvals = 1
        m.evaluations += 1
        var stop: LBFGSStop?
        var taken = 0
        if maxAbs(flatGrad) <= toleranceGrad {
            stop = .optimal
        } else {
            while taken < maxIter {
                taken += 1
                m.iterations += 1
                if m.iterations == 1 {
                    m.d = flatGrad.map { -$0 }
                    m.ys = []
                    m.ss = []
                    m.rho = []
                    m.hDiag = 1
                } else {
                    let y = zip(flatGrad, m.previousGradient!).map { $0 - $1 }
                    let s = m.d.map { $0 * m.stepLength }
                    let ys = dot(y, s)
                    if ys > 1e-10 {
                        if m.ys.count == historySize {
                            m.ys.removeFirst()
                            m.ss.removeFirst()
                            m.rho.removeFirst()
                        }
                        m.ys.append(y)
                        m.ss.append(s)
                        m.rho.append(1 / ys)
                        m.hDiag = ys / dot(y, y)
                    }
                    m.d = direction(flatGrad, m)
                }
                m.previousGradient = flatGrad
                m.previousLoss = loss
                let previousLoss = loss
                var stepLength: T
                // A tensor when it came from the gradient (torch's min(1.0, 1.0/Σ|g|) keeps the tensor).
                var fromTensor = false
                if m.iterations == 1 {
                    let reciprocal = 1 / torchSum(count: flatGrad.count) { abs(flatGrad[$0]) }
                    fromTensor = reciprocal < 1
                    stepLength = (reciprocal < 1 ? reciprocal : 1) * lr
                } else {
                    stepLength = lr
                }
                let gtd = dot(flatGrad, m.d)
                if gtd > -toleranceChange {
                    m.stepLength = stepLength
                    stop = .noDescent
                    break
                }
                var lineEvals = 0
                var optimal = false
                if h.lineSearch == "strong_wolfe" {
                    let found = strongWolfe(
                        evaluate, x: x, t: Length(x: stepLength, tensor: fromTensor), d: m.d, f: loss, g: flatGrad,
                        gtd: gtd,
                        toleranceChange: toleranceChange, maxLineSearch: maxEval - currentEvals)
                    (loss, flatGrad, stepLength, lineEvals) = (found.f, found.g, found.t, found.evaluations)
                    x = moved(x, stepLength, m.d)
                    optimal = maxAbs(flatGrad) <= toleranceGrad
                } else {
                    x = moved(x, stepLength, m.d)
                    if taken != maxIter {
                        (loss, flatGrad) = evaluate(x)
                        optimal = maxAbs(flatGrad) <= toleranceGrad
                        lineEvals = 1
                    }
                }
                m.stepLength = stepLength
                currentEvals += lineEvals
                m.evaluations += lineEvals
                if taken == maxIter {
                    stop = .maxIter
                    break
                }
                if currentEvals >= maxEval {
                    stop = .maxEval
                    break
                }
                if optimal {
                    stop = .optimal
                    break
                }
                if maxAbs(m.d.map { $0 * stepLength }) <= toleranceChange {
                    stop = .smallStep
                    break
                }
                if abs(loss - previousLoss) < toleranceChange {
                    stop = .smallChange
                    break
                }
            }
        }
        // Already optimal before its first iteration, L-BFGS has no direction yet: nothing moved.
        record.vectors[.direction] = m.d.isEmpty ? theta.map { _ in 0 } : m.d
        record.vectors[.update] = zip(x, theta).map { $0 - $1 }
        record.vectors[.thetaNext] = x
        record.scalars[.stepLength] = m.stepLength
        record.scalars[.evaluations] = T(currentEvals)
        curvature.pairs = (0..<m.ys.count).map { CurvaturePair(s: m.ss[$0], y: m.ys[$0], rho: m.rho[$0]) }
        curvature.initialScale = m.hDiag
        curvature.iterations = taken
        curvature.evaluations = currentEvals
        curvature.stop = stop
        record.curvature = curvature
        return record
    }

    /// The two-loop recursion: d = −H̃·g with H̃ the inverse Hessian the memory implies, H₀ = γI.
    static func direction(_ g: [T], _ m: LBFGSMemory<T>) -> [T] {
        let count = m.ys.count
        var alpha = [T](repeating: 0, count: count)
        var q = g.map { -$0 }
        for i in stride(from: count - 1, through: 0, by: -1) {
            alpha[i] = dot(m.ss[i], q) * m.rho[i]
            let a = -alpha[i]
            for k in 0..<q.count { q[k] = q[k].addingProduct(a, m.ys[i][k]) }
        }
        var r = q.map { $0 * m.hDiag }
        for i in 0..<count {
            let beta = dot(m.ys[i], r) * m.rho[i]
            let c = alpha[i] - beta
            for k in 0..<r.count { r[k] = r[k].addingProduct(c, m.ss[i][k]) }
        }
        return r
    }

    /// θ + τ·d as torch's `p.add_(d, alpha=τ)`: one fused multiply-add per coordinate.
    static func moved(_ x: [T], _ t: T, _ d: [T]) -> [T] {
        (0..<x.count).map { x[$0].addingProduct(t, d[$0]) }
    }

    /// xᵀy as torch's `dot` adds it (in two dimensions x₀y₀ + x₁y₁, each product rounded).
    static func dot(_ x: [T], _ y: [T]) -> T {
        var sum = x[0] * y[0]
        for i in 1..<x.count { sum += x[i] * y[i] }
        return sum
    }

    static func maxAbs(_ x: [T]) -> T { x.reduce(0) { Swift.max($0, abs($1)) } }

    /// A step length as torch's line search holds it: a Python float, or a 0-d tensor once any tensor
    /// went into it. The two divide differently (float ÷ tensor is a reciprocal, then a product).
    struct Length {
        var x: T
        var tensor: Bool
        static func float(_ x: T) -> Length { Length(x: x, tensor: false) }
    }

    /// Python's max(a, b) and min(a, b): the first unless the second is strictly beyond it.
    static func larger(_ a: Length, _ b: Length) -> Length { b.x > a.x ? b : a }
    static func smaller(_ a: Length, _ b: Length) -> Length { b.x < a.x ? b : a }

    /// torch's `_cubic_interpolate`: the minimiser of the cubic through two points with their slopes,
    /// clamped to `bounds` (the interval between them by default).
    static func cubicInterpolate(
        _ x1: Length, _ f1: T, _ g1: T, _ x2: Length, _ f2: T, _ g2: T, bounds: (Length, Length)? = nil
    ) -> Length {
        let (low, high) = bounds ?? (x1.x <= x2.x ? (x1, x2) : (x2, x1))
        let gap = x1.x - x2.x
        let numerator = 3 * (f1 - f2)
        // float ÷ tensor is torch's __rtruediv__: reciprocal(gap)·numerator, two roundings.
        let quotient = x1.tensor || x2.tensor ? (1 / gap) * numerator : numerator / gap
        let d1 = g1 + g2 - quotient
        let d2Square = d1 * d1 - g1 * g2
        guard d2Square >= 0 else { return Length(x: (low.x + high.x) / 2, tensor: low.tensor || high.tensor) }
        let d2 = d2Square.squareRoot()
        let minPos =
            x1.x <= x2.x
            ? x2.x - (x2.x - x1.x) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
            : x1.x - (x1.x - x2.x) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return smaller(larger(Length(x: minPos, tensor: true), low), high)
    }

    /// torch's `_strong_wolfe`: brackets a step length meeting the strong Wolfe conditions
    /// (c₁ = 10⁻⁴, c₂ = 0.9), then zooms in by cubic interpolation.
    static func strongWolfe(
        _ evaluate: Evaluate, x: [T], t initial: Length, d: [T], f: T, g: [T], gtd: T, toleranceChange: T,
        maxLineSearch: Int
    ) -> (f: T, g: [T], t: T, evaluations: Int) {
        let c1: T = 1e-4, c2: T = 0.9
        let dNorm = maxAbs(d)
        var t = initial
        var (fNew, gNew) = evaluate(moved(x, t.x, d))
        var evaluations = 1
        var gtdNew = dot(gNew, d)
        var (tPrev, fPrev, gPrev, gtdPrev): (Length, T, [T], T) = (.float(0), f, g, gtd)
        var done = false
        var iteration = 0
        var bracket: [Length] = [], bracketF: [T] = [], bracketG: [[T]] = [], bracketGtd: [T] = []
        while iteration < maxLineSearch {
            if fNew > f + c1 * t.x * gtd || (iteration > 1 && fNew >= fPrev) {
                (bracket, bracketF, bracketG, bracketGtd) = (
                    [tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]
                )
                break
            }
            if abs(gtdNew) <= -c2 * gtd {
                (bracket, bracketF, bracketG) = ([t], [fNew], [gNew])
                done = true
                break
            }
            if gtdNew >= 0 {
                (bracket, bracketF, bracketG, bracketGtd) = (
                    [tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]
                )
                break
            }
            let minStep = Length(x: t.x + 0.01 * (t.x - tPrev.x), tensor: t.tensor || tPrev.tensor)
            let maxStep = Length(x: t.x * 10, tensor: t.tensor)
            let previous = t
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, bounds: (minStep, maxStep))
            (tPrev, fPrev, gPrev, gtdPrev) = (previous, fNew, gNew, gtdNew)
            (fNew, gNew) = evaluate(moved(x, t.x, d))
            evaluations += 1
            gtdNew = dot(gNew, d)
            iteration += 1
        }
        if iteration == maxLineSearch {
            (bracket, bracketF, bracketG) = ([.float(0), t], [f, fNew], [g, gNew])
            // torch keeps the bracket's slopes from before (none, if the loop never set them).
            if bracketGtd.count < 2 { bracketGtd = [gtd, gtdNew] }
        }
        var insufficientProgress = false
        var (low, high) = bracketF[0] <= bracketF[bracketF.count - 1] ? (0, 1) : (1, 0)
        while !done && iteration < maxLineSearch {
            if abs(bracket[1].x - bracket[0].x) * dNorm < toleranceChange { break }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1])
            let top = larger(bracket[0], bracket[1]), bottom = smaller(bracket[0], bracket[1])
            let eps = Length(x: 0.1 * (top.x - bottom.x), tensor: top.tensor || bottom.tensor)
            if Swift.min(top.x - t.x, t.x - bottom.x) < eps.x {
                if insufficientProgress || t.x >= top.x || t.x <= bottom.x {
                    t =
                        abs(t.x - top.x) < abs(t.x - bottom.x)
                        ? Length(x: top.x - eps.x, tensor: top.tensor || eps.tensor)
                        : Length(x: bottom.x + eps.x, tensor: bottom.tensor || eps.tensor)
                    insufficientProgress = false
                } else {
                    insufficientProgress = true
                }
            } else {
                insufficientProgress = false
            }
            (fNew, gNew) = evaluate(moved(x, t.x, d))
            evaluations += 1
            gtdNew = dot(gNew, d)
            iteration += 1
            if fNew > f + c1 * t.x * gtd || fNew >= bracketF[low] {
                (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) = (t, fNew, gNew, gtdNew)
                (low, high) = bracketF[0] <= bracketF[1] ? (0, 1) : (1, 0)
            } else {
                if abs(gtdNew) <= -c2 * gtd {
                    done = true
                } else if gtdNew * (bracket[high].x - bracket[low].x) >= 0 {
                    (bracket[high], bracketF[high], bracketG[high], bracketGtd[high]) =
                        (bracket[low], bracketF[low], bracketG[low], bracketGtd[low])
                }
                (bracket[low], bracketF[low], bracketG[low], bracketGtd[low]) = (t, fNew, gNew, gtdNew)
            }
        }
        return (bracketF[low], bracketG[low], bracket[low].x, evaluations)
    }
}
