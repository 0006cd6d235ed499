// The player's state at a part is a function of the part: every shipped lesson walked at random (on,
// back, hint, experiments, leaving and resuming) reaches each part in the state of the straight walk.

import AdamLabCore
import AdamLabRender
import AdamLabSession
import Foundation
import Testing

@testable import AdamLabLessons

@Suite("one lesson player")
struct PlayerWalkTests {
    /// What the learner can see and the engine holds at a part: the session's state, the question's
    /// text, and a command block's output (the numbers at 17 digits, so that no bit can differ unseen).
    struct PartState: Equatable, CustomStringConvertible {
        var block: Int
        var session: String
        var question: String?
        var outputs: String?
        var description: String {
            "block \(block): \(session) | \(question ?? "-") | \(outputs?.prefix(200).description ?? "-")"
        }
    }

    static var words: LessonRenderer { LessonRenderer(style: Style(precision: 17)) }
    static func render(_ o: Output) -> String { TerminalRenderer(style: Style(precision: 17)).render(o) }

    static func sessionState(_ s: Session) -> String {
        let record = s.lastRecord.map { r in
            r.vectors.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ";")
        }
        return "\(s.spec.kind.rawValue) t=\(s.run.t) θ=\(s.run.theta) f=\(s.run.loss) p=\(s.precision ?? 0) "
            + "last=\(record ?? "-")"
    }

    /// Takes the events of one action into `seen`: each question and command block at its block index.
    static func note(_ events: [LessonEvent], player: LessonPlayer, into seen: inout [Int: PartState]) {
        for event in events {
            switch event.kind {
            case .question(let e, _):
                seen[player.position, default: PartState(block: player.position, session: "")].question = words.text(
                    e.question)
            case .commands(let shown) where !shown.brief:
                seen[shown.index, default: PartState(block: shown.index, session: "")].outputs =
                    shown.ran.flatMap { $0.outputs.map(render) }.joined(separator: "\n")
            default: break
            }
        }
    }

    /// The state at every block where the straight walk stops.
    static func straight(_ lesson: Lesson) throws -> [Int: PartState] {
        let player = LessonPlayer(lesson: lesson, session: Session())
        var seen: [Int: PartState] = [:]
        var events = try player.open()
        while !player.finished {
            note(events, player: player, into: &seen)
            seen[player.position, default: PartState(block: player.position, session: "")].session = sessionState(
                player.session)
            events = try player.perform(player.awaitingAnswer ? .skip : .on)
        }
        // A part the straight walk passes through (a hidden block, a question's lead-in) holds the state of
        // the question it leads to: nothing runs in between.
        for k in seen.keys where seen[k]!.session.isEmpty {
            if let next = seen.keys.filter({ $0 > k && !seen[$0]!.session.isEmpty }).min() {
                seen[k]!.session = seen[next]!.session
            }
        }
        return seen
    }

    static let files: [String] = (try? LessonLibrary(directory: lessonsDirectory).files()) ?? []

    @Test("random walks reach the straight walk's state at every part", arguments: files)
    func randomWalks(_ file: String) throws {
        let lesson = try Lesson(text: String(contentsOfFile: file, encoding: .utf8), path: file)
        let expected = try PlayerWalkTests.straight(lesson)
        var rng = SplitMix(seed: lesson.id.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) })
        for walk in 0..<6 {
            var player = LessonPlayer(lesson: lesson, session: Session())
            var seen: [Int: PartState] = [:]
            var events = try player.open()
            var actions: [String] = []
            for _ in 0..<90 where !player.finished {
                PlayerWalkTests.note(events, player: player, into: &seen)
                let here = player.position
                var state = seen[here] ?? PartState(block: here, session: "")
                state.session = PlayerWalkTests.sessionState(player.session)
                if let want = expected[here] {
                    // What this visit showed must be what the straight walk showed; what it did not show
                    // (a part reached by `back`) is taken from the straight walk.
                    if state.question == nil { state.question = want.question }
                    if state.outputs == nil { state.outputs = want.outputs }
                    #expect(state == want, "walk \(walk) after \(actions.suffix(8)): \(state) ≠ \(want)")
                    if state != want { return }
                }
                seen = [:]
                switch rng.next() % 10 {
                case 0, 1, 2, 3:
                    actions.append("on")
                    events = try player.perform(player.awaitingAnswer ? .skip : .on)
                case 4, 5:
                    actions.append("back")
                    events = try player.perform(.back)
                case 6:
                    actions.append("hint")
                    events = try player.perform(.hint)
                case 7:
                    // An experiment: a command the REPL runs, then `continue`.
                    actions.append("experiment")
                    if case .experiment(let command, _) = try player.take("step 2") {
                        // It may fail (a run diverges): `continue` undoes it all the same.
                        try? player.session.execute(command)
                        events = try player.perform(.continue)
                    } else {
                        events = []
                    }
                case 8:
                    actions.append("leave+resume")
                    _ = try player.perform(.leave)
                    let progress = player.progress
                    player = LessonPlayer(lesson: lesson, session: Session(), progress: progress)
                    events = try player.open()
                default:
                    actions.append("answer")
                    events = try player.perform(.answer("0"))
                }
            }
        }
    }

    /// The reproduction from the learner's report: at v̂₂'s question in adam-one-step, `back`, `back`
    /// and Enter must not take the hidden step again (t stays 2, v₂[0] stays 0.069604 = 0.999·0.036 +
    /// 0.001·5.8², by hand), and the question reads as before.
    @Test func backBackEnterDoesNotStepAgain() throws {
        let lesson = try LessonLibrary(directory: lessonsDirectory).find("adam-one-step")
        let player = LessonPlayer(lesson: lesson, session: Session())
        var question = ""
        var events = try player.open()
        while !player.finished {
            if let q = events.lazy.compactMap({ e -> String? in
                if case .question(let ex, _) = e.kind, ex.id == "v-hat-2" {
                    return PlayerWalkTests.words.text(ex.question)
                }
                return nil
            }).first {
                question = q
                break
            }
            events = try player.perform(player.awaitingAnswer ? .skip : .on)
        }
        #expect(question.contains("0.069604"), "\(question)")
        #expect(player.session.run.t == 2)
        _ = try player.perform(.back)
        _ = try player.perform(.back)
        let again = try player.take("")
        guard case .lesson(let shown) = again else {
            Issue.record("Enter was not the lesson's")
            return
        }
        #expect(player.session.run.t == 2)
        let commands = shown.compactMap { e -> ShownCommands? in
            if case .commands(let c) = e.kind { return c }
            return nil
        }
        #expect(commands.allSatisfy { $0.again }, "a block ran a second time")
        let texts = shown.compactMap { e -> String? in
            if case .question(let ex, _) = e.kind { return PlayerWalkTests.words.text(ex.question) }
            return nil
        }
        #expect(texts == [question])
        let graded = try player.perform(.answer("34.8194"))
        #expect(
            graded.contains { e in
                if case .graded(_, _, let g, _) = e.kind { return g.isRight }
                return false
            })
    }
}

