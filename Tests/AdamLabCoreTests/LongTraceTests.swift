// Long runs against torch.optim, Optax, Keras and pytorch_optimizer, bit for bit: every step's θ for
// 3,000 steps on smooth and chaotic objectives (the fixtures are written by tools/reference/*_traces.py).

import AdamLabCore
import Foundation
import Testing

struct LongTrace: Sendable, CustomTestStringConvertible {
    let file: String
    var testDescription: String { file }

    static let folder = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("long")

    static let all: [LongTrace] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { LongTrace(file: $0) }
    }()

    /// The spec, objective, start, every step's θ, and the step from which torch's libm was off.
    func load() throws -> (
        spec: OptimizerSpec, objective: Objective, start: [Double], thetas: [[Double]], libmStep: Int?
    ) {
        let json = try JSONValue.read(LongTrace.folder.appendingPathComponent(file))
        var spec = json["adamlab"]!.string!
        // The single-tensor path is the only one adamlab has: its spec says nothing.
        spec = spec.replacingOccurrences(of: " impl=single", with: "")
        // 16 hex digits per double, 8 per float (each float read exactly as a double).
        let float32 = spec.contains("dtype=float32")
        let digits = float32 ? 8 : 16
        let thetas = json["theta"]!.array!.map { row -> [Double] in
            let chars = Array(row.string!)
            return stride(from: 0, to: chars.count, by: digits).map {
                let bits = UInt64(String(chars[$0..<$0 + digits]), radix: 16)!
                return float32 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
            }
        }
        return (
            try OptimizerSpec.parse(spec), try Objective.parse(json["objective"]!.string!),
            json["start"]!.doubles!, thetas, json["libm_step"]?.int
        )
    }
}

@Suite("long runs, bit for bit")
struct LongTraceTests {
    @Test func thereAreLongTraces() {
        #expect(LongTrace.all.count >= 180)
        #expect(LongTrace.all.filter { $0.file.hasSuffix("-float32.json") }.count >= 39)
    }

    /// Steps until θ first differs from torch's in a bit, and until it differs by more than 1e-12
    /// relative (1e-4, about a thousand ulps, in float32; nil: never, in 3,000 steps).
    static func compare(_ trace: LongTrace) throws -> (bits: Int?, close: Int?, libm: Int?, steps: Int) {
        let (spec, objective, start, thetas, libm) = try trace.load()
        func follow<T: Scalar>(_: T.Type, relative: Double) throws -> (Int?, Int?) {
            var run = try Run<T>(spec: spec, objective: objective, start: start)
            var bits: Int?, near: Int?
            for (k, want) in thetas.enumerated() {
                try run.advance(steps: 1)
                let got = run.theta.map { Double($0) }
                if bits == nil, got.map(\.bitPattern) != want.map(\.bitPattern) { bits = k + 1 }
                if near == nil, zip(got, want).contains(where: { !close($0, $1, relative: relative) }) {
                    near = k + 1
                    break
                }
            }
            return (bits, near)
        }
        let (bits, near) =
            spec.hyper.dtype == .float32
            ? try follow(Float.self, relative: 1e-4) : try follow(Double.self, relative: 1e-12)
        return (bits, near, libm, thetas.count)
    }

    /// Every step bit for bit; where torch's sqrt or cos was an ulp off the correctly rounded value (the
    /// fixture names the step), bit for bit until that step, and to 1e-12 for at least 50 steps after
    /// the first difference.
    @Test(arguments: LongTrace.all)
    func everyStepBitForBit(_ trace: LongTrace) throws {
        let (bits, near, libm, steps) = try LongTraceTests.compare(trace)
        #expect(steps >= 3000)
        guard let bits else { return }
        let limit = try #require(libm, "\(trace.file): θ first differs at step \(bits), and torch's libm was exact")
        #expect(limit <= bits, "\(trace.file): θ differs at step \(bits), before torch's libm was off (\(limit))")
        #expect((near ?? Int.max) >= min(bits + 50, steps), "\(trace.file): parts by 1e-12 at step \(near ?? 0)")
    }
}

