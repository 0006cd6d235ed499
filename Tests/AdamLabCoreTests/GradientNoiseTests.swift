// Stochastic objectives: seeded noise, minibatches and a sparse coordinate, the same however a step is reached.

import AdamLabCore
import Foundation
import Testing

@Suite("stochastic gradients")
struct GradientNoiseTests {
    /// gₜ of step `t` on `objective` at θ, read from a recorded step.
    func sampled(_ objective: String, at theta: [Double], step t: Int = 1) throws -> (g: [Double], gradF: [Double]) {
        let objective = try Objective.parse(objective)
        let (_, g) = objective.valueAndGradient(theta, step: t)
        return (g, objective.exact.valueAndGradient(theta).1)
    }

    @Test func noiseMatchesAnIndependentReimplementation() throws {
        // SplitMix64, Marsaglia's polar method and the per-step seeding re-implemented in Python with
        // math.log (see GradientNoise.swift): seed 3, steps 1 and 2, first two deviates of each.
        let reference: [Int: [Double]] = [
            1: [1.8898311649302706, -0.28895234569181294], 2: [-0.6101102199893457, 0.06493062860209278],
        ]
        for (t, z) in reference {
            let (g, gradF) = try sampled("sphere noise=0.5 seed=3", at: [3, 4], step: t)
            #expect(gradF == [6, 8])
            for i in 0..<2 {
                // Our logarithm and Python's may differ in the last bit.
                #expect(abs(g[i] - (gradF[i] + 0.5 * z[i])) <= 1e-14, "step \(t) coordinate \(i)")
            }
        }
    }

    @Test func noiseIsStandardNormalOnAverage() throws {
        let n = 20000
        let (g, _) = try sampled("sphere noise=1 seed=11", at: Array(repeating: 0, count: n))
        let mean = g.reduce(0, +) / Double(n)
        let variance = g.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // Four standard errors: 4/√n for the mean, 4·√(2/n) for the variance.
        #expect(abs(mean) < 4 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 4 * (2 / Double(n)).squareRoot())
        let within1 = Double(g.filter { abs($0) < 1 }.count) / Double(n)
        #expect(abs(within1 - 0.6827) < 0.015)
    }

    @Test func aStepIsTheSameHoweverItIsReached() throws {
        let spec = try OptimizerSpec.parse("adam lr=0.1")
        let objective = try Objective.parse("rosenbrock noise=2 sparse=3 seed=5")
        var straight = try Run<Double>(spec: spec, objective: objective, start: [-1, 1])
        var records: [StepRecord<Double>] = []
        for _ in 0..<12 { records.append(try straight.step()) }
        var fast = try Run<Double>(spec: spec, objective: objective, start: [-1, 1])
        try fast.advance(steps: 7)
        let again = try fast.step()
        #expect(again.vectors[.g] == records[7].vectors[.g])
        try fast.advance(steps: 4)
        #expect(fast.theta == straight.theta)
        // Another seed, another path.
        var other = try Run<Double>(
            spec: spec, objective: try Objective.parse("rosenbrock noise=2 sparse=3 seed=6"), start: [-1, 1])
        try other.advance(steps: 12)
        #expect(other.theta != straight.theta)
    }

    @Test func theSparseCoordinateMovesByThePapersBound() throws {
        // The last coordinate's gradient is 0 until step 1000: m and v are 0 there, so the first step it
        // sees is lr·(1 − β₁)/(1 − β₁ᵗ) · √(1 − β₂ᵗ)/√(1 − β₂) (the paper's §2.1), whatever g is.
        let spec = try OptimizerSpec.parse("adam lr=0.01")
        var run = try Run<Double>(spec: spec, objective: try Objective.parse("sphere sparse=1000"), start: [1, 1])
        try run.advance(steps: 999)
        #expect(run.theta[1] == 1)
        let record = try run.step()
        #expect(record.vectors[.g]![1] == 2)
        let t = 1000.0, b1 = 0.9, b2 = 0.999
        let bound = 0.01 * (1 - b1) / (1 - pow(b1, t)) * (1 - pow(b2, t)).squareRoot() / (1 - b2).squareRoot()
        // With ε: lr·m̂/(√v̂ + ε), m̂ = (1 − β₁)·2/(1 − β₁ᵗ), v̂ = (1 − β₂)·4/(1 − β₂ᵗ).
        let mHat = (1 - b1) * 2 / (1 - pow(b1, t)), vHat = (1 - b2) * 4 / (1 - pow(b2, t))
        #expect(abs(-record.vectors[.update]![1] - 0.01 * mHat / (vHat.squareRoot() + 1e-8)) < 1e-15)
        #expect(abs(-record.vectors[.update]![1] - bound) < 4e-9)
        #expect(abs(bound - 0.0251456671) < 1e-10)
        let between = try run.step()
        #expect(between.vectors[.g]![1] == 0 && between.vectors[.gradF]![1] != 0)
    }

