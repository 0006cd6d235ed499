// The built binary as a user runs it: exit statuses, one-line errors, files of every kind, lessons
// from scripts, verify and play, trace, progress files, ASCII.

import Foundation
import Testing

/// What a run of the binary gave.
struct Ran {
    var out: String
    var err: String
    var status: Int32
}

/// Runs the adamlab binary with `arguments`, standard input `input`, in `directory`, with a private
/// progress file and `environment` added.
func adamlab(_ arguments: [String], input: Data = Data(), directory: String? = nil, environment: [String: String] = [:])
    throws -> Ran
{
    let process = Process()
    process.executableURL = TerminalSession.binary
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["LANG"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    env["XDG_DATA_HOME"] = env["XDG_DATA_HOME_TEST"] ?? scratch("data")
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(input)
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Ran(
        out: String(decoding: out, as: UTF8.self), err: String(decoding: err, as: UTF8.self),
        status: process.terminationStatus)
}

/// A new empty folder under the temporary directory.
func scratch(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("adamlab-\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

let shippedLessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("lessons").path

@Suite("command line")
struct CommandLineTests {
    @Test func usageErrorsAreOneLineWithStatusTwo() throws {
        for args in [
            ["trace", "--bogus"], ["trace"],
            ["trace", "--optimizer", "sgd", "--objective", "sphere", "--steps", "abc"], ["nosuch"],
        ] {
            let r = try adamlab(args)
            #expect(r.status == 2, "\(args): \(r.status)")
            #expect(r.err.hasPrefix("adamlab: error: ") && r.err.filter { $0 == "\n" }.count == 1, "\(args): \(r.err)")
        }
        let version = try adamlab(["--version"])
        #expect(version.status == 0 && version.out == "0.5.0\n")
    }

    @Test func traceRecordsToTheEndWhateverIsRecorded() throws {
        for extra in [
            ["--steps", "10", "--every", "3"], ["--steps", "2", "--first", "1"],
            ["--steps", "7", "--first", "2", "--every", "5"],
        ] {
            let r = try adamlab(["trace", "--optimizer", "sgd", "--objective", "sphere"] + extra)
            #expect(r.status == 0)
            let steps = extra[1]
            #expect(r.out.hasSuffix("\"steps\": \(steps), \"status\": \"ok\"}\n"), "\(extra): \(r.out.suffix(200))")
        }
        let every = try adamlab([
            "trace", "--optimizer", "sgd", "--objective", "sphere", "--steps", "10", "--every", "3",
        ])
        // Every third step, and the last, always worth recording.
        #expect(
            every.out.components(separatedBy: "\n").filter { $0.hasPrefix("{\"t\"") }.map { $0.prefix(8) } == [
                "{\"t\": 3,", "{\"t\": 6,", "{\"t\": 9,", "{\"t\": 10",
            ])
    }

    @Test func traceStartTakesNegativeNumbersAndRefusesHugeOnes() throws {
        let negative = try adamlab([
            "trace", "--optimizer", "sgd", "--objective", "rosenbrock", "--start", "-1,-1", "--steps", "1",
        ])
        #expect(negative.status == 0 && negative.out.contains("\"theta\": [-1.0, -1.0]"), "\(negative.err)")
        let huge = try adamlab(["trace", "--optimizer", "sgd", "--objective", "sphere", "--start=1e309"])
        #expect(
            huge.status == 2
                && huge.err == "adamlab: error: --start: '1e309' has a number too large for double precision\n")
    }

    /// SGD lr=10 on log(x) from 1 goes to −9 at step 1, where log is undefined: step 2 diverges,
    /// whether every step is recorded or every 10,000th.
    @Test func traceDivergenceIsTheSameWhateverIsRecorded() throws {
        let base = [
            "trace", "--optimizer", "sgd lr=10", "--objective", "f(x) = log(x)", "--start", "1", "--steps", "100000",
        ]
        let all = try adamlab(base)
        let sparse = try adamlab(base + ["--every", "10000"])
        let closing =
            "{\"final\": [-9.0], \"steps\": 1, \"status\": \"diverged\", \"at\": 2, \"quantity\": \"loss\", \"coordinate\": 0}\n"
        #expect(all.out.hasSuffix(closing) && sparse.out.hasSuffix(closing), "\(sparse.out)")
        let csv = try adamlab(base + ["--format", "csv"])
        #expect(!csv.out.contains("#"))
        #expect(csv.out.components(separatedBy: "\n").dropLast().allSatisfy { $0.split(separator: ",").count == 7 })
        #expect(csv.err == "adamlab: trace: diverged at step 2: f(θ) became NaN; the rows stop at step 1\n")
    }

    @Test func scriptFindsLessonsReadsStandardInputAndStaysInTheCallersFolder() throws {
        let dir = scratch("script")
        try "lesson\n".write(toFile: dir + "/s.txt", atomically: true, encoding: .utf8)
        let withLessons = try adamlab(
            ["script", "s.txt"], directory: dir, environment: ["ADAMLAB_LESSONS": shippedLessons])
        #expect(
            withLessons.status == 0 && withLessons.out.contains("4. Adam, one step at a time  [adam-one-step]"),
            "\(withLessons.out)\(withLessons.err)")
        let stdin = try adamlab(["script", "-"], input: Data("step\nshow t\n".utf8))
        #expect(stdin.status == 0 && stdin.out.hasSuffix("› show t\nt = 1\n"))
    }

    @Test func oneBadByteSpoilsOneLine() throws {
        let dir = scratch("utf8")
        let bytes: [UInt8] = Array("step\n".utf8) + [0xFF, 0xFE] + Array(" x\nshow t\n".utf8)
        _ = FileManager.default.createFile(atPath: dir + "/bad.txt", contents: Data(bytes))
        let file = try adamlab(["script", dir + "/bad.txt", "--keep-going"])
        let piped = try adamlab(["--keep-going"], input: Data(bytes))
        for r in [file, piped] {
            #expect(r.status == 1)
            #expect(r.out.contains("error: line 2 is not valid UTF-8; it was not run"), "\(r.out)")
            #expect(r.out.hasSuffix("› show t\nt = 1\n"))
        }
    }

    @Test func crlfScriptsAndLessonsRead() throws {
        let dir = scratch("crlf")
        try "step\r\nshow t\r\n".write(toFile: dir + "/s.txt", atomically: true, encoding: .utf8)
        let script = try adamlab(["script", dir + "/s.txt"])
        #expect(script.status == 0 && script.out.hasSuffix("› show t\nt = 1\n"), "\(script.out)")
        let lesson = try String(contentsOfFile: shippedLessons + "/04-adam-one-step.md", encoding: .utf8)
        try lesson.replacingOccurrences(of: "\n", with: "\r\n").write(
            toFile: dir + "/01.md", atomically: true, encoding: .utf8)
        let verify = try adamlab(["verify", dir + "/01.md"])
        #expect(verify.status == 0 && verify.out.contains("01.md: ok ("), "\(verify.out)")
    }

    @Test func fileErrorsArePlain() throws {
        let dir = scratch("files")
        mkfifo(dir + "/fifo", 0o600)
        _ = FileManager.default.createFile(
            atPath: dir + "/bad.md", contents: Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0x0A]))
        let cases: [([String], String)] = [
            (["script", dir + "/none.txt"], "\(dir)/none.txt: error: no such file\n"),
            (["script", dir], "\(dir): error: is a folder, not a file\n"),
            (["script", dir + "/fifo"], "\(dir)/fifo: error: is not a regular file (a pipe, socket or device)\n"),
            (["play", dir + "/bad.md"], "\(dir)/bad.md:2: error: is not valid UTF-8\n"),
        ]
        for (args, message) in cases {
            let r = try adamlab(args)
            #expect(r.status == 2 && r.err == message, "\(args): \(r.err)")
            #expect(!r.err.contains("NSCocoaErrorDomain") && !r.err.contains(":0:"))
        }
        let data = try adamlab([], input: Data("objective linear-regression file=\(dir)\n".utf8))
        #expect(data.out.contains("error: cannot read '\(dir)': is a folder, not a file"), "\(data.out)")
        let missing = try adamlab(["play", dir + "/none.md"])
        #expect(missing.status == 2 && missing.err == "\(dir)/none.md: error: no such file\n")
        let empty = try adamlab(["verify", scratch("empty")])
        #expect(empty.status == 2 && empty.err.contains("no lessons there"))
    }

    @Test func verifyComparesExactlyAndFixReallyFixes() throws {
        let dir = scratch("verify")
        let original = try String(contentsOfFile: shippedLessons + "/04-adam-one-step.md", encoding: .utf8)
        for (from, to) in [
            ("t = 1   f(θ₀) = 25", "t = 2   f(θ₀) = 25"),
            ("0 │  6  0.6  0.036   6  36  -0.1  2.9", "0 │  6  0.6  0.036   6  36  -0.2  2.9"),
        ] {
            let broken = original.replacingOccurrences(of: from, with: to)
            #expect(broken != original)
            try broken.write(toFile: dir + "/01.md", atomically: true, encoding: .utf8)
            let r = try adamlab(["verify", dir + "/01.md"])
            #expect(
                r.status == 1 && r.out.contains("\(dir)/01.md:53: error: the output differs from the expected block"),
                "\(r.out)")
            let fixed = try adamlab(["verify", "--fix", dir + "/01.md"])
            #expect(fixed.out.contains("expected output rewritten"))
            #expect(try String(contentsOfFile: dir + "/01.md", encoding: .utf8) == original)
            #expect(try adamlab(["verify", dir + "/01.md"]).status == 0)
        }
    }

    @Test func answersForNoExerciseAreReported() throws {
        let dir = scratch("answers")
        try "m-hat-1: 6\nm-hat-one: 6\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let r = try adamlab(
            ["play", "adam-one-step", "--answers", dir + "/a.txt"], environment: ["ADAMLAB_LESSONS": shippedLessons])
        #expect(r.status == 2)
        #expect(
            r.err.hasPrefix(
                "\(dir)/a.txt:2:1: error: no exercise 'm-hat-one' in adam-one-step; did you mean 'm-hat-1'? its exercises: m-hat-1, v-hat-1, update-1, v-hat-2, alpha-3, scale-3"
            ), "\(r.err)")
    }

    @Test func gradeTalliesAClass() throws {
        let dir = scratch("grade")
        try "m-hat-1: 6\nv-hat-1: 64\nupdate-1: -0.1\nv-hat-2: 34.82\nscale-3: -0.0997\n".write(
            toFile: dir + "/alice.txt", atomically: true, encoding: .utf8)
        // Lesson 4 (x² + y² from (3, 4)): m₁[0] = 0.6, v₁[1] = 0.064, v₂[0] = 0.069604; 100 × Δθ₃[0] = −9.97212.
        try "m-hat-1: 0.6\nv-hat-1: 0.064\nupdate-1: 0.1\nv-hat-2: 0.069604\nscale-3: -9.97212\n".write(
            toFile: dir + "/bob.txt", atomically: true, encoding: .utf8)
        try "m-hat-1: 0.6\nv-hat-1: abc\n".write(toFile: dir + "/carol.txt", atomically: true, encoding: .utf8)
        try "m-hat-one: 1\n".write(toFile: dir + "/dave.txt", atomically: true, encoding: .utf8)
        let files = ["alice", "bob", "carol", "dave"].map { dir + "/\($0).txt" }
        let env = ["ADAMLAB_LESSONS": shippedLessons]
        let table = try adamlab(["grade", "adam-one-step"] + files, environment: env)
        #expect(table.status == 2)
        #expect(
            table.err.hasPrefix("\(dir)/dave.txt:1:1: error: no exercise 'm-hat-one' in adam-one-step"), "\(table.err)")
        let lines = table.out.components(separatedBy: "\n")
        // Dave's one line names no exercise: said on standard error, and Dave is listed with nothing answered.
        #expect(lines.first == "Adam, one step at a time (adam-one-step): 4 learners")
        #expect(lines.contains { $0.hasPrefix("dave    │   0/6                     —") })
        #expect(lines.contains { $0.hasPrefix("alice   │   5/6") })
        #expect(
            lines.contains {
                $0.hasPrefix("bob     │   0/6  ✗ no bias correction  ✗ no bias correction  ✗ wrong sign")
                    && $0.hasSuffix("✗ update scaled by c")
            }, "\(table.out)")
        #expect(lines.contains { $0.hasPrefix("carol   │   0/6  ✗ no bias correction         ✗ not a value") })
        #expect(lines.contains("m-hat-1  │   1/4       3/4  no bias correction (2)"), "\(table.out)")
        let csv = try adamlab(["grade", "adam-one-step", files[0], files[1], "--format", "csv"], environment: env)
        #expect(csv.status == 0)
        #expect(
            csv.out.components(separatedBy: "\n")[2]
                == "bob,\(files[1]),0,6,wrong,forgot-bias-correction,wrong,forgot-bias-correction,wrong,wrong-sign,wrong,forgot-bias-correction,missing,,wrong,update-scales-with-gradient"
        )
        let json = try adamlab(["grade", "adam-one-step", files[2], "--format", "json"], environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let learners = try #require(object["learners"] as? [[String: Any]])
        let answers = try #require(learners.first?["answers"] as? [[String: Any]])
        #expect(answers[1]["verdict"] as? String == "invalid")
        #expect((answers[1]["problem"] as? String)?.contains("'abc' is not a number") == true)
        #expect(try adamlab(["grade", "adam-one-step"], environment: env).status == 2)
        // A bad line is reported and the rest graded; an empty answer is no answer; two alices are told apart.
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
        try "m-hat-1 6\nm-hat-1: 6\nv-hat-1:\n".write(toFile: dir + "/b/alice.txt", atomically: true, encoding: .utf8)
        let two = try adamlab(["grade", "adam-one-step", files[0], dir + "/b/alice.txt"], environment: env)
        #expect(two.status == 2)
        #expect(two.err == "\(dir)/b/alice.txt:1:1: error: expected 'exercise-id: answer'\n", "\(two.err)")
        let rows = two.out.components(separatedBy: "\n").map {
            $0.replacingOccurrences(of: "  +", with: " ", options: .regularExpression)
        }
        #expect(rows.contains { $0.hasPrefix("\(files[0]) │ 5/6 ✓") }, "\(two.out)")
        #expect(rows.contains { $0.hasPrefix("\(dir)/b/alice.txt │ 1/6 ✓ — — — — —") }, "\(two.out)")
    }

    @Test func playNamesTheLessonLineOnce() throws {
        let dir = scratch("play")
        try "---\ntitle: T\nid: t\norder: 1\n---\n\n```exercise\nid: a\nquestion: q?\nanswer: m_hat\n```\n".write(
            toFile: dir + "/t.md", atomically: true, encoding: .utf8)
        let r = try adamlab(["play", dir + "/t.md"])
        #expect(r.status == 2)
        #expect(
            r.err
                == "\(dir)/t.md:7:1: error: exercise 'a' cannot be answered here: no step taken yet; type `step` first\n",
            "\(r.err)")
    }

    @Test func asciiMeansEveryByte() throws {
        let script = """
            objective gaussian-mixture
            objective f(x,y) = x^2 + 5*y^2
            step 2
            explain update
            explain v_hat
            conventions
            show state
            run 100
            help m_hat
            compare adam sgd steps=10
            lesson
            stpe
            """
        let r = try adamlab(
            ["--ascii", "--keep-going"], input: Data(script.utf8), environment: ["ADAMLAB_LESSONS": shippedLessons])
        let bad = r.out.unicodeScalars.filter { !$0.isASCII }
        #expect(bad.isEmpty, "not ASCII: \(String(String.UnicodeScalarView(bad)))")
        #expect(r.out.contains("delta_theta = -lr*m_hat_2/(sqrt(v_hat_2) + eps)"))
        let play = try adamlab(["play", "adam-one-step", "--ascii"], environment: ["ADAMLAB_LESSONS": shippedLessons])
        #expect(play.out.unicodeScalars.allSatisfy(\.isASCII) && play.status == 0)
    }
}

