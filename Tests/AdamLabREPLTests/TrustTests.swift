// What a learner meets does what it says: comments, the step's own hyperparameters, typed numbers,
// long steps, divergence, the history's budget, ASCII, help and completion.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

@Suite("keys and commands")
struct KeysAndCommandsTests {
    /// A comment or a line of any whitespace but plain Enter takes no step, typed or in a script.
    @Test(arguments: ["# step", "   # a note", "\u{0C}", "\u{0B}", "\u{85}", "\u{2028}", " \u{0C} "])
    func commentsAndBlankLookingLinesDoNothing(_ line: String) throws {
        for interactive in [true, false] {
            var out: [String] = []
            let terminal = TerminalOutput(style: Style(), write: { out.append($0) })
            let session = Session(terminal: terminal)
            var repl = REPL(session: session, terminal: terminal, keepGoing: true)
            var reader = ScriptedReader([line], interactive: interactive)
            #expect(repl.run(reader: &reader) == .ok)
            #expect(
                session.run.t == 0, "\(line.unicodeScalars.map { $0.value }) took a step (interactive: \(interactive))")
            #expect(!out.joined().contains("error"))
        }
        #expect(try Command.parse(line) == .nothing)
    }

    /// `source` gives back what its commands gave, echoes included, so a lesson that sources a file shows it.
    @Test func sourceReturnsItsCommandsValues() throws {
        let s = Session(readFile: { _ in "step\nshow t\n" })
        let outputs = try s.collect("source f.txt")
        let text = outputs.map(TerminalRenderer(style: Style()).render).joined(separator: "\n")
        #expect(text.hasPrefix("› step\nt = 1   f(θ₀) = 25"), "\(text)")
        #expect(text.hasSuffix("› show t\nt = 1"))
    }

    @Test func trailingCommentsAreComments() throws {
        #expect(try Command.parse("show t # where am I") == .show(["t"]))
        #expect(try Command.parse("objective f(x) = x^2  # a bowl") == Command.parse("objective f(x) = x^2  "))
    }

    @Test func asciiNamesAreTheUnicodeNamesFolded() {
        let (text, _) = transcript(["step 2", "check m_hat 5.9,7.9"], style: Style(unicode: false))
        #expect(text.contains("right: m_hat_2[0] is 5.89474"), "\(text)")
        #expect(text.contains("t = 2   loss = 23.62   alpha_2 = 0.0235317"), "\(text)")
    }

    @Test func enterStillSteps() throws {
        #expect(try Command.parse("") == .repeatLast)
        let terminal = TerminalOutput(style: Style(), write: { _ in })
        var repl = REPL(session: Session(terminal: terminal), terminal: terminal)
        var reader = ScriptedReader([""], interactive: true)
        _ = repl.run(reader: &reader)
        #expect(repl.session.run.t == 1)
    }

    /// m₁ = 0.9·0 + 0.1·6 = 0.6 on x² + y² from (3, 4): the step was taken with β₁ = 0.9, whatever `set` did after.
    @Test func explainShowsTheHyperparametersTheStepWasTakenWith() {
        let (text, _) = transcript(["use adam lr=0.1", "step", "set beta1=0.5", "explain m"])
        #expect(text.contains("[0] m₁ = 0.9·0 + 0.1·6 = 0.6"), "\(text)")
        #expect(!text.contains("0.5·0"))
        let (next, _) = transcript(["use adam lr=0.1", "step", "set beta1=0.5", "step", "explain m"])
        #expect(next.contains("[0] m₂ = 0.5·0.6 + 0.5·5.8 = 3.2"), "\(next)")
    }

    @Test func conventionsRecomputeTheLastStepAsItWasTaken() throws {
        let (before, _) = transcript(["use adam lr=0.1", "step 2", "conventions"])
        let (after, _) = transcript(["use adam lr=0.1", "step 2", "set lr=0.5 beta1=0.5", "conventions"])
        let table = { (text: String) in
            text.components(separatedBy: "\n").filter { $0.hasPrefix("paper") || $0.hasPrefix("keras") }
        }
        #expect(table(before) == table(after) && table(before).count == 2)
        #expect(after.contains("the last step, 2, of adam lr=0.1 from the same state"))
        #expect(
            unfolded(after).contains(
                "(with the hyperparameters step 2 was taken with; `set` since then applies from step 3)"))
        let (fresh, _) = transcript(["conventions"])
        #expect(fresh.contains("the next step, 1,"))
    }

    @Test func longStepGetsTheProgressLineAndStops() throws {
        var shown: [String] = []
        var asked = 0
        let session = Session(write: { shown.append($0) })
        var progress: [RunProgress?] = []
        session.progress = { progress.append($0) }
        session.shouldStop = {
            // Stop once the progress line has been drawn (a quarter second in), whatever the speed.
            asked += 1
            return asked > 5 && progress.contains { $0 != nil }
        }
        // 2,000 coordinates: a million steps outlast a quarter second at any speed (steps past 20 are taken as
        // `run` takes them).
        try session.execute("objective sphere")
        try session.execute("start " + Array(repeating: "1", count: 2000).joined(separator: ","))
        try session.execute("step 1000000")
        #expect(session.run.t < 1_000_000 && session.run.t > 1000)
        #expect(shown.contains("stopped by Ctrl-C at t = \(session.run.t)"))
        #expect(
            shown.joined(separator: "\n").contains(
                "\ntook \(session.run.t) steps; the last is shown (`show history QUANTITY` for the rest)"))
        // The progress line was drawn and cleared at the end.
        #expect(progress.contains { $0?.target == 1_000_000 && ($0?.t ?? 0) > 0 })
        #expect(progress.last == .some(nil))
        #expect(
            TerminalRenderer(style: Style()).render(RunProgress(t: 5, target: 10, loss: 0.25))
                == "t = 5 / 10   f(θ) = 0.25")
    }

    @Test func checkDoesNotGlueNumbersTogether() {
        let (text, _) = transcript(["step", "check g 6 8"])
        #expect(
            text.contains("error: '6 8' has a space inside a number; separate coordinates with commas, e.g. 6,8"),
            "\(text)")
        let (spaced, _) = transcript(["step", "check g 6, 8"])
        #expect(spaced.contains("✓ right: g₁[0] is 6") && spaced.contains("✓ right: g₁[1] is 8"))
        let (minus, _) = transcript(["step", "check update \u{2212}0.1"])
        #expect(minus.contains("✓ right: Δθ[0] is -0.1; you typed −0.1"))
        let (comma, _) = transcript(["step", "check loss 0,6"])
        #expect(
            comma.contains(
                "error: this asks for one number; if you meant 0.6, write the decimal point as '.' (commas separate coordinates)"
            ))
    }

    @Test func checkToleranceIsTiedToTheValue() {
        // v̂₂[0] = 0.069604 / 0.001999 = 34.8194 (seed 004's Adam on x² + 5y² from (3, 4)).
        let (text, _) = transcript([
            "objective f(x,y) = x^2 + 5*y^2", "step 2", "check v_hat 0e2,1560", "check v_hat 34.8,1560",
            "check v_hat 35,1560",
        ])
        #expect(text.contains("✗ not right: v̂₂[0] is 34.8194; you typed 0e2"), "\(text)")
        #expect(
            text.contains(
                "✓ right: v̂₂[0] is 34.8194; you typed 34.8   (error 0.0194097, relative 0.000557439, ±0.05 from the digits typed)"
            ))
        #expect(
            text.contains(
                "✗ not right: v̂₂[0] is 34.8194; you typed 35   (error 0.18059, relative 0.00518648, ±0.174097, 0.5% of the value)"
            ))
        #expect(text.contains("  right to the 2 significant digits typed, but too coarse: give three"))
    }

    @Test func hugeStepCountIsAShortMessage() {
        let digits = String(repeating: "9", count: 3000)
        let (text, _) = transcript(["step " + digits])
        #expect(text.contains("error: at most 1000000 steps at once"))
        let caretLine = text.components(separatedBy: "\n").first { $0.contains("^") } ?? ""
        #expect(caretLine.filter { $0 == "^" }.count == 40)
    }
}

