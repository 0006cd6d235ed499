// Every REPL command, driven in-process through the scripted reader.

import AdamLabCore
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

/// Text with each folded line read whole: a line that starts with spaces continues the one before.
func unfolded(_ text: String) -> String {
    text.replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
}

/// Runs `lines` as a script and returns the output and the exit.
func transcript(
    _ lines: [String], keepGoing: Bool = true, files: [String: String] = [:], style: Style = Style(),
    stopLongRuns: Bool = false
) -> (String, REPLExit) {
    var out: [String] = []
    let terminal = TerminalOutput(style: style, write: { out.append($0) })
    let session = Session(
        terminal: terminal,
        readFile: { path in
            guard let text = files[path] else { throw CoreError("no such file") }
            return text
        })
    if stopLongRuns { session.shouldStop = { true } }
    session.writeFile = { path, _ in throw FileError(path: path, reason: "not written in tests") }
    var repl = REPL(session: session, terminal: terminal, keepGoing: keepGoing)
    var reader = ScriptedReader(lines)
    let exit = repl.run(reader: &reader)
    return (out.joined(separator: "\n"), exit)
}

func session(_ lines: [String]) throws -> Session {
    let s = Session(write: { _ in })
    for line in lines { try s.execute(line) }
    return s
}

@Suite("REPL commands")
struct SessionTests {
    @Test func stepShowsEveryQuantityOfAdamsFirstStep() throws {
        let (text, exit) = transcript(["objective sphere", "start 3,4", "use adam lr=0.1", "step"])
        #expect(exit == .ok)
        for column in ["gₜ", "mₜ", "vₜ", "m̂ₜ", "v̂ₜ", "Δθ", "θₜ"] { #expect(text.contains(column), "missing \(column)") }
        // m̂₁ = g₁ = (6, 8) and v̂₁ = g₁² = (36, 64): the first step's bias correction is exact.
        #expect(text.contains("0 │  6  0.6  0.036   6  36  -0.1  2.9"))
        #expect(text.contains("α₁ = 0.0316228"))
    }

    @Test func ownStateColumns() {
        #expect(transcript(["use adamax convention=pytorch", "step"]).0.contains("uₜ"))
        // The raw running maximum of v (torch's max_exp_avg_sq), headed as what it is: not a v̂.
        #expect(transcript(["use adam amsgrad=on", "step"]).0.contains("vₘₐₓ"))
        #expect(!transcript(["use adam amsgrad=on", "step"]).0.contains("v̂ₘₐₓ"))
        #expect(transcript(["use adabelief ams_bound=on", "step"]).0.contains("sₘₐₓ"))
        #expect(transcript(["use rmsprop centered=on momentum=0.9", "step"]).0.contains("E[g]ₜ"))
    }

    @Test func backRewindsExactly() throws {
        let s = try session([
            "use adam lr=0.1 convention=pytorch", "objective rosenbrock", "start 5,0", "step 5", "set lr=0.05",
            "grad 1,2", "step 3", "run 50",
        ])
        let thetaAt8 = try session([
            "use adam lr=0.1 convention=pytorch", "objective rosenbrock", "start 5,0", "step 5", "set lr=0.05",
            "grad 1,2", "step 3",
        ]).run
        try s.execute("back 50")
        #expect(s.run == thetaAt8)
        #expect(s.spec.hyper.lr == 0.05)
        try s.execute("back 3")
        #expect(s.run.t == 5 && s.spec.hyper.lr == 0.05)  // the set happened at t = 5 and stays
        try s.execute("back 1")
        #expect(s.spec.hyper.lr == 0.1)
        let five = try session(["use adam lr=0.1 convention=pytorch", "objective rosenbrock", "start 5,0", "step 4"])
            .run
        #expect(s.run == five)
    }

    @Test func resetGoesToTheStart() throws {
        let s = try session(["step 3", "reset"])
        #expect(s.run.t == 0 && s.run.theta == [3, 4])
    }

    @Test func typedGradientIsUsedOnce() throws {
        let s = try session(["use sgd lr=0.5", "grad 1,-2", "step", "step"])
        #expect(s.history[0].vectors[.g] == [1, -2])
        #expect(s.history[1].vectors[.g] == [2 * 2.5, 2 * 5])
    }

    @Test func explainPutsTheNumbersIn() {
        let (text, _) = transcript([
            "use adam lr=0.1", "step 3", "explain m_hat", "explain v", "explain lr_t", "explain theta_next",
        ])
        #expect(text.contains("m̂₃ = m₃ / (1 − β₁³)"))
        #expect(text.contains("/ 0.271 = "))
        #expect(text.contains("v₃ = β₂·v₂ + (1 − β₂)·g₃²"))
        #expect(text.contains("α₃ = lr·√(1 − β₂³)/(1 − β₁³)"))
    }

    @Test(arguments: OptimizerKind.allCases)
    func explainWorksForEveryQuantityOfEveryOptimizer(_ kind: OptimizerKind) throws {
        let s = try session(["use \(kind.rawValue)", "step 7"])
        let record = try #require(s.lastRecord)
        let style = Style()
        for q in record.quantities {
            let out = try s.execute("explain \(q.machineName)").map(TerminalRenderer(style: style).render).joined(
                separator: "\n")
            #expect(!out.isEmpty, "\(kind) \(q)")
            // Each coordinate's line has this step's own value of the quantity in it.
            if let values = record.vectors[q] {
                // A coordinate's line folds at the width, its continuation indented: read it whole.
                let lines = unfolded(out).components(separatedBy: "\n").filter { $0.hasPrefix("[") }
                #expect(lines.count == values.count, "\(kind) \(q): \(out)")
                for (line, x) in zip(lines, values) {
                    let shown = style.number(x)
                    #expect(
                        line.contains(x < 0 ? "(\(shown))" : shown) || line.hasSuffix(shown),
                        "\(kind) \(q): \(line) lacks \(shown)")
                }
            }
        }
    }