/// `bin/adamlab` runs the program in the caller's folder, so relative paths mean what the user meant.
/// (A stand-in `swift` and a stand-in binary that prints its folder keep this test from building.)
@Test func launcherKeepsTheCallersFolder() throws {
    let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let root = scratch("launcher")
    try FileManager.default.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/.build/release", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root + "/stub", withIntermediateDirectories: true)
    for name in ["adamlab", "ensure-deps"] {
        try FileManager.default.copyItem(atPath: checkout + "/bin/" + name, toPath: root + "/bin/" + name)
    }
    try "#!/bin/sh\npwd\n".write(toFile: root + "/.build/release/adamlab", atomically: true, encoding: .utf8)
    try "#!/bin/sh\nexit 0\n".write(toFile: root + "/stub/swift", atomically: true, encoding: .utf8)
    for file in ["/.build/release/adamlab", "/stub/swift"] { chmod(root + file, 0o755) }
    let caller = scratch("caller")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: root + "/bin/adamlab")
    process.currentDirectoryURL = URL(fileURLWithPath: caller)
    var env = ProcessInfo.processInfo.environment
    env["PATH"] = root + "/stub:" + (env["PATH"] ?? "/usr/bin:/bin")
    process.environment = env
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(
        URL(fileURLWithPath: text.trimmingCharacters(in: .whitespacesAndNewlines)).resolvingSymlinksInPath().path
            == URL(fileURLWithPath: caller).resolvingSymlinksInPath().path)
}

