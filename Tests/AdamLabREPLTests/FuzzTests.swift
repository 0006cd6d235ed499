// Seeded fuzzing of the four parsers a learner's input reaches: commands (through the session),
// formulas, lessons and progress files. Small and deterministic; the libFuzzer targets in `fuzz/`
// run the same properties for millions of inputs outside CI.

import AdamLabCore
import AdamLabLessons
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabREPL
@testable import AdamLabRender

/// Random text made of pieces that mean something to a parser, and bytes that mean trouble.
func garble(_ pieces: [String], count: ClosedRange<Int>, using rng: inout SplitMix64) -> String {
    let noise = [
        "\u{0}", "\t", "\u{0C}", "\u{2028}", "\r\n", "\r", "−", "β₁", "\u{FFFD}", "💥", "e308", "-", "=", ",", " ", "(",
        ")", "[", "]", "{", "}", "$", "#",
    ]
    var out = ""
    for _ in 0..<Int.random(in: count, using: &rng) {
        out += Bool.random(using: &rng) ? pieces.randomElement(using: &rng)! : noise.randomElement(using: &rng)!
    }
    return out
}

@Suite("fuzz")
struct FuzzTests {
    static let commandPieces = [
        "use ", "set ", "step ", "run ", "back ", "reset", "grad ", "show ", "explain ", "check ", "compare ",
        "conventions",
        "objective ", "start ", "source ", "precision ", "help ", "history ", "adam", "adamax", "sgd", "rmsprop",
        "nadam",
        "lr=", "beta1=", "beta2=", "eps=", "betas=", "convention=", "pytorch", "keras", "optax", "amsgrad=on", "steps=",
        "tol=",
        "predict ", "plot ", "export ", "path", "loss", "svg ", "csv ", "skip", "off", "blocks", "plot=path",
        "scaled_update(", "infinity_norm", "lp_norm(", "bias_correction(", "beta1", "expected_m", "update_bound", ")",
        "[0]", "[",
        "m_hat", "v_hat", "u", "update", "0", "1", "-1", "0.5", "1e-8", "1e309", "99999999999999999999", "3,4", "nan",
        "inf",
        "rosenbrock", "sphere", "f(x,y) = ", "x^2", "log(x)", "sqrt(", "/0", "*", "linear-regression file=d.csv",
    ]