    @Test func checkUsesTheTypedDigits() {
        // From (3, 4) with lr 0.1: m̂₃ = (5.78605, 7.78603).
        let (text, _) = transcript([
            "use adam lr=0.1", "step 3", "check m_hat 5.7,7.7", "check m_hat 5.79,7.79", "check m_hat 6,8 tol=0.3",
        ])
        #expect(text.contains("✗ not right: m̂₃[0] is 5.78605; you typed 5.7"))
        #expect(text.contains("✓ right: m̂₃[1] is 7.78603; you typed 7.79"))
        #expect(text.contains("±0.005 from the digits typed"))
        #expect(text.contains("✓ right: m̂₃[0] is 5.78605; you typed 6"))
        #expect(text.contains("tol 0.3"))
    }

    @Test func compareAndConventions() {
        let (text, _) = transcript([
            "objective quadratic c=1,5", "start 1,1", "compare adam lr=0.1 sgd lr=0.05 sgd lr=1 steps=500", "step",
            "conventions",
        ])
        #expect(text.contains("adam lr=0.1"))
        #expect(text.contains("diverged at"))
        #expect(text.contains("keras"))
        #expect(text.contains("optax"))
    }

    @Test func showVariants() {
        let (text, _) = transcript([
            "step 2", "show m_hat lr_t", "show state", "show spec", "show history loss", "show",
        ])
        #expect(text.contains("α₂ ="))  // lr_t as a scalar line
        #expect(text.contains("optimizer  adam"))
        #expect(text.contains("t │"))
    }

    @Test func longVectorsAreSummarised() throws {
        let (text, _) = transcript(["objective sphere", "start 1,2,3,4,5,6,7,8,9,10", "step", "show g"])
        #expect(text.contains("‖·‖₂"))
        #expect(text.contains("10 coordinates"))
        #expect(text.contains("9 │ 20"))  // `show g` lists every coordinate
    }

    @Test func runStopsWhenAsked() throws {
        let s = try session([])
        var calls = 0
        s.shouldStop = {
            calls += 1
            return calls > 3
        }
        try s.execute("run 1000000")
        #expect(s.run.t < 1_000_000 && s.run.t > 0)
        #expect(s.lastRecord?.t == s.run.t)  // consistent: the last record is the current step
    }

