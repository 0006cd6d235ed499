// Nothing lost, every bad input named: progress that cannot be read is never written over, a lesson
// `verify --fix` cannot fix fails, a byte-order mark is not text, the page stays XML, and no raw
// Foundation error reaches a learner.

import AdamLabLessons
import AdamLabSession
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("nothing lost")
struct NothingLostTests {
    /// A progress file where something else stands (a FIFO, a link to /dev/null, a folder) is named
    /// and left as it is, however many times the learner acts.
    @Test(arguments: ["fifo", "devnull", "folder"])
    func progressThatCannotBeReadIsNeverWrittenOver(_ kind: String) throws {
        let dir = scratch("unreadable")
        let path = dir + "/adamlab/progress.json"
        try FileManager.default.createDirectory(atPath: dir + "/adamlab", withIntermediateDirectories: true)
        switch kind {
        case "fifo": #expect(mkfifo(path, 0o644) == 0)
        case "devnull": try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/null")
        default: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        let store = ProgressStore(path: path)
        let (_, warning) = store.load()
        #expect(warning?.contains("progress will not be saved over it") == true, "\(warning ?? "")")
        #expect(throws: LessonError.self) { try store.save(LearnerProgress()) }
        var info = stat()
        #expect(lstat(path, &info) == 0)
        let kept: mode_t = kind == "fifo" ? S_IFIFO : kind == "devnull" ? S_IFLNK : S_IFDIR
        #expect(info.st_mode & S_IFMT == kept)
        // In a session, the warning is said once, and the file is still what it was.
        let r = try adamlab(
            ["lesson", "adam-one-step"], input: Data("\n\n\nleave\n".utf8),
            environment: ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons])
        #expect(r.out.components(separatedBy: "progress not saved").count <= 2, "\(r.out)")
        #expect(!r.out.contains("NSCocoaErrorDomain") && !r.out.contains(".tmp"), "\(r.out)")
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == kept)
    }

    /// A data folder that is a file: one plain warning, not Foundation's error, and not once per action.
    @Test func aDataFolderThatIsAFile() throws {
        let dir = scratch("datafile")
        try "not a folder".write(toFile: dir + "/adamlab", atomically: true, encoding: .utf8)
        let r = try adamlab(
            ["lesson", "adam-one-step"], input: Data("\n\n\nleave\n".utf8),
            environment: ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons])
        #expect(
            r.out.contains("warning: progress not saved: \(dir)/adamlab: error: is a file, not a folder"), "\(r.out)")
        #expect(r.out.components(separatedBy: "progress not saved").count == 2, "\(r.out)")
        #expect(!r.out.contains("NSCocoaErrorDomain"))
        #expect(try String(contentsOfFile: dir + "/adamlab", encoding: .utf8) == "not a folder")
    }

    @Test func aLessonsFolderThatIsNotThere() throws {
        let r = try adamlab(["lesson"], environment: ["ADAMLAB_LESSONS": "/nonexistent"])
        #expect(r.status == 2)
        #expect(r.err == "/nonexistent: error: no such lessons folder\n", "\(r.err)")
    }

    /// `"position": null` is corrupt data, said so, not read as the lesson's start.
    @Test func aNullPositionIsNamed() throws {
        let dir = scratch("null")
        try FileManager.default.createDirectory(atPath: dir + "/adamlab", withIntermediateDirectories: true)
        try #"{"version": 1, "lessons": {"adam-one-step": {"position": null}}}"#.write(
            toFile: dir + "/adamlab/progress.json", atomically: true, encoding: .utf8)
        let r = try adamlab(["lesson"], environment: ["XDG_DATA_HOME": dir, "ADAMLAB_LESSONS": shippedLessons])
        #expect(r.out.contains("adam-one-step: position is null"), "\(r.out)")
    }

    /// A lesson with a command that fails cannot be fixed by rewriting expected output: exit 1.
    @Test func verifyFixFailsOnWhatItCannotFix() throws {
        let dir = scratch("unfixable")
        let lesson = """
            ---
            title: T
            id: t
            order: 1
            ---

            ```adamlab
            step
            ```

            ```expected
            nothing like it
            ```

            ```adamlab
            source missing.txt
            ```

            """
        try lesson.write(toFile: dir + "/t.md", atomically: true, encoding: .utf8)
        let r = try adamlab(["verify", "--fix", dir + "/t.md"])
        #expect(r.status == 1, "\(r.out)\(r.err)")
        // A lesson whose only fault is its expected output is fixed, and then sound: exit 0.
        let fixable = lesson.replacingOccurrences(of: "```adamlab\nsource missing.txt\n```\n", with: "")
        try fixable.write(toFile: dir + "/u.md", atomically: true, encoding: .utf8)
        let fixed = try adamlab(["verify", "--fix", dir + "/u.md"])
        #expect(fixed.status == 0, "\(fixed.out)\(fixed.err)")
        #expect(try adamlab(["verify", dir + "/u.md"]).status == 0)
    }

    /// A UTF-8 byte-order mark at the start of a lesson, a script or an answers file is not text.
    @Test func aByteOrderMarkIsSkipped() throws {
        let dir = scratch("bom")
        let bom = "\u{FEFF}"
        let lesson = try String(contentsOfFile: shippedLessons + "/04-adam-one-step.md", encoding: .utf8)
        try (bom + lesson).write(toFile: dir + "/l.md", atomically: true, encoding: .utf8)
        try (bom + "m-hat-1: 6\n").write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try (bom + "step\nshow t\n").write(toFile: dir + "/s.txt", atomically: true, encoding: .utf8)
        let played = try adamlab(["play", dir + "/l.md", "--answers", dir + "/a.txt"])
        #expect(played.out.contains("answered 6: right"), "\(played.err)")
        let script = try adamlab(["script", dir + "/s.txt"])
        #expect(script.status == 0 && script.out.hasSuffix("› show t\nt = 1\n"), "\(script.out)\(script.err)")
        let piped = try adamlab(["script", "-"], input: Data((bom + "step\n").utf8))
        #expect(piped.status == 0, "\(piped.err)")
    }

    /// Control characters in a lesson's prose do not make the page ill-formed XML.
    @Test func thePageStaysWellFormed() throws {
        let dir = scratch("xml")
        let lesson = "---\ntitle: T\nid: t\norder: 1\n---\n\nA bell \u{07} and a form \u{0C} feed.\n"
        try lesson.write(toFile: dir + "/t.md", atomically: true, encoding: .utf8)
        let r = try adamlab(["render", dir + "/t.md", "--html", "-"])
        #expect(r.status == 0)
        let parser = XMLParser(data: Data(r.out.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(r.out.contains("A bell \u{FFFD} and a form \u{FFFD} feed."))
    }

    /// Small ones: an unknown quantity is unknown before any step; a number beyond a double says so.
    @Test func badValuesAreNamedForWhatTheyAre() throws {
        let r = try adamlab(["script", "-", "--keep-going"], input: Data("show stat\nstep\ncheck m_hat 1e400\n".utf8))
        #expect(r.out.contains("error: unknown quantity 'stat'"), "\(r.out)")
        #expect(r.out.contains("error: '1e400' is too large for a double"), "\(r.out)")
    }

    /// An export never replaces a file marked read-only, and a file it replaces keeps its permissions.
    @Test func anExportLeavesAReadOnlyFileAlone() throws {
        let dir = scratch("readonly")
        let path = dir + "/p.csv"
        try "mine".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o444)
        #expect(throws: FileError.self) { try TextFile.write(path, "theirs") }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "mine")
        chmod(path, 0o640)
        try TextFile.write(path, "theirs")
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o640)
    }
}