/// The table the README quotes: which runs part from the library's own run, and at which step (the
/// first step whose θ differs in a bit). Every other run agrees in every bit for all its steps.
@Test func longTraceSummary() throws {
    let parting: [String: Int] = [
        "adabelief-adabelief-ackley.json": 577, "adabelief-fixed-decay-beale.json": 129,
        "adabelief-l2-rosenbrock.json": 632,
        "torch-adadelta-beale-single-float32.json": 245, "torch-adadelta-beale-single.json": 659,
        "torch-adadelta-maximize-himmelblau-single.json": 164,
        "torch-adadelta-rosenbrock-single-float32.json": 591, "torch-adadelta-rosenbrock-single.json": 1167,
        "torch-adagrad-rosenbrock-single.json": 1038, "torch-adam-beale-single.json": 119,
        "torch-adam-decoupled-quadratic11-single.json": 68,
        "torch-adam-rosenbrock-single.json": 588, "torch-adamw-rosenbrock-single.json": 656,
        "torch-nadam-decoupled-quadratic11-foreach.json": 15, "torch-nadam-decoupled-quadratic11-single.json": 45,
        "torch-nadam-rosenbrock-single-float32.json": 473, "torch-radam-beale-foreach.json": 1051,
        "torch-radam-beale-single.json": 907,
        "torch-radam-decoupled-quadratic11-foreach.json": 72, "torch-radam-decoupled-quadratic11-single.json": 54,
        "torch-radam-quadratic33-foreach.json": 13, "torch-radam-quadratic33-single.json": 80,
        "torch-rmsprop-beale-single.json": 1740, "torch-rmsprop-centered-rastrigin-single.json": 1000,
        "torch-rmsprop-rosenbrock-single-float32.json": 696,
    ]
    var allBits = 0
    for trace in LongTrace.all {
        let (bits, _, _, _) = try LongTraceTests.compare(trace)
        #expect(
            bits.map { $0 - 1 } == parting[trace.file],
            "\(trace.file): every bit until \(bits.map { "\($0 - 1)" } ?? "the end")")
        if bits == nil { allBits += 1 }
    }
    #expect(allBits == LongTrace.all.count - parting.count)
    // Every fused kernel's run, float32 included, in every bit; and every run whose square roots torch
    // was made to take correctly rounded (the runs above part only where torch's own sqrt is off).
    #expect(parting.keys.allSatisfy { !$0.contains("fused") && !$0.contains("exactsqrt") })
    #expect(LongTrace.all.filter { $0.file.contains("exactsqrt") }.count >= 23)
}

/// The lr of every step under StepLR, CosineAnnealingLR and LinearLR, as torch.optim.lr_scheduler set it
/// (the fixtures' `lr`), in every bit over 3,000 steps; and the θ of those runs (above) with them.
@Test func schedulesGiveTorchsLearningRatesInEveryBit() throws {
    let scheduled = LongTrace.all.filter {
        $0.file.contains("steplr") || $0.file.contains("cosine") || $0.file.contains("linear")
    }
    #expect(scheduled.count >= 12)
    for trace in scheduled {
        let json = try JSONValue.read(LongTrace.folder.appendingPathComponent(trace.file))
        let torch = json["lr"]!.array!.map { Double(bitPattern: UInt64($0.string!, radix: 16)!) }
        let spec = try OptimizerSpec.parse(json["adamlab"]!.string!)
        var previous: Double?
        var mine: [Double] = []
        for t in 1...torch.count {
            let lr = spec.hyper.scheduledLR(at: t, previous: previous)
            mine.append(lr)
            previous = lr
        }
        let first = Array(zip(mine, torch)).firstIndex { $0.bitPattern != $1.bitPattern }
        #expect(first == nil, "\(trace.file): lr differs from torch's first at step \((first ?? 0) + 1)")
    }
}