    @Test func divergenceLeavesTheSessionAtTheLastGoodStep() throws {
        let s = try session(["use sgd lr=10", "objective quadratic c=1,5"])
        #expect(throws: SessionError.self) { try s.execute("run 100000") }
        #expect(s.run.theta.allSatisfy { $0.isFinite })
        #expect(s.run.t > 0)
    }

    @Test func sourceRunsAFile() {
        let (text, exit) = transcript(
            ["source lesson.txt", "show spec"], files: ["lesson.txt": "use rmsprop\n# comment\nstep\n"])
        #expect(exit == .ok)
        #expect(text.contains("› use rmsprop"))
        #expect(text.contains("optimizer  rmsprop"))
        let (bad, badExit) = transcript(["source broken.txt"], files: ["broken.txt": "step\nstpe\n"])
        #expect(badExit == .commandFailed)
        #expect(bad.contains("broken.txt:2: unknown command 'stpe'"))
    }

    @Test func helpListsEveryCommand() {
        let (text, _) = transcript(["help", "help check", "help m_hat", "help adamax"])
        for name in Command.names { #expect(text.contains(name)) }
        #expect(text.contains("example: check v_hat"))
    }

    @Test func asciiMode() {
        let (text, _) = transcript(["step", "explain m_hat"], style: Style(unicode: false))
        #expect(!text.contains("β") && !text.contains("│"))
        #expect(text.contains("m_hat"))
    }

    @Test func completion() throws {
        let s = try session([])
        #expect(s.completions(before: "", word: "st") == ["start", "step"])
        #expect(s.completions(before: "use ", word: "ad").contains("adamax"))
        #expect(s.completions(before: "use adam ", word: "be") == ["beta1=", "beta2="])
        #expect(s.completions(before: "show ", word: "m_") == ["m_hat"])
        #expect(s.completions(before: "objective ", word: "ros") == ["rosenbrock"])
        #expect(s.completions(before: "set ", word: "ams") == ["amsgrad="])
        #expect(s.completions(before: "check ", word: "inf") == ["infinity_norm"])
        #expect(s.completions(before: "predict m_hat ", word: "v_") == ["v_hat", "v_max"])
    }

    @Test func promptShowsWhereYouAre() throws {
        let s = try session(["use rmsprop", "step 2"])
        #expect(TerminalOutput(style: Style(), write: { _ in }).prompt(for: s) == "rmsprop t=2 › ")
        #expect(TerminalOutput(style: Style(unicode: false), write: { _ in }).prompt(for: s) == "rmsprop t=2> ")
    }
}

@Suite("bad input")
struct BadInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String, message: String, caret: String
        var testDescription: String { line }
    }

    @Test(arguments: [
        Case(line: "stpe", message: "did you mean 'step'", caret: "  ^^^^"),
        Case(line: "use adma", message: "did you mean 'adam'", caret: "      ^^^^"),
        Case(line: "use adam betta1=0.9", message: "did you mean 'beta1'", caret: "           ^^^^^^^^^^"),
        Case(line: "set lr=abc", message: "lr needs a number", caret: "      ^^^^^^"),
        Case(line: "step many", message: "whole number", caret: "       ^^^^"),
        Case(line: "start 1,x", message: "numbers separated by commas", caret: "        ^^^"),
        Case(line: "start    1,x", message: "numbers separated by commas", caret: "           ^^^"),
        Case(
            line: "compare adam   sgd  lr=-1", message: "lr=-1: must be positive", caret: "                      ^^^^^"),
        Case(line: "use adamax eps=1e-8", message: "AdaMax paper has no ε", caret: "             ^^^^^^^^"),
        Case(line: "objective f(x,y) = x^^2", message: "unexpected '^'", caret: "                       ^"),
        Case(line: "explain m_hta", message: "did you mean 'm_hat'", caret: ""),
        Case(line: "check m_hat abc", message: "not a number", caret: ""),
        Case(line: "grad 1", message: "θ has 2 coordinates", caret: ""),
        Case(line: "precision 99", message: "1 to 17", caret: ""),
    ])
    func errorsNameTheProblemAndLeaveTheSessionAlone(_ c: Case) throws {
        let (text, exit) = transcript(["objective sphere", "step", c.line], keepGoing: false)
        #expect(exit == .commandFailed)
        #expect(text.contains(c.message), "\(text)")
        if !c.caret.isEmpty { #expect(text.contains("\n" + c.caret + "\n"), "\(text)") }
        let s = try session(["objective sphere", "step"])
        let before = s.run
        _ = try? s.execute(c.line)
        #expect(s.run == before)
    }

    @Test func scriptStopsAtTheFirstErrorUnlessKeepGoing() {
        let (stopped, a) = transcript(["stpe", "step"], keepGoing: false)
        #expect(a == .commandFailed && !stopped.contains("t = 1"))
        let (went, b) = transcript(["stpe", "step"], keepGoing: true)
        #expect(b == .commandFailed && went.contains("t = 1"))
    }

    @Test func strangeInputNeverCrashes() {
        var rng = SplitMix64(seed: 3)
        let alphabet = Array(
            "use step run back set grad show explain check compare objective start f(x,y)=^*/+-,.0123456789e βm̂ \u{0}\t="
        )
        for _ in 0..<300 {
            let line = String(
                (0..<Int.random(in: 0...60, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let (text, _) = transcript(["objective sphere", line, "step"], keepGoing: true, stopLongRuns: true)
            // Whatever the line did, an error is one plain line, and the session still takes the next step.
            let lines = text.components(separatedBy: "\n")
            for error in lines.filter({ $0.hasPrefix("error: ") }) {
                #expect(error.count > 10 && !error.contains("Error Domain") && !error.contains("Swift."), "\(error)")
            }
            let afterStep = lines.reversed().prefix { $0 != "› step" }.reversed()
            #expect(
                afterStep.first?.hasPrefix("t = ") == true || afterStep.first?.hasPrefix("error: ") == true,
                "\(line.debugDescription): \(text.suffix(300))")
        }
        let (long, _) = transcript([String(repeating: "x", count: 100_000)])
        #expect(long.contains("error: unknown command"), "\(long.suffix(200))")
        let (deep, _) = transcript(["objective f(x) = " + String(repeating: "(", count: 3000) + "x"])
        #expect(deep.contains("error: ") && deep.contains("deep"), "\(deep.suffix(300))")
        let (text, _) = transcript(["run 20000", "back 19999", "show state"])
        #expect(text.contains("t = 1 "))
    }

    @Test func float32ComputesEveryOperationInSinglePrecision() throws {
        // numpy float32, step by step (m = β₁m + (1−β₁)g with 1−β₁ rounded from the double 0.1, as
        // the libraries pass it): Adam lr 0.1 on the sphere from (3, 4), steps 1 and 2.
        let s = try session(["use adam lr=0.1 dtype=float32", "step"])
        let first = try #require(s.lastRecord)
        #expect(first.vectors[.m] == [0.6000000238418579, 0.800000011920929])
        #expect(first.vectors[.v] == [0.036000002175569534, 0.06400000303983688])
        #expect(first.vectors[.update] == [-0.10000000149011612, -0.10000000149011612])
        #expect(first.vectors[.thetaNext] == [2.9000000953674316, 3.9000000953674316])
        try s.execute("step")
        let second = try #require(s.lastRecord)
        #expect(second.vectors[.m] == [1.1200001239776611, 1.5])
        #expect(second.vectors[.v] == [0.06960400938987732, 0.12477600574493408])
        #expect(second.vectors[.update] == [-0.09989731013774872, -0.09992600977420807])
        // `back` replays in float32 too: the same bits again.
        try s.execute("back")
        try s.execute("step")
        #expect(s.lastRecord == second)
        let (text, _) = transcript(["use adam lr=0.1 dtype=float32", "set dtype=float64", "use sgd dtype=half"])
        #expect(text.contains("eps_root=0.0 convention=paper\n  dtype=float32\n"), "\(text)")
        #expect(text.contains("error: set cannot change the dtype; use `use adam dtype=float64` (it starts again)"))
        #expect(text.contains("error: dtype is float64 or float32, got 'half'"))
        // Double runs do not mention the dtype they have by default.
        #expect(!transcript(["use adam"]).0.contains("dtype"))
    }

    @Test func hugeGradientsHaveAFiniteNormAndLongHistoriesEndOnce() {
        // GD lr 0.001 on Rosenbrock from (3, 0): at t = 5, θ = (−3.16709e55, 3.68777e36), so ∂f/∂x ≈ 400·x³
        // = 1.2707e169 (by hand); its square overflows, the norm does not.
        let (gd, _) = transcript(["objective rosenbrock", "start 3,0", "use sgd lr=0.001", "step 3", "run 2"])
        #expect(gd.contains("t = 5   f(θ) = 1.0061e+224   ‖∇f‖ = 1.2707e+169"), "\(gd)")
        let (h, _) = transcript([
            "objective f(x,y) = x + y", "use momentum lr=0.01", "run 99", "step", "show history buf",
        ])
        #expect(h.components(separatedBy: "\n100 │").count == 2, "\(h)")
    }

    @Test func implChoosesPyTorchsCodePath() {
        let (text, _) = transcript([
            "use radam impl=foreach", "use radam convention=pytorch impl=fused",
            "use radam convention=pytorch impl=many",
            "use radam convention=pytorch impl=foreach",
        ])
        #expect(text.contains("error: impl chooses between PyTorch's code paths; add convention=pytorch"), "\(text)")
        #expect(
            text.contains(
                "error: torch has fused kernels for Adam, AdamW, SGD and Adagrad only; use impl=single or foreach with radam"
            ), "\(text)")
        #expect(text.contains("error: impl is single, foreach or fused, got 'many'"))
        // The spec the session took says so on its `using` lines (the echo of the command does not count).
        let using = text.components(separatedBy: "\n").drop {
            !$0.hasPrefix("› use radam convention=pytorch impl=foreach")
        }
        .dropFirst().prefix(2).joined(separator: "\n")
        #expect(using.hasPrefix("using radam ") && using.contains("impl=foreach"), "\(using)")
        // RAdam's first step in torch's foreach path is θ + m·(−lr/(1 − β₁)), one fused multiply-add: on
        // Rosenbrock from (−1.5, 2), x goes to 0x1.9999999999999p+0 (torch 2.13), the single-tensor path
        // to 0x1.999999999999ap+0.
        var foreach = try! Run<Double>(
            spec: try! OptimizerSpec.parse("radam lr=0.02 convention=pytorch impl=foreach"),
            objective: .rosenbrock(a: 1, b: 100), start: [-1.5, 2])
        var single = try! Run<Double>(
            spec: try! OptimizerSpec.parse("radam lr=0.02 convention=pytorch"),
            objective: .rosenbrock(a: 1, b: 100), start: [-1.5, 2])
        _ = try! foreach.step()
        _ = try! single.step()
        #expect(foreach.theta[0] == Double("0x1.9999999999999p+0")!)
        #expect(single.theta[0] == Double("0x1.999999999999ap+0")!)
    }

    /// torch 2.13's fused Adam and SGD on Rosenbrock from (−1.5, 2) part from the single-tensor path at
    /// step 3: Adam's v[1] (and so y), SGD's momentum buffer (values printed by torch, fused=True and
    /// foreach=False).
    @Test func fusedKernelsRoundWhereTorchsDo() throws {
        func run(_ spec: String, _ steps: Int) throws -> Run<Double> {
            var r = try Run<Double>(
                spec: try OptimizerSpec.parse(spec), objective: .rosenbrock(a: 1, b: 100), start: [-1.5, 2])
            try r.advance(steps: steps)
            return r
        }
        let fused = try run("adam lr=0.02 convention=pytorch impl=fused", 3)
        let single = try run("adam lr=0.02 convention=pytorch", 3)
        #expect(fused.optimizer.state.vector(.v)?[1] == Double("0x1.006c507964903p+2")!)
        #expect(single.optimizer.state.vector(.v)?[1] == Double("0x1.006c507964904p+2")!)
        #expect(
            fused.theta.map { $0.bitPattern }
                == [Double("-0x1.713c8dcd4da73p+0")!, Double("0x1.075f9fca5c87cp+1")!].map(\.bitPattern))
        #expect(single.theta[1] == Double("0x1.075f9fca5c87bp+1")!)
        // The vector width is this CPU's unless given (8 or 4), said only where it is not this CPU's, and
        // refused without impl=fused.
        let detected = try OptimizerSpec.parse("adam convention=pytorch impl=fused")
        #expect([4, 8].contains(detected.hyper.lanes), "\(detected.hyper.lanes)")
        #expect(!detected.fullDescription.contains("lanes") && !detected.description.contains("lanes"))
        let named = try OptimizerSpec.parse("adam convention=pytorch impl=fused lanes=2")
        #expect(named.fullDescription.hasSuffix("impl=fused lanes=2") && named.description.contains("lanes=2"))
        let (text, _) = transcript([
            "use adam convention=pytorch lanes=4", "use adam convention=pytorch impl=fused lanes=3",
        ])
        #expect(text.contains("error: lanes is the fused kernel's vector width; add impl=fused"), "\(text)")
        #expect(text.contains("error: lanes=3: must be 1, 2, 4, 8 or 16"), "\(text)")
        let sgd = try run("sgd lr=0.0005 momentum=0.9 convention=pytorch impl=fused", 3)
        #expect(sgd.optimizer.state.vector(.buf)?[1] == Double("0x1.154887f3b183fp+2")!)
        #expect(
            try run("sgd lr=0.0005 momentum=0.9 convention=pytorch", 3).optimizer.state.vector(.buf)?[1] == Double(
                "0x1.154887f3b1840p+2")!)
    }
}

