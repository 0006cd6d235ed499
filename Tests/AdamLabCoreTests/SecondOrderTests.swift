// Newton, L-BFGS and the natural gradient against PyTorch (torch.optim.LBFGS itself; autograd Hessians
// and torch.linalg for Newton and the natural gradient), every objective's Hessian against central
// differences of its gradient, and what a step does where the Hessian is singular or indefinite. The
// fixture is written by tools/reference/second_order_traces.py.

import AdamLabCore
import Foundation
import Testing

@Suite("second-order methods")
struct SecondOrderTests {
    static let fixture: JSONValue? = try? JSONValue.read(
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(
            "second-order/traces.json"))

    struct Case: Sendable, CustomTestStringConvertible {
        let spec: String, objective: String, start: [Double]
        let steps: [JSONValue]
        var testDescription: String { "\(spec) on \(objective)" }
    }

    static func cases(_ key: String) -> [Case] {
        (fixture?[key]?.array ?? []).map {
            Case(
                spec: $0["spec"]!.string!, objective: $0["objective"]!.string!, start: $0["start"]!.doubles!,
                steps: $0["steps"]!.array!)
        }
    }

    static func hex(_ v: JSONValue?) -> [Double] { v!.array!.map { Double($0.string!)! } }

    /// |a − b| within `tolerance` of the larger of |a|, |b| and 1.
    static func near(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * Swift.max(abs(a), abs(b), 1)
    }

    @Test func theFixtureIsThere() {
        #expect(SecondOrderTests.cases("lbfgs").count == 12)
        #expect(SecondOrderTests.cases("curvature").count == 11)
    }

