// The network objective: its loss and gradient against PyTorch autograd (to 1e-12: torch's matrix
// products add in BLAS's order, not one this code can follow), against central differences, and a
// torch.optim.Adam trace on it; parameter names; bad specs. The fixture is written by
// tools/reference/network_traces.py.

import AdamLabCore
import Foundation
import Testing

@Suite("network objective")
struct NetworkTests {
    static let fixture: JSONValue? = try? JSONValue.read(
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(
            "network/networks.json"))

    static func number(_ v: JSONValue?) -> Double { Double(v!.string!)! }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String, sizes: [Int], act: String, csv: String
        let points: [(theta: [Double], f: Double, grad: [Double])]
        var testDescription: String { name }
    }

    static func point(_ p: JSONValue) -> (theta: [Double], f: Double, grad: [Double]) {
        let theta: [Double] = p["theta"]!.array!.map(number)
        let grad: [Double] = p["grad"]!.array!.map(number)
        return (theta, number(p["f"]), grad)
    }

    static func readCase(_ c: JSONValue) -> Case {
        let sizes: [Int] = c["sizes"]!.array!.map { $0.int! }
        let points = c["points"]!.array!.map(point)
        return Case(
            name: c["name"]!.string!, sizes: sizes, act: c["act"]!.string!, csv: c["csv"]!.string!, points: points)
    }

    static let cases: [Case] = (fixture?["cases"]?.array ?? []).map(readCase)

    static func objective(_ sizes: [Int], _ act: String, _ csv: String) throws -> Objective {
        let spec = "network layers=" + sizes.map(String.init).joined(separator: ",") + " act=\(act) file=data.csv"
        return try Objective.parse(spec, readFile: { _ in csv })
    }

    /// Relative closeness, for values torch sums in another order.
    static func near(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
        abs(a - b) <= tolerance * Swift.max(abs(a), abs(b), 1e-300)
    }

    @Test func theFixtureIsThere() { #expect(NetworkTests.cases.count == 4) }

    @Test(arguments: cases)
    func agreesWithAutograd(_ c: Case) throws {
        let objective = try NetworkTests.objective(c.sizes, c.act, c.csv)
        for (k, p) in c.points.enumerated() {
            let (f, g) = objective.valueAndGradient(p.theta)
            #expect(NetworkTests.near(f, p.f, 1e-12), "\(c.name) point \(k): f \(f) vs autograd \(p.f)")
            let scale = p.grad.map(abs).max() ?? 1
            for i in g.indices where abs(g[i] - p.grad[i]) > 1e-12 * scale {
                Issue.record("\(c.name) point \(k) coordinate \(i): \(g[i]) vs autograd \(p.grad[i])")
                break
            }
        }
    }

    @Test(arguments: cases)
    func agreesWithCentralDifferences(_ c: Case) throws {
        let objective = try NetworkTests.objective(c.sizes, c.act, c.csv)
        let theta = c.points[0].theta
        let (_, g) = objective.valueAndGradient(theta)
        let h = 1e-6
        for i in stride(from: 0, to: theta.count, by: max(1, theta.count / 12)) {
            var up = theta, down = theta
            up[i] += h
            down[i] -= h
            let estimate = (objective.value(up) - objective.value(down)) / (2 * h)
            // The central difference's own error is O(h²) times the third derivative: 1e-6 absolute here.
            #expect(abs(estimate - g[i]) <= 1e-6, "\(c.name) coordinate \(i): \(g[i]) vs difference \(estimate)")
        }
    }

    @Test func adamFollowsTorchOnTheNetwork() throws {
        let trace = try #require(NetworkTests.fixture?["adam"])
        let sizes: [Int] = trace["sizes"]!.array!.map { $0.int! }
        let objective = try NetworkTests.objective(sizes, trace["act"]!.string!, trace["csv"]!.string!)
        let start = trace["start"]!.array!.map(NetworkTests.number)
        var run = try Run<Double>(
            spec: try OptimizerSpec.parse("adam lr=0.01 convention=pytorch"), objective: objective, start: start)
        let expected = trace["theta"]!.array!.map { $0.array!.map(NetworkTests.number) }
        var worst = 0.0
        for (t, thetaT) in expected.enumerated() {
            _ = try run.step()
            for (a, b) in zip(run.theta, thetaT) { worst = max(worst, abs(a - b)) }
            #expect(worst <= 1e-10, "step \(t + 1): θ differs from torch's by \(worst)")
            if worst > 1e-10 { break }
        }
    }

    @Test func parametersHaveNames() throws {
        let net = Network(
            sizes: [2, 3, 1], activation: .relu, data: .generated(rows: 4, inputs: 2, classes: 1, seed: 0))
        #expect(net.groups.map(\.name) == ["w1", "b1", "w2", "b2"])
        #expect(net.parameterCount == 13)
        #expect(net.coordinate(of: "w1[2,1]") == 5)
        #expect(net.coordinate(of: "b1[0]") == 6)
        #expect(net.coordinate(of: "w2[0,2]") == 11)
        #expect(net.coordinate(of: "w1[3,0]") == nil && net.coordinate(of: "b1[1,1]") == nil)
        #expect((0..<13).map(net.name(of:)).compactMap(net.coordinate(of:)) == Array(0..<13))
    }

    @Test(arguments: [
        ("network", "network needs its layer sizes: network layers=2,16,1 (inputs, hidden…, outputs)"),
        ("network layers=2", "layers needs from 2 to 33 whole numbers from 1 to 4096, e.g. layers=2,16,1"),
        ("network layers=2,0,1", "layers needs from 2 to 33 whole numbers from 1 to 4096, e.g. layers=2,16,1"),
        (
            "network layers=" + Array(repeating: "1", count: 34).joined(separator: ","),
            "layers needs from 2 to 33 whole numbers from 1 to 4096, e.g. layers=2,16,1"
        ),
        (
            "network layers=1000,300,1 rows=1000",
            "1000 rows times 300601 weights is 300601000 per step; at most 2·10⁸ (fewer rows, or batch=B on a smaller network)"
        ),
        ("network layers=4096,1,1 rows=5000", "5000 rows of 4096 inputs is 20480000 numbers; at most 10⁷"),
        ("network layers=2,4,1 act=softplus", "act is relu, sigmoid or tanh, got 'softplus'"),
        (
            "network layers=2,4,3",
            "generated data labels a row by its largest of the first 3 features: give as many inputs"
        ),
        ("network layers=2,4,1 rows=0", "rows needs a whole number from 1 to 100000"),
    ])
    func badSpecsAreNamed(text: String, message: String) {
        do {
            _ = try Objective.parse(text)
            Issue.record("'\(text)' parsed")
        } catch let e as CoreError { #expect(e.message == message) } catch { Issue.record("\(error)") }
    }

    @Test func ctrlCIsLookedAtMoreOftenAsStepsCostMore() throws {
        // 4·10⁶ units of work between looks: 1024 steps of a bowl, fewer of a network on many rows.
        #expect(Objective.sphere.stepsPerCheck == 1024)
        #expect(try Objective.parse("network layers=2,16,1 rows=200").stepsPerCheck == 307)  // 200·65 per step
        #expect(try Objective.parse("network layers=100,100,1 rows=2000").stepsPerCheck == 1)
    }

    @Test func aFileWithTheWrongClassesIsNamed() {
        do {
            _ = try Objective.parse("network layers=2,4,1 file=d.csv", readFile: { _ in "1,2,0\n3,4,2\n" })
            Issue.record("parsed")
        } catch let e as CoreError {
            #expect(
                e.message == "d.csv: row 2's class is 2.0; a network with 1 output needs a whole number from 0 to 1")
        } catch { Issue.record("\(error)") }
    }
}