    /// Every command line either runs or fails with one located line, leaving the session as it was.
    @Test func commandsNeverCrashAndFailCleanly() throws {
        var rng = SplitMix64(seed: 7)
        let session = Session(
            readFile: { _ in throw FileError(path: "d.csv", reason: "no such file") }, write: { _ in })
        session.shouldStop = { true }  // long runs stop at once: this is about parsing, not speed
        var written = 0
        session.writeFile = { _, _ in written += 1 }  // `export` writes nothing to the disk here
        var failures = 0
        for _ in 0..<3000 {
            let line = garble(FuzzTests.commandPieces, count: 0...12, using: &rng)
            let (run, spec, t) = (session.run, session.spec, session.run.t)
            do {
                try session.execute(line)
            } catch let e as SessionError {
                failures += 1
                #expect(!e.message.contains("\n"), "two lines for \(line.debugDescription): \(e.message)")
                if let column = e.span?.column {
                    #expect(column >= 1 && column <= line.count + 1, "\(line.debugDescription) → column \(column)")
                }
                #expect(
                    session.run == run && session.spec == spec && session.run.t == t,
                    "\(line.debugDescription) changed the session")
            } catch {
                Issue.record("\(line.debugDescription) threw \(type(of: error)): \(error)")
            }
            if session.run.theta.count > 8 { session.startAfresh() }
        }
        #expect(failures > 500)  // the generator does reach the error paths
    }

    @Test func formulasNeverCrash() {
        var rng = SplitMix64(seed: 11)
        let pieces = [
            "x", "y", "z", "+", "-", "*", "/", "^", "(", ")", "sqrt", "exp", "log", "sin", "cos", "tanh", "abs", "pi",
            "e", "2", "0.5", "1e308", ",",
        ]
        for _ in 0..<3000 {
            let text = "f(x,y) = " + garble(pieces, count: 0...20, using: &rng)
            do {
                let objective = try Objective.parse(text)
                _ = objective.valueAndGradient([0.5, -1.5])
            } catch let e as CoreError {
                #expect(!e.message.contains("\n"))
                if let column = e.span?.column {
                    #expect(column >= 1 && column <= text.count + 1, "\(text.debugDescription) → \(column)")
                }
            } catch {
                Issue.record("\(text.debugDescription) threw \(type(of: error))")
            }
        }
    }

    @Test func lessonsNeverCrashAndErrorsAreLocated() {
        var rng = SplitMix64(seed: 13)
        let pieces = [
            "---\n", "title: T\n", "id: t\n", "order: 1\n", "minutes: x\n", "```adamlab\n", "```expected\n",
            "```expected tolerance=1e-9\n",
            "```exercise\n", "```\n", "step\n", "use adam\n", "stpe\n", "id: a\n", "question: q?\n",
            "answer: m_hat[0]\n",
            "answer: scaled_update(0)\n", "hint: h\n", "tolerance: -1\n", "> ", ">>>>", "* ", "1. ", "$\\frac{a}{b}$",
            "$x_", "\\sqrt",
            "**", "_", "# H\n", "\n", "text ",
        ]
        for k in 0..<1500 {
            var text = garble(pieces, count: 0...40, using: &rng)
            if k % 3 == 0 { text = "---\ntitle: T\nid: t\norder: 1\n---\n" + text }
            do {
                let lesson = try Lesson(text: text, path: "f.md")
                _ = lesson.partCount
                _ = LessonPlayer.verify(
                    lesson, text: text, session: Session(write: { _ in }),
                    render: TerminalRenderer(style: Style()).render)
            } catch let e as LessonError {
                #expect(
                    e.span?.file == "f.md" && (e.span?.line ?? 0) >= 1,
                    "\(text.debugDescription) → \(e.errorDescription ?? "")")
                #expect(!(e.errorDescription ?? "").contains("\n"))
            } catch {
                Issue.record("\(text.debugDescription) threw \(type(of: error))")
            }
        }
        // Depth that would overflow the stack is refused with its line.
        let quotes = "---\ntitle: T\nid: t\norder: 1\n---\n\n" + String(repeating: ">", count: 50_000) + " deep\n"
        #expect { try Lesson(text: quotes, path: "q.md") } throws: {
            ($0 as? LessonError)?.errorDescription
                == "q.md:7:1: error: markdown nested more than 100 deep (block quotes, lists or emphasis)"
        }
        let braces =
            "---\ntitle: T\nid: t\norder: 1\n---\n\nA $" + String(repeating: "{", count: 90_000) + "x"
            + String(repeating: "}", count: 90_000) + "$\n"
        #expect { try Lesson(text: braces, path: "b.md") } throws: {
            ($0 as? LessonError)?.errorDescription == "b.md:7:1: error: braces nested more than 100 deep"
        }
    }

    @Test func progressFilesNeverCrash() {
        var rng = SplitMix64(seed: 17)
        let pieces = [
            "{", "}", "[", "]", ":", ",", "\"version\"", "1", "2", "\"lessons\"", "\"t\"", "\"position\"", "-5",
            "9223372036854775807",
            "1e400", "\"completed\"", "true", "null", "\"exercises\"", "\"status\"", "\"passed\"", "\"bogus\"",
            "\"attempts\"", "0.5",
        ]
        var usable = 0
        for k in 0..<3000 {
            var text = garble(pieces, count: 0...30, using: &rng)
            if k % 2 == 0 { text = "{\"version\": 1, \"lessons\": {\"t\": {" + text + "}}}" }
            if let (progress, _) = try? LearnerProgress.decode(Data(text.utf8)) {
                usable += 1
                for p in progress.lessons.values { #expect((0...LessonProgress.countLimit).contains(p.position)) }
            }
        }
        #expect(usable > 0)
    }
}