@Suite("progress file")
struct ProgressFileTests {
    func run(_ json: String, in dir: String) throws -> Ran {
        try FileManager.default.createDirectory(atPath: dir + "/adamlab", withIntermediateDirectories: true)
        try json.write(toFile: dir + "/adamlab/progress.json", atomically: true, encoding: .utf8)
        return try adamlab(["progress"], environment: ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons])
    }

    @Test(arguments: ["-5", "9223372036854775807"])
    func badPositionIsDroppedTheRestKept(_ position: String) throws {
        let dir = scratch("progress")
        let json = """
            {"version": 1, "lessons": {
              "adam-one-step": {"position": \(position), "completed": false, "exercises": {}},
              "bias-correction": {"position": 3, "completed": false, "exercises": {"bc-1": {"status": "passed", "attempts": 2}}}}}
            """
        let r = try run(json, in: dir)
        #expect(r.status == 0)
        #expect(r.out.contains("adam-one-step: position \(position) is out of range"), "\(r.out)")
        #expect(r.out.contains("[bias-correction]  15 min  at part 3 of 22"), "\(r.out)")
        let saved = try String(contentsOfFile: dir + "/adamlab/progress.json", encoding: .utf8)
        #expect(saved.contains("\"bias-correction\"") && !saved.contains("\"adam-one-step\""))
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir + "/adamlab").filter {
            $0.hasPrefix("progress.json.corrupt-")
        }
        #expect(aside.count == 1)
        #expect(try String(contentsOfFile: dir + "/adamlab/" + aside[0], encoding: .utf8) == json)
        // And it keeps working: the next run reads the repaired file without a warning.
        let again = try adamlab(["progress"], environment: ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons])
        #expect(!again.out.contains("warning"))
    }

    @Test func twoCorruptFilesInOneSecondAreBothKept() throws {
        let dir = scratch("progress2")
        _ = try run("not json", in: dir)
        _ = try run("still not json", in: dir)
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir + "/adamlab").filter {
            $0.hasPrefix("progress.json.corrupt-")
        }
        #expect(aside.count == 2)
    }
}

