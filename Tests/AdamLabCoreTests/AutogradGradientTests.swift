// Every named objective's value and gradient against PyTorch autograd's, bit for bit, at 1,000 seeded
// points each (the fixture is written by tools/reference/gradients.py). Where torch's exp, sqrt, cos or
// sin (its vector math library, not correctly rounded) gives another double than the C library's, the
// fixture marks the point `libm`, and there the values must agree to 1e-12 relative instead.

import AdamLabCore
import Foundation
import Testing

@Suite("autograd gradients")
struct AutogradGradientTests {
    struct Point: Sendable {
        let w: [Double], f: Double, g: [Double], libm: Bool
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let points: [Point]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("autograd/gradients.json")
        guard let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let objectives = json["objectives"] as? [[String: Any]]
        else { return [] }
        func number(_ s: Any?) -> Double { Double(s as! String)! }
        return objectives.map { o in
            let points = (o["points"] as! [[String: Any]]).map { p in
                Point(
                    w: (p["w"] as! [String]).map { Double($0)! }, f: number(p["f"]),
                    g: (p["g"] as! [String]).map { Double($0)! }, libm: p["libm"] as? Bool ?? false)
            }
            return Case(name: o["name"] as! String, points: points)
        }
    }()

    @Test func theFixtureIsThere() { #expect(AutogradGradientTests.cases.count == 11) }

    @Test(arguments: cases)
    func bitForBit(_ c: Case) throws {
        let objective = try Objective.parse(c.name == "quadratic" ? "quadratic c=1,5" : c.name)
        var valueMisses = 0, gradientMisses = 0, libmFar = 0
        var first: String?
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b), 1e-300) }
        for p in c.points {
            let (f, g) = objective.valueAndGradient(p.w)
            if p.libm {
                if !near(f, p.f) || zip(g, p.g).contains(where: { !near($0, $1) }) { libmFar += 1 }
                continue
            }
            if f.bitPattern != p.f.bitPattern { valueMisses += 1 }
            if zip(g, p.g).contains(where: { $0.bitPattern != $1.bitPattern }) {
                gradientMisses += 1
                if first == nil { first = "at \(p.w): adamlab \(g), autograd \(p.g)" }
            }
        }
        #expect(c.points.count == 1000)
        #expect(libmFar == 0, "\(c.name): \(libmFar) points off by more than 1e-12 where torch's libm differs")
        #expect(valueMisses == 0, "\(c.name): f differs at \(valueMisses) points")
        #expect(gradientMisses == 0, "\(c.name): g differs at \(gradientMisses) points, first \(first ?? "")")
    }
}
