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

    /// The fixture, read once for every section of it.
    static let fixture: JSONValue? = try? JSONValue.read(
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(
            "autograd/gradients.json"))

    /// A number as the fixture writes it, an exact hex float.
    static func number(_ v: JSONValue?) -> Double { Double(v!.string!)! }

    /// A point: w, f(w), ∇f(w), and whether torch's libm differed there.
    static func point(_ p: JSONValue) -> Point {
        Point(
            w: p["w"]!.array!.map(number), f: number(p["f"]), g: p["g"]!.array!.map(number),
            libm: p["libm"]?.bool ?? false)
    }

    static let cases: [Case] = (fixture?["objectives"]?.array ?? []).map { o in
        Case(name: o["name"]!.string!, points: o["points"]!.array!.map(point))
    }

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

    /// The fixture's coordinates made from integers (tools/reference/gradients.py, `generated`): the
    /// same doubles here as there, since each is one correctly rounded division.
    static func generated(_ n: Int, seed: Int) -> [Double] {
        (0..<n).map { i in
            let h = (UInt64(i + 1) &* 2_654_435_761 &+ UInt64(seed) &* 40503) & 0xFFFF_FFFF
            return Double(Int(h % 20001) - 10000) / Double(1 + (h >> 20) % 997)
        }
    }

    struct Sized: Sendable, CustomTestStringConvertible {
        let name: String
        let float32: Bool
        let generated: [(n: Int, seed: Int, f: Double)]
        let points: [Point]
        var testDescription: String { float32 ? "\(name) float32" : name }
    }

    static let sized: [Sized] = (fixture?["dimensions"]?.array ?? []).map { c in
        Sized(
            name: c["name"]!.string!, float32: c["dtype"]?.string == "float32",
            generated: (c["generated"]?.array ?? []).map { ($0["n"]!.int!, $0["seed"]!.int!, number($0["f"])) },
            points: (c["points"]?.array ?? []).map(point))
    }

    @Test func theDimensionsAreThere() {
        #expect(
            AutogradGradientTests.sized.map(\.testDescription) == [
                "sphere", "quadratic c=3", "sphere float32", "rastrigin", "ackley",
            ])
        #expect(Set(AutogradGradientTests.sized[0].generated.map(\.n)).isSuperset(of: [1, 5, 9, 257, 4099, 32768]))
    }

    /// Sums over many coordinates in torch's order: the sphere and a quadratic at generated points of 1 to
    /// 32,768 coordinates, Rastrigin and Ackley (value and gradient) at drawn points of 1 to 64.
    @Test(arguments: sized)
    func bitForBitInEveryDimension(_ c: Sized) throws {
        let objective = try Objective.parse(c.name)
        var misses: [String] = []
        for (n, seed, f) in c.generated {
            let w = AutogradGradientTests.generated(n, seed: seed)
            // In float32 torch adds eight lanes at a time, and so does adamlab.
            let value = c.float32 ? Double(objective.value(w.map { Float($0) })) : objective.value(w)
            if value.bitPattern != f.bitPattern { misses.append("n \(n) seed \(seed): \(value) vs torch \(f)") }
        }
        var libmFar = 0
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b), 1e-300) }
        for p in c.points {
            let (f, g) = objective.valueAndGradient(p.w)
            if p.libm {
                if !near(f, p.f) || zip(g, p.g).contains(where: { !near($0, $1) }) { libmFar += 1 }
            } else if f.bitPattern != p.f.bitPattern || g.map(\.bitPattern) != p.g.map(\.bitPattern) {
                misses.append("n \(p.w.count) at \(p.w.prefix(3))…: \(f) vs torch \(p.f)")
            }
        }
        #expect(c.generated.count + c.points.count >= 160)
        #expect(libmFar == 0, "\(c.name): \(libmFar) points off by more than 1e-12 where torch's libm differs")
        #expect(misses.isEmpty, "\(c.name): \(misses.count) differ, first \(misses.first ?? "")")
    }

    struct Regression: Sendable, CustomTestStringConvertible {
        let name: String, csv: String
        let points: [(point: Point, blas: Bool)]
        var testDescription: String { name }
    }

    static let regressions: [Regression] = (fixture?["regression"]?.array ?? []).map { c in
        Regression(
            name: c["name"]!.string!, csv: c["csv"]!.string!,
            points: c["points"]!.array!.map { (point($0), $0["blas"]?.bool ?? false) })
    }

    /// Linear regression on small data sets: bit for bit where torch's BLAS computed X @ w and Xᵀ @ d in
    /// the order adamlab follows (one to four features here), to 1e-12 where it did not (five).
    @Test(arguments: regressions)
    func linearRegression(_ c: Regression) throws {
        let objective = Objective.linearRegression(try RegressionData(csv: c.csv, source: "fixture"))
        var misses: [String] = [], far = 0
        func near(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * Swift.max(abs(a), abs(b), 1e-300) }
        for (p, blas) in c.points {
            let (f, g) = objective.valueAndGradient(p.w)
            if blas {
                if !near(f, p.f) || zip(g, p.g).contains(where: { !near($0, $1) }) { far += 1 }
            } else if f.bitPattern != p.f.bitPattern || g.map(\.bitPattern) != p.g.map(\.bitPattern) {
                misses.append("at \(p.w): \(f), \(g) vs torch \(p.f), \(p.g)")
            }
        }
        #expect(c.points.count == 50)
        #expect(far == 0, "\(c.name): \(far) points off by more than 1e-12")
        #expect(misses.isEmpty, "\(c.name): \(misses.count) differ, first \(misses.first ?? "")")
    }

    @Test func theRegressionsAreThere() {
        let cases = AutogradGradientTests.regressions
        #expect(cases.count == 7)
        // Up to four features torch's BLAS follows adamlab's order: every point is compared bit for bit.
        #expect(cases.prefix(6).allSatisfy { $0.points.allSatisfy { !$0.blas } })
    }
}
