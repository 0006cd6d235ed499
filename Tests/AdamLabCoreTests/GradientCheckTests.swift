// Every objective's gradient against central differences of its value, so a new objective is checked
// the day it is added (it only has to be in `Objective.names`).

import AdamLabCore
import Foundation
import Testing

@Suite("gradients")
struct GradientCheckTests {
    /// Each named objective with its defaults (linear regression on a small data set given inline).
    static let objectives: [String] = Objective.names

    static func objective(_ name: String) throws -> Objective {
        if name == "linear-regression" {
            return try Objective.parse(
                "linear-regression file=d.csv", readFile: { _ in "1,2,3\n2,0,1\n-1,1,0\n0.5,-2,4\n" })
        }
        // A small network: 3 inputs, 4 tanh units, 2 softmax outputs, 20 generated rows.
        if name == "network" { return try Objective.parse("network layers=3,4,2 act=tanh rows=20") }
        return try Objective.parse(name)
    }

    @Test(arguments: objectives)
    func gradientMatchesCentralDifferences(_ name: String) throws {
        let objective = try GradientCheckTests.objective(name)
        var rng = SplitMix64(seed: 42)
        let n = objective.dimension ?? 3
        for _ in 0..<20 {
            // Points away from 0, where Ackley is not differentiable.
            let w = (0..<n).map { _ in Double.random(in: 0.1...2.5, using: &rng) * (Bool.random(using: &rng) ? 1 : -1) }
            let (_, g) = objective.valueAndGradient(w)
            for i in 0..<n {
                let h = 1e-6 * max(1, abs(w[i]))
                var plus = w, minus = w
                plus[i] += h
                minus[i] -= h
                let numeric = (objective.value(plus) - objective.value(minus)) / (2 * h)
                // Central differences are accurate to O(h²)·f''' plus rounding of f/h: 1e-5 relative is ample.
                #expect(
                    abs(g[i] - numeric) <= 1e-5 * max(1, abs(numeric)),
                    "\(name) at \(w): ∂f/∂w\(i) = \(g[i]), differences give \(numeric)")
            }
        }
    }

    @Test func everyObjectiveIsChecked() {
        #expect(GradientCheckTests.objectives.count == 10)
    }
}
