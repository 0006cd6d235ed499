// A network's step shown per weight matrix and bias, and one weight reachable by name.

import AdamLabCore
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

@Suite("network views")
struct NetworkViewTests {
    @Test func aStepIsShownPerLayer() throws {
        let (text, _) = transcript(["objective network layers=2,3,1 rows=10", "use adam lr=0.01", "step"])
        let lines = text.components(separatedBy: "\n")
        // One row per block, with its number of weights: w1 is 3 × 2, b1 3, w2 1 × 3, b2 1.
        for (name, n) in [("w1", 6), ("b1", 3), ("w2", 3), ("b2", 1)] {
            #expect(lines.contains { $0.hasPrefix(name + " │") && $0.contains(" \(n) ") }, "\(name): \(text)")
        }
        // At t = 1 a weight moves by lr·|g|/(|g| + ε): b2's g is 2.13079e-05, so 0.01·0.999531 = 0.00999531
        // (by hand: ε = 1e-8 is not small beside so small a gradient).
        let b2 = try #require(lines.first { $0.hasPrefix("b2 │") })
        #expect(b2.contains("2.13079e-05") && b2.contains("0.00999531"), "\(b2)")
        #expect(unfolded(text).contains("largest |Δθ|: "))
    }

    @Test func oneWeightByName() throws {
        let s = try session(["objective network layers=2,3,1 rows=10", "use sgd lr=0.5", "step"])
        let record = try #require(s.lastRecord)
        // w1[2,1] is row 2, column 1 of the 3 × 2 matrix: coordinate 2·2 + 1 = 5; b2[0] the last, 12.
        let (text, _) = transcript([
            "objective network layers=2,3,1 rows=10", "use sgd lr=0.5", "step", "show g update w1[2,1] b2[0]",
        ])
        let row = try #require(text.components(separatedBy: "\n").first { $0.hasPrefix("w1[2,1] │") })
        #expect(row.contains(Style().number(record.vectors[.g]![5])), "\(row)")
        let last = try #require(text.components(separatedBy: "\n").first { $0.hasPrefix("b2[0]") })
        #expect(last.contains(Style().number(record.vectors[.update]![12])), "\(last)")
    }

    @Test func anUnknownWeightNamesTheShapes() {
        let (text, _) = transcript(["objective network layers=2,3,1 rows=10", "step", "show g w1[3,0]"])
        #expect(
            text.contains("error: no weight 'w1[3,0]'; this network has w1[0…2,0…1], b1[0…2], w2[0…0,0…2], b2[0…0]"),
            "\(text)")
    }

    @Test func aNetworkStartsFromItsOwnWeights() throws {
        // A 1-1 network has two weights, as many as the sphere's start (3, 4): it still starts from its own
        // initial weights (0.01 times a normal draw, a zero bias), not from (3, 4).
        let s = try session(["objective sphere", "start 3,4", "objective network layers=1,1"])
        #expect(s.start != [3, 4])
        #expect(s.start[1] == 0 && abs(s.start[0]) < 0.1)
        // Its seed draws the data and the noise: said once.
        let noisy = try Objective.parse("network layers=2,3,1 rows=5 batch=2 noise=0.1 seed=4")
        #expect(noisy.description == "network layers=2,3,1 act=relu rows=5 seed=4 noise=0.1 batch=2")
        #expect(try Objective.parse(noisy.description) == noisy)
    }
}
