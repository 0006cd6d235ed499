// libFuzzer entry point for the four parsers a learner's input reaches; built only with ADAMLAB_FUZZ=1
// (see fuzz/README.md). The properties are those of the seeded fuzz tests: no crash, a one-line error
// with a place, and a session left as it was.

import AdamLabCore
import AdamLabLessons
import AdamLabREPL
import AdamLabRender
import AdamLabSession
import Foundation

private let target = ProcessInfo.processInfo.environment["ADAMLAB_FUZZ_TARGET"] ?? "commands"

nonisolated(unsafe) private var session: Session = {
    let s = Session(readFile: { _ in throw FileError(path: "f", reason: "no such file") })
    s.shouldStop = { true }
    return s
}()

private func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}

private func fuzzCommand(_ line: String) {
    let (run, spec) = (session.run, session.spec)
    do { try session.execute(line) } catch let e as SessionError {
        check(!e.message.contains("\n"), "two-line error for \(line.debugDescription)")
        if let c = e.span?.column {
            check(c >= 1 && c <= line.count + 1, "column \(c) outside \(line.debugDescription)")
        }
        check(session.run == run && session.spec == spec, "\(line.debugDescription) failed but changed the session")
    } catch {
        fatalError("\(line.debugDescription) threw \(type(of: error))")
    }
    if session.run.theta.count > 64 || session.run.t > 100_000 { session.startAfresh() }
}

private func fuzzFormula(_ text: String) {
    do {
        let objective = try Objective.parse("f(x,y) = " + text)
        _ = objective.valueAndGradient([0.5, -1.5])
    } catch let e as CoreError {
        check(!e.message.contains("\n"), "two-line error for \(text.debugDescription)")
    } catch {
        fatalError("\(text.debugDescription) threw \(type(of: error))")
    }
}

private func fuzzLesson(_ text: String) {
    do {
        let lesson = try Lesson(text: text, path: "f.md")
        _ = lesson.partCount
    } catch let e as LessonError {
        check(e.span?.file == "f.md" && (e.span?.line ?? 0) >= 1, "unlocated lesson error \(e.errorDescription ?? "")")
        check(!(e.errorDescription ?? "").contains("\n"), "two-line lesson error")
    } catch {
        fatalError("lesson threw \(type(of: error))")
    }
}

private func fuzzProgress(_ data: Data) {
    guard let (progress, _) = try? LearnerProgress.decode(data) else { return }
    for p in progress.lessons.values {
        check((0...LessonProgress.countLimit).contains(p.position), "position \(p.position) accepted")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    let text = String(decoding: data, as: UTF8.self)
    switch target {
    case "formula": fuzzFormula(text)
    case "lesson": fuzzLesson(text)
    case "progress": fuzzProgress(data)
    default:
        for line in splitLines(text).prefix(8) { fuzzCommand(line) }
    }
    return 0
}