/// `step N` past what the history holds takes the steps as `run` does, yet keeps every step's gradient
/// and loss: the same θ, gradient log and loss curve, in every bit, as N single steps.
@Test func manyStepsKeepEveryGradientAsSingleStepsDo() throws {
    let start = "start " + (0..<5000).map { "\(1 + Double($0 % 9) * 0.5)" }.joined(separator: ",")
    let setup = ["objective sphere", start, "use adamax lr=0.01"]
    let many = try session(setup + ["step 300"])
    let single = try session(setup)
    for _ in 0..<300 { try single.execute("step") }
    #expect(many.run.t == 300 && many.run.theta == single.run.theta)
    #expect(many.gradientLog?.count == 300)
    #expect(many.gradientLog == single.gradientLog)
    #expect(many.lossLog == single.lossLog)
    // The reference computation over that log agrees with the recursion's u.
    let u = try many.evaluate(.quantity(.u, coordinate: 7)).expected
    #expect(try many.grade(AnswerExpression("infinity_norm[7]"), typed: parseTypedAnswer("\(u[0])")).verdict == .right)
}

/// `sweep`: one run per value of the grid (log-spaced here: 10⁻³, 10⁻², 10⁻¹), each the run that `use` and
/// `run` give for that value, the lowest final loss marked; a malformed sweep says what it needs.
@Test func sweepRunsTheGridAndMarksTheLowest() throws {
    var swept: Sweep?
    let s = Session(output: { if case .sweep(let w) = $0 { swept = w } })
    for line in ["objective rosenbrock", "start -1.5,2", "sweep adam lr=1e-3..1e-1 log points=3 steps=500"] {
        try s.execute(line)
    }
    let sweep = try #require(swept)
    #expect(sweep.rows.map(\.value).map { ($0 * 1e6).rounded() / 1e6 } == [0.001, 0.01, 0.1])
    for row in sweep.rows {
        let single = try session(["objective rosenbrock", "start -1.5,2", "use adam lr=\(row.value)", "run 500"])
        #expect(row.loss == single.run.loss, "lr=\(row.value)")
    }
    #expect(sweep.best == sweep.rows.indices.min { sweep.rows[$0].loss < sweep.rows[$1].loss })
    let text = TerminalRenderer(style: Style()).render(Output.sweep(sweep))
    #expect(text.hasPrefix("adam, lr swept, on rosenbrock a=1.0 b=100.0 from θ₀ = (-1.5, 2), 500 steps each"))
    #expect(text.contains("← lowest"))
    for (line, message) in [
        ("sweep adam", "sweep needs a range NAME=LO..HI, e.g. `sweep adam lr=1e-4..1 log`"),
        ("sweep adam lr=0..1 log", "a log sweep needs a range above 0"),
        ("sweep adam amsgrad=0..1", "adam has no numeric hyperparameter 'amsgrad' to sweep"),
    ] {
        do {
            _ = try Session().execute(line)
            Issue.record("\(line) was taken")
        } catch let e as SessionError { #expect(e.message == message) }
    }
}