extension PlayerWalkTests {
    /// At a question about a hidden block's output, `show` and `explain` would give the answer away: they
    /// are refused (and nothing is recorded) until the question is answered; `help` still works.
    @Test func aHiddenValueStaysHiddenUntilAnswered() throws {
        let lesson = try LessonLibrary(directory: lessonsDirectory).find("adam-one-step")
        let player = LessonPlayer(lesson: lesson, session: Session())
        var events = try player.open()
        while !player.awaitingAnswer { events = try player.perform(.on) }
        for line in ["show", "explain m_hat", "check m_hat 6,8", "plot loss"] {
            guard case .lesson(let said) = try player.take(line) else {
                Issue.record("\(line) ran as an experiment")
                continue
            }
            #expect(said.map(\.kind).contains { if case .notice(.hiddenUntilAnswered) = $0 { true } else { false } })
        }
        #expect(player.progress.exercises.isEmpty)
        // `help` runs as it is (the REPL's), and starts no experiment in which `show` would work.
        guard case .notForLesson = try player.take("help show") else {
            Issue.record("help did not run")
            return
        }
        #expect(!player.experimenting && player.awaitingAnswer)
        _ = try player.perform(.answer("6"))
        guard case .experiment = try player.take("show") else {
            Issue.record("show is refused after the answer")
            return
        }
    }
}

/// A small deterministic generator, so that a failing walk can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
