// Every optimizer against the traces recorded from PyTorch, Optax, Keras and pytorch_optimizer.

import AdamLabCore
import Foundation
import Testing

/// One reference file in Fixtures/ (copied from the shared reference traces).
struct ReferenceTrace: Sendable, CustomTestStringConvertible {
    let file: String
    var testDescription: String { file }

    static let all: [ReferenceTrace] = {
        let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { ReferenceTrace(file: $0) }
    }()

    func load() throws -> [String: Any] {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(file)
        return try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// The library's keyword arguments as an adamlab spec, with the convention named by the source.
    static func spec(from json: [String: Any]) throws -> OptimizerSpec {
        let optimizer = json["optimizer"] as! [String: Any]
        let source = json["source"] as! String
        let convention =
            source.hasPrefix("torch")
            ? "pytorch"
            : source.hasPrefix("optax")
                ? "optax"
                : source.hasPrefix("keras") ? "keras" : "paper"
        var words = [optimizer["name"] as! String, "convention=\(convention)"]
        for (key, value) in optimizer.sorted(by: { $0.key < $1.key }) where key != "name" {
            if let pair = value as? [Double] {
                words.append("\(key)=\(pair.map { "\($0)" }.joined(separator: ","))")
            } else if ["amsgrad", "centered", "nesterov"].contains(key) {
                words.append("\(key)=\((value as! Bool) ? "on" : "off")")
            } else {
                words.append("\(key)=\(value)")
            }
        }
        return try OptimizerSpec.parse(words.joined(separator: " "))
    }

    static func objective(from json: [String: Any]) throws -> Objective {
        let o = json["objective"] as! [String: Any]
        var words = [o["name"] as! String]
        for (key, value) in o.sorted(by: { $0.key < $1.key }) where key != "name" {
            if let list = value as? [Double] {
                words.append("\(key)=\(list.map { "\($0)" }.joined(separator: ","))")
            } else {
                words.append("\(key)=\(value)")
            }
        }
        return try Objective.parse(words.joined(separator: " "))
    }
}

/// |a − b| ≤ rel·|b|, or both within `absolute` of zero.
func close(_ a: Double, _ b: Double, relative: Double, absolute: Double = 1e-300) -> Bool {
    if a == b { return true }
    return abs(a - b) <= max(relative * abs(b), absolute)
}

/// The fixtures are all there: the trace test below would pass over an empty folder.
@Test func everyReferenceTraceIsPresent() {
    #expect(
        ReferenceTrace.all.map(\.file) == [
            "adabelief-rosenbrock.json", "adadelta-sphere.json", "adagrad-rosenbrock.json", "adam-rosenbrock.json",
            "adam-sphere.json",
            "adamax-ackley.json", "adamax-rosenbrock.json", "adamw-rosenbrock.json", "amsgrad-rastrigin.json",
            "keras-adam-rosenbrock.json", "momentum-rosenbrock.json", "nadam-rosenbrock.json",
            "nesterov-rosenbrock.json",
            "optax-adam-epsroot-beale.json", "optax-adamax-himmelblau.json", "radam-rosenbrock.json",
            "rmsprop-centered-rastrigin.json", "rmsprop-rosenbrock.json", "sgd-quadratic.json",
        ])
}

@Test("reproduces the reference trace", arguments: ReferenceTrace.all)
func reproducesReferenceTrace(_ fixture: ReferenceTrace) throws {
    let json = try fixture.load()
    let spec = try ReferenceTrace.spec(from: json)
    let objective = try ReferenceTrace.objective(from: json)
    var run = try Run<Double>(spec: spec, objective: objective, start: json["start"] as! [Double])
    let trace = json["trace"] as! [[String: Any]]
    #expect(trace.count >= 60)
    for expected in trace {
        let t = expected["t"] as! Int
        let record = try run.step()
        #expect(record.t == t)
        for (name, value) in expected where name != "t" {
            let quantity = try #require(Quantity(rawValue: name), "\(fixture.file): unknown quantity \(name)")
            let want = (value as? [Double]) ?? [value as! Double]
            let got = try #require(record[quantity], "\(fixture.file) step \(t): no \(name)")
            #expect(got.count == want.count)
            for (i, (g, w)) in zip(got, want).enumerated() {
                #expect(close(g, w, relative: 1e-12), "\(fixture.file) step \(t) \(name)[\(i)]: \(g) vs reference \(w)")
            }
        }
    }
    let checkpoints = (json["checkpoints"] as! [[String: Any]]).sorted { ($0["t"] as! Int) < ($1["t"] as! Int) }
    var replay = try Run<Double>(spec: spec, objective: objective, start: json["start"] as! [Double])
    for checkpoint in checkpoints {
        let t = checkpoint["t"] as! Int
        try replay.advance(steps: t - replay.t)
        for (i, (g, w)) in zip(replay.theta, checkpoint["theta"] as! [Double]).enumerated() {
            #expect(close(g, w, relative: 1e-9), "\(fixture.file) checkpoint \(t) theta[\(i)]: \(g) vs \(w)")
        }
        guard let loss = checkpoint["loss"] as? Double else { continue }  // Optax and Keras traces record θ only
        #expect(
            close(replay.loss, loss, relative: 1e-9, absolute: 1e-18),
            "\(fixture.file) checkpoint \(t) loss: \(replay.loss) vs \(loss)")
    }
    try run.advance(steps: (json["steps"] as! Int) - run.t)
    for (i, (g, w)) in zip(run.theta, json["final"] as! [Double]).enumerated() {
        #expect(close(g, w, relative: 1e-9), "\(fixture.file) final[\(i)]: \(g) vs \(w)")
    }
}