/// `trace` honours the spec's dtype (v₁ of Adam on the sphere in float32 is 0.036000002, numpy's
/// float32 value), refuses a spec and a flag that disagree, and always records the run's last step.
@Test func traceHonoursTheSpecsDtypeAndRecordsTheLastStep() throws {
    let single = try adamlab(
        [
            "trace", "--optimizer", "adam lr=0.1 dtype=float32", "--objective", "sphere", "--steps", "1", "--format",
            "csv",
        ])
    #expect(single.status == 0 && single.out.contains(",0.036000002,"), "\(single.out)")
    // The spec's dtype and the flag give the same run, line for line.
    let bySpec = try adamlab(
        ["trace", "--optimizer", "adam lr=0.1 dtype=float32", "--objective", "rosenbrock", "--steps", "50"])
    let byFlag = try adamlab(
        ["trace", "--optimizer", "adam lr=0.1", "--float32", "--objective", "rosenbrock", "--steps", "50"])
    #expect(bySpec.status == 0 && bySpec.out == byFlag.out && bySpec.out.split(separator: "\n").count == 51)
    let clash = try adamlab(["trace", "--optimizer", "adam dtype=float64", "--float32", "--objective", "sphere"])
    #expect(clash.status == 2 && clash.err.contains("the optimizer says dtype=float64"), "\(clash.err)")
    let sampled = try adamlab(
        ["trace", "--optimizer", "adam", "--objective", "sphere", "--steps", "151", "--every", "7", "--format", "csv"])
    let ts = sampled.out.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
    #expect(ts.suffix(2) == ["147", "151"], "\(ts.suffix(3))")
}