    /// torch.optim.LBFGS, step by step: θ to 1e-12 (bit for bit where it can be), and the run's
    /// iteration and evaluation counts exactly, so every branch of the line search went the same way.
    @Test(arguments: SecondOrderTests.cases("lbfgs"))
    func lbfgsFollowsTorch(_ c: Case) throws {
        var run = try Run<Double>(
            spec: try OptimizerSpec.parse(c.spec), objective: try Objective.parse(c.objective), start: c.start)
        var iterations = 0, evaluations = 0, bitwise = 0
        for (k, step) in c.steps.enumerated() {
            let record = try run.step()
            iterations += record.curvature!.iterations
            evaluations += record.curvature!.evaluations
            let expected = SecondOrderTests.hex(step["theta"])
            if run.theta == expected { bitwise += 1 }
            #expect(
                zip(run.theta, expected).allSatisfy { SecondOrderTests.near($0, $1, 1e-12) },
                "step \(k + 1): θ = \(run.theta), torch \(expected)")
            #expect(iterations == step["n_iter"]!.int!, "step \(k + 1): iterations")
            #expect(evaluations == step["func_evals"]!.int!, "step \(k + 1): evaluations")
            #expect(record.curvature!.pairs.count == step["pairs"]!.int!, "step \(k + 1): pairs in memory")
        }
        #expect(bitwise == c.steps.count, "\(bitwise) of \(c.steps.count) steps bit for bit")
    }

    /// Newton and the natural gradient: H against autograd's, d and θ against torch.linalg's solve.
    @Test(arguments: SecondOrderTests.cases("curvature"))
    func curvatureFollowsTorch(_ c: Case) throws {
        let spec = try OptimizerSpec.parse(c.spec)
        var run = try Run<Double>(spec: spec, objective: try Objective.parse(c.objective), start: c.start)
        for (k, step) in c.steps.enumerated() {
            let record = try run.step()
            let h = SecondOrderTests.hex(step["hessian"]), d = SecondOrderTests.hex(step["direction"])
            let scale = h.map(abs).max() ?? 1
            #expect(
                zip(record.curvature!.hessian, h).allSatisfy { abs($0 - $1) <= 1e-12 * Swift.max(scale, 1) },
                "step \(k + 1): H = \(record.curvature!.hessian), autograd \(h)")
            #expect(
                zip(record.vectors[.direction]!, d).allSatisfy { SecondOrderTests.near($0, $1, 1e-12) },
                "step \(k + 1): d = \(record.vectors[.direction]!), torch \(d)")
            let theta = SecondOrderTests.hex(step["theta"])
            #expect(
                zip(run.theta, theta).allSatisfy { SecondOrderTests.near($0, $1, 1e-12) },
                "step \(k + 1): θ = \(run.theta), torch \(theta)")
        }
    }

    static let hessianObjectives = [
        "sphere", "quadratic c=1,5,0.5", "rosenbrock", "rosenbrock a=2 b=10", "rastrigin", "ackley", "beale",
        "himmelblau", "gaussian-mixture", "f(x,y) = x^2*y + exp(x*y)/3 - sqrt(x^2 + y^2 + 1)",
        "f(a,b,c) = sin(a*b) + a^3/c + log(b^2 + 1)*tanh(c) + abs(a - 5) + (b^2+2)^1.5 + c^2*a/b",
    ]

    /// Every objective's Hessian is symmetric and is the derivative of its gradient: central differences
    /// of ∇f with step h = 10⁻⁵·max(1, |wⱼ|) agree to 10⁻⁵ of the largest entry (their own error is
    /// about h² times the third derivative, and ε/h from rounding).
    @Test(arguments: SecondOrderTests.hessianObjectives)
    func hessianIsTheGradientsDerivative(_ text: String) throws {
        let objective = try Objective.parse(text)
        let points: [[Double]] = (0..<40).map { k in
            var seeded = SplitMix64(seed: UInt64(k) &* 0x9E37_79B9 &+ UInt64(text.count))
            let n = objective.dimension ?? 3
            return (0..<n).map { _ in
                (0.3 + 2.2 * Double(seeded.next() >> 11) * 0x1p-53) * (seeded.next() % 2 == 0 ? 1 : -1)
            }
        }
        for w in points {
            let n = w.count
            let h = try #require(objective.hessian(w))
            let scale = Swift.max(h.map(abs).max() ?? 0, 1)
            for j in 0..<n {
                let step = 1e-5 * Swift.max(1, abs(w[j]))
                var up = w, down = w
                up[j] += step
                down[j] -= step
                let gUp = objective.valueAndGradient(up).1, gDown = objective.valueAndGradient(down).1
                for i in 0..<n {
                    let difference = (gUp[i] - gDown[i]) / (up[j] - down[j])
                    #expect(
                        abs(h[i * n + j] - difference) <= 1e-5 * scale,
                        "H[\(i),\(j)] = \(h[i * n + j]), central difference \(difference) at \(w)")
                    #expect(h[i * n + j] == h[j * n + i] || abs(h[i * n + j] - h[j * n + i]) <= 1e-13 * scale)
                }
            }
        }
    }

    /// Linear regression's Hessian against central differences of its gradient too, on a data set of
    /// three features (the last weight is the bias).
    @Test func regressionHessianIsTheGradientsDerivative() throws {
        let csv = "1,2,0.5,3\n-1,0.5,2,1\n0.3,-2,1,-1\n2,1,-0.5,0.5\n"
        let objective = try Objective.parse("linear-regression file=d.csv", readFile: { _ in csv })
        let w = [0.3, -0.7, 1.1, 0.2]
        let h = try #require(objective.hessian(w))
        for j in 0..<4 {
            var up = w, down = w
            up[j] += 1e-5
            down[j] -= 1e-5
            let gUp = objective.valueAndGradient(up).1, gDown = objective.valueAndGradient(down).1
            for i in 0..<4 {
                let difference = (gUp[i] - gDown[i]) / (up[j] - down[j])
                #expect(abs(h[i * 4 + j] - difference) <= 1e-6, "H[\(i),\(j)] = \(h[i * 4 + j]), \(difference)")
            }
        }
    }

    /// A typed formula's Hessian (forward over reverse on its tape) is the named objective's, to rounding.
    @Test func formulaHessianIsTheNamedOnes() throws {
        let pairs = [
            ("rosenbrock", "f(x,y) = (1 - x)^2 + 100*(y - x^2)^2"),
            ("himmelblau", "f(x,y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2"),
            ("beale", "f(x,y) = (1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2"),
        ]
        for (name, formula) in pairs {
            for w in [[-1.5, 2.0], [0.3, -0.7], [3, 0.5]] {
                let a = try Objective.parse(name).hessian(w)!, b = try Objective.parse(formula).hessian(w)!
                let scale = Swift.max(a.map(abs).max()!, 1)
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-13 * scale }, "\(name) at \(w): \(a) vs \(b)")
            }
        }
    }

    /// Linear regression's Hessian is (2/rows)·X̃ᵀX̃, checked on a data set small enough to do by hand:
    /// rows (1, 2 → y) and (3, 4 → y) give X̃ = [[1, 2, 1], [3, 4, 1]], X̃ᵀX̃ = [[10, 14, 4], [14, 20, 6], [4, 6, 2]].
    @Test func regressionHessianByHand() throws {
        let objective = try Objective.parse("linear-regression file=d.csv", readFile: { _ in "1,2,5\n3,4,6\n" })
        let h = try #require(objective.hessian([0.1, 0.2, 0.3]))
        // (2/rows) = 1 here.
        #expect(h == [10, 14, 4, 14, 20, 6, 4, 6, 2])
    }

    /// Where H is singular a plain Newton step is refused, naming the eigenvalues and what to try; with
    /// damping it goes on; nothing becomes NaN.
    @Test func singularHessianIsReported() throws {
        let objective = try Objective.parse("f(x,y) = x^2")
        var run = try Run<Double>(spec: try OptimizerSpec.parse("newton"), objective: objective, start: [1, 2])
        #expect(throws: CurvatureFailure.self) { try run.step() }
        do {
            _ = try run.step()
        } catch let failure as CurvatureFailure {
            #expect(
                failure.description
                    == "newton cannot take step 1: the Hessian is singular here (eigenvalues 0, 2): H·d = −g has no unique solution. Add damping=, e.g. damping=1e-3, to solve with H + damping·I"
            )
        }
        #expect(run.t == 0 && run.theta == [1, 2])
        var damped = try Run<Double>(
            spec: try OptimizerSpec.parse("newton damping=1e-3"), objective: objective, start: [1, 2])
        let record = try damped.step()
        // (H + 10⁻³I)⁻¹g = (2/2.001, 0): x lands at 1 − 2/2.001, y does not move.
        #expect(abs(damped.theta[0] - (1 - 2 / 2.001)) < 1e-15 && damped.theta[1] == 2)
        #expect(record.curvature?.definiteness == .singular)
    }

    /// At a saddle's neighbourhood a plain Newton step goes towards it (f rises); fix=abs goes down.
    @Test func indefiniteHessianAndTheAbsoluteFix() throws {
        let objective = try Objective.parse("f(x,y) = x^2 - y^2")
        var plain = try Run<Double>(spec: try OptimizerSpec.parse("newton"), objective: objective, start: [1, 1])
        let step = try plain.step()
        #expect(step.curvature?.definiteness == .indefinite && step.curvature?.remedy == CurvatureRemedy.none)
        #expect(plain.theta == [0, 0])  // the saddle itself
        var fixed = try Run<Double>(
            spec: try OptimizerSpec.parse("newton fix=abs lr=0.5"), objective: objective, start: [1, 1])
        let f0 = fixed.loss
        let absolute = try fixed.step()
        #expect(absolute.curvature?.remedy == .absolute)
        #expect(fixed.theta == [0.5, 1.5] && fixed.loss < f0)
        var natural = try Run<Double>(
            spec: try OptimizerSpec.parse("natural lr=0.5"), objective: objective, start: [1, 1])
        _ = try natural.step()
        #expect(natural.theta.allSatisfy(\.isFinite) && natural.loss < f0)
    }

    /// The seed's natural gradient multiplies g by the metric instead of solving: on the sphere G ≈ 2I,
    /// so the step is 4θ·lr instead of θ·lr.
    @Test func multiplyingByTheMetricIsNotSolving() throws {
        var right = try Run<Double>(
            spec: try OptimizerSpec.parse("natural lr=0.1 damping=0"), objective: .sphere, start: [3, 4])
        var wrong = try Run<Double>(
            spec: try OptimizerSpec.parse("natural lr=0.1 damping=0 solve=off"), objective: .sphere, start: [3, 4])
        _ = try right.step()
        _ = try wrong.step()
        let solved: [Double] = [3 - 0.1 * 3, 4 - 0.1 * 4]
        let multiplied: [Double] = [3 - 0.1 * 12, 4 - 0.1 * 16]
        #expect(right.theta == solved)
        #expect(wrong.theta == multiplied)
    }

    /// Where the gradient is already below tolerance_grad, L-BFGS takes no iteration and its step says so:
    /// d and Δθ are 0 (it once had no direction at all, and the step's table could not be drawn).
    @Test func lbfgsAtAMinimumTakesNoIteration() throws {
        var run = try Run<Double>(spec: try OptimizerSpec.parse("lbfgs"), objective: .sphere, start: [0, 0])
        let record = try run.step()
        #expect(record.vectors[.direction] == [0, 0] && record.vectors[.update] == [0, 0])
        #expect(record.curvature?.stop == .optimal && record.curvature?.iterations == 0)
    }

    /// Both eigenvalues negative is a maximum of the model, not a saddle (Himmelblau at (0.5, 0.5)).
    @Test func negativeDefiniteIsNamed() throws {
        var run = try Run<Double>(
            spec: try OptimizerSpec.parse("newton"), objective: .himmelblau, start: [0.5, 0.5])
        #expect(try run.step().curvature?.definiteness == .negativeDefinite)
    }

    /// Newton and the natural gradient need a Hessian: the network has none written out.
    @Test func aNetworkHasNoHessian() throws {
        let net = try Objective.parse("network layers=2,3,1 rows=5")
        #expect(throws: CoreError.self) {
            try Run<Double>(spec: try OptimizerSpec.parse("newton"), objective: net, start: net.defaultStart)
        }
        var lbfgs = try Run<Double>(
            spec: try OptimizerSpec.parse("lbfgs max_iter=1"), objective: net, start: net.defaultStart)
        let f0 = lbfgs.loss
        _ = try lbfgs.step()
        _ = try lbfgs.step()
        #expect(lbfgs.loss < f0)
    }
}