    @Test func minibatchesCoverEveryRowOnceAnEpoch() throws {
        let rows = 10
        let noise = GradientNoise(batch: 4, seed: 9)
        // ⌈10/4⌉ = 3 batches an epoch: 4, 4 and 2 rows.
        for epoch in 0..<3 {
            let batches = (1...3).map { noise.batchIndices(step: 3 * epoch + $0, rows: rows) }
            #expect(batches.map(\.count) == [4, 4, 2])
            #expect(batches.flatMap { $0 }.sorted() == Array(0..<rows))
        }
        #expect(noise.batchIndices(step: 1, rows: rows) != noise.batchIndices(step: 4, rows: rows))
    }

    @Test func aMinibatchGradientIsTheGradientOfItsRows() throws {
        let csv = (0..<10).map { i in "\(Double(i) / 2),\(Double(i % 3)),\(Double(i) * 1.5 - 1)" }.joined(
            separator: "\n")
        let data = try RegressionData(csv: csv, source: "ten.csv")
        let noise = GradientNoise(batch: 4, seed: 2)
        let objective = Objective.stochastic(.linearRegression(data), noise)
        let w = [0.3, -0.2, 0.1]
        for t in 1...6 {
            let (f, g) = objective.valueAndGradient(w, step: t)
            #expect(f == Objective.linearRegression(data).value(w))
            // (2/B)·Σ r·x over the batch's rows, r = w·x + b − y, written out here.
            let rows = noise.batchIndices(step: t, rows: 10)
            var expected = [0.0, 0.0, 0.0]
            for row in rows {
                let x = data.features[row]
                let r = w[0] * x[0] + w[1] * x[1] + w[2] - data.targets[row]
                expected[0] += 2 * r * x[0] / Double(rows.count)
                expected[1] += 2 * r * x[1] / Double(rows.count)
                expected[2] += 2 * r / Double(rows.count)
            }
            for i in 0..<3 { #expect(abs(g[i] - expected[i]) < 1e-12, "step \(t) coordinate \(i)") }
        }
    }

    @Test(arguments: [
        ("sphere seed=3", "seed has nothing to draw: add noise=σ or batch=B (sparse=k draws nothing)"),
        ("sphere noise=-1", "noise is a standard deviation, at least 0; got '-1'"),
        ("sphere sparse=0", "sparse needs a whole number of at least 1, got '0'"),
        ("sphere noise=1 seed=-2", "seed needs a whole number from 0 to 2⁶⁴ − 1, got '-2'"),
        ("sphere batch=4", "unexpected 'batch=4' for sphere; valid: noise, sparse, seed"),
    ])
    func badModifiersAreNamed(text: String, message: String) {
        do {
            let parsed = try Objective.parse(text)
            Issue.record("'\(text)' parsed as \(parsed.description)")
        } catch let error as CoreError {
            #expect(error.message == message)
        } catch { Issue.record("\(error)") }
    }

    @Test func theObjectiveReadsBackAsTyped() throws {
        let o = try Objective.parse("quadratic c=1,1 noise=0.5 sparse=10 seed=3")
        #expect(o.description == "quadratic c=1.0,1.0 noise=0.5 sparse=10 seed=3")
        #expect(try Objective.parse("sphere sparse=4").description == "sphere sparse=4")
        #expect(try Objective.parse(o.description) == o)
    }
}