/// A negative count is a value out of range, named as such (it was once "Missing value").
@Test func traceNamesANegativeCountsRange() throws {
    let r = try adamlab(["trace", "--optimizer", "adam", "--objective", "sphere", "--steps", "-5"])
    #expect(r.status == 2 && r.err == "adamlab: error: --steps must be between 0 and 10⁹ (`adamlab help` for usage)\n")
}

@Suite("drill on the command line")
struct DrillCommandLineTests {
    /// A drill from standard input keeps its history in the progress file beside the lessons'; `progress`
    /// shows it and `--reset drill` clears it. With `--answers` each line answers one question, graded once,
    /// and the progress file is not touched; the same seed gives the same transcript.
    @Test func historyIsKeptShownAndCleared() throws {
        let dir = scratch("drill")
        let env = ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons]
        let ran = try adamlab(
            ["drill", "--count", "3", "--seed", "4"], input: Data("0\nskip\n0\n".utf8), environment: env)
        #expect(ran.status == 0, "\(ran.err)")
        #expect(ran.out.contains("Question 3/3"))
        #expect(ran.out.contains("0 of 3 right at the first try."))
        let progress = try adamlab(["progress"], environment: env)
        #expect(progress.out.contains("drill: 3 questions asked, 0 right at the first try"), "\(progress.out)")
        let cleared = try adamlab(["progress", "--reset", "drill"], environment: env)
        #expect(cleared.out.contains("cleared the drill's history"))
        let emptied = try adamlab(["progress"], environment: env)
        #expect(!emptied.out.contains("drill:"))

        let answers = scratch("answers") + "/a.txt"
        try "abc\n\n1,2\n".write(toFile: answers, atomically: true, encoding: .utf8)
        let a = try adamlab(["drill", "--count", "3", "--seed", "4", "--answers", answers], environment: env)
        let b = try adamlab(["drill", "--count", "3", "--seed", "4", "--answers", answers], environment: env)
        #expect(a.status == 1 && a.out == b.out)
        #expect(a.out.components(separatedBy: "  answered").count == 3)  // "abc" and "1,2"; the blank line skips
        #expect(a.out.contains("  skipped"))
        let after = try adamlab(["progress"], environment: env)
        #expect(!after.out.contains("drill:"), "an --answers drill wrote a history: \(after.out)")

        let bad = try adamlab(["drill", "nosuch"], environment: env)
        #expect(bad.status == 2 && bad.err.contains("no topic 'nosuch'"))
    }
}