@Suite("divergence")
struct DivergenceTests {
    /// Rastrigin overflows at step 48 under sgd lr=1000 from (3, 4): run, step and trace all say so.
    @Test func namedAtTheStepItHappensWhateverIsRecorded() throws {
        let message = "error: diverged at step 48: f(θ) became +inf; stopped at t = 47"
        let (run, _) = transcript(["objective rastrigin", "use sgd lr=1000", "run 1000000"])
        let (step, _) = transcript(["objective rastrigin", "use sgd lr=1000", "step 200"])
        #expect(run.contains(message), "\(run)")
        #expect(step.contains(message), "\(step)")
        var fast = try Run<Double>(
            spec: try OptimizerSpec.parse("sgd lr=1000"), objective: try Objective.parse("rastrigin"), start: [3, 4])
        #expect { try fast.advance(steps: 100_000) } throws: { ($0 as? Divergence)?.t == 48 }
    }

    @Test func objectiveInfiniteAtTheStartStopsAtOnce() {
        let (text, _) = transcript(["objective f(x) = 1e308*1e308 + x", "run 1000000"])
        #expect(
            text.contains(
                "error: diverged at step 1: f(θ) became +inf; stopped at t = 0 (θ = (1)). f is not finite at θ₀; try another start"
            ), "\(text)")
    }

    @Test func leavingTheDomainIsNotBlamedOnTheLearningRate() {
        let (text, _) = transcript(["objective f(x) = log(x)", "start 1", "use sgd lr=10", "run 1000"])
        #expect(
            text.contains(
                "error: diverged at step 2: f(θ) became NaN; stopped at t = 1 (θ = (-9)). f is not defined at this θ"),
            "\(text)")
        #expect(!text.contains("smaller lr"))
    }
}

