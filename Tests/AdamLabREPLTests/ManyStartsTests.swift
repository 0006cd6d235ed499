// A fair race: Latin-hypercube starts, how often each optimizer reaches a global minimum, and a sweep's
// final loss against the swept value.

import AdamLabCore
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

@Suite("many starts and sweep plots")
struct ManyStartsTests {
    @Test func latinHypercubeUsesEveryStratumOnce() {
        let points = latinHypercube(count: 10, dimension: 3, box: -5...5, seed: 7)
        #expect(points.count == 10 && points.allSatisfy { $0.count == 3 })
        for j in 0..<3 {
            // Strata of width 1 from −5: each holds exactly one point's coordinate j.
            let strata = points.map { Int(($0[j] + 5).rounded(.down)) }.sorted()
            #expect(strata == Array(0..<10), "coordinate \(j): \(strata)")
        }
        #expect(latinHypercube(count: 10, dimension: 3, box: -5...5, seed: 7) == points)
        #expect(latinHypercube(count: 10, dimension: 3, box: -5...5, seed: 8) != points)
    }

    @Test func himmelblauIsReachedFromEveryStartAndRastriginRarely() {
        let (text, _) = transcript([
            "objective himmelblau", "compare adam lr=0.1 starts=10", "objective rastrigin",
            "compare sgd lr=0.001 steps=2000 starts=20",
        ])
        #expect(text.contains("himmelblau, 10 Latin-hypercube starts in [-5, 5]² (seed 0), 1000 steps each"), "\(text)")
        // Himmelblau's four minima are all global: from anywhere in the box Adam ends at one of them.
        #expect(text.contains("10 of 10 (100%)"), "\(text)")
        // Rastrigin has a local minimum near every integer point: gradient descent ends in the one nearest
        // its start, the global one only from a start in its basin.
        let rastrigin = text.components(separatedBy: "rastrigin A=10.0, 20").last ?? ""
        #expect(rastrigin.contains("of 20") && !rastrigin.contains("20 of 20"), "\(rastrigin)")
    }

    @Test func stoppingMidRaceSaysSo() {
        let (text, _) = transcript(["objective himmelblau", "compare adam sgd starts=5"], stopLongRuns: true)
        #expect(text.contains("stopped by Ctrl-C"), "\(text)")
    }

    @Test(arguments: [
        ("compare adam box=-5..5", "box= is for many starts: add starts=N, e.g. `compare adam sgd starts=20`"),
        ("compare adam starts=0", "starts= takes a whole number from 1 to 1000"),
        (
            "compare adam starts=5 box=5..-5",
            "box= is LO..HI with LO below HI, the same for every coordinate, e.g. box=-5..5"
        ),
        ("compare adam starts=5 plot", "from many starts compare draws where each run ended: `plot=path`"),
        ("compare adam starts=1000 steps=1000000", "starts × steps × optimizers is at most 10⁸; take fewer of one"),
    ])
    func badRacesAreNamed(line: String, message: String) {
        let (text, _) = transcript(["objective himmelblau", line])
        #expect(text.contains("error: " + message), "\(text)")
    }

    @Test func aLogSweepIsPlottedAgainstPowersOfTen() {
        let (text, _) = transcript(["objective rosenbrock", "sweep adam lr=1e-3..1 log points=4 steps=500 plot"])
        #expect(text.contains("final f(θ) against lr (log scales)"), "\(text)")
        let axis = text.components(separatedBy: "\n").last { $0.contains("10⁻³") } ?? ""
        #expect(axis.contains("10⁻²") && axis.contains("10⁻¹") && axis.contains("10⁰"), "\(text)")
    }
}