@Suite("history budget")
struct HistoryBudgetTests {
    /// 10⁵ coordinates, 50 recorded steps: the kept history stays within the stated budget, and `back`
    /// (which replays from θ₀) still lands on the same bits.
    @Test func historyStaysWithinItsBudget() throws {
        let s = Session(write: { _ in })
        try s.execute("start " + Array(repeating: "1", count: 100_000).joined(separator: ","))
        try s.execute("step 50")
        let kept = s.history.reduce(0) { $0 + $1.vectors.values.reduce($1.scalars.count) { $0 + $1.count } }
        #expect(kept <= Session.historyBudget)
        #expect(s.history.count >= 2)
        #expect(s.history.first?.t == 1 && s.history.last?.t == 50)
        let gradientsDropped = s.gradientLog == nil  // 50 × 10⁵ gradients exceed the budget: not kept
        #expect(gradientsDropped)
        let at50 = s.run.theta
        try s.execute("step")
        try s.execute("back")
        #expect(s.run.theta == at50)
        #expect(s.history.last?.t == 50)
    }

    @Test func shortHistoriesAreKeptWhole() throws {
        let s = try session(["step 300"])
        #expect(s.history.map(\.t) == Array(1...300))
        #expect((s.gradientLog?.count ?? 0) == 300)
    }
}

@Suite("ASCII, help and completion")
struct HelpAndCompletionTests {
    @Test func asciiFoldReadsWell() {
        #expect(asciiFold("Δθ = −lr·m̂₂/(√v̂₂ + ε)") == "delta_theta = -lr*m_hat_2/(sqrt(v_hat_2) + eps)")
        #expect(asciiFold("θ₀ = (3, 4), f(θ₀) = 25") == "theta_0 = (3, 4), f(theta_0) = 25")
        #expect(asciiFold("1 − β₁ᵗ") == "1 - beta1^t")
        #expect(asciiFold("‖∇f‖ ≤ 1e-06") == "||grad f|| <= 1e-06")
        #expect(asciiFold("θₜ₋₁") == "theta_(t-1)")
    }

    @Test func helpOnHyperparametersAndShortNames() {
        let (lr, _) = transcript(["help lr"])
        #expect(lr.contains("lr (hyperparameter): the learning rate α"), "\(lr)")
        #expect(!lr.contains("lr_t"))
        let (ams, _) = transcript(["help amsgrad"])
        #expect(ams.contains("amsgrad: short for `adam amsgrad=on`"))
        #expect(!ams.contains("grad'"))
        let (foo, _) = transcript(["set foo=1"])
        #expect(foo.contains("unknown hyperparameter 'foo' for adam; valid:"), "\(foo)")
        #expect(!foo.contains("did you mean"))
    }

    @Test func completionOffersWhatFitsThePlace() throws {
        let s = try session([])
        #expect(
            s.completions(before: "use adam ", word: "")
                == OptimizerSpec.applicable(to: .adam).map { $0.rawValue + "=" }.sorted())
        #expect(s.completions(before: "use adam convention=", word: "") == ["keras", "optax", "paper", "pytorch"])
        #expect(s.completions(before: "set amsgrad=", word: "o") == ["off", "on"])
        #expect(s.completions(before: "set lr=", word: "") == [])
        #expect(s.completions(before: "step ", word: "") == [])
        #expect(!s.completesFileNames(before: "step "))
        #expect(s.completesFileNames(before: "source "))
        // After plot, export and their first word.
        #expect(s.completions(before: "plot ", word: "pa") == ["path"])
        #expect(s.completions(before: "plot ", word: "m_") == ["m_hat"])
        #expect(s.completions(before: "plot ", word: "th") == ["theta", "theta_next"])
        #expect(s.completions(before: "plot loss ", word: "b") == ["blocks", "braille"])
        #expect(s.completions(before: "export ", word: "") == ["csv", "json", "svg"])
        #expect(s.completesFileNames(before: "export svg ") && !s.completesFileNames(before: "export "))
        #expect(s.completesFileNames(before: "objective linear-regression file="))
    }
}
