// `adamlab lesson`, `play`, `verify` and `progress`: wiring the lesson module to files and the terminal.

import AdamLabCore
import AdamLabLessons
import AdamLabREPL
import AdamLabRender
import AdamLabSession
import ArgumentParser
import Foundation

func lessonLibrary() throws -> LessonLibrary {
    guard let library = findLessons() else {
        throw fail(
            "lessons",
            CoreError(
                "no lessons folder found; install adamlab (bin/install) or set ADAMLAB_LESSONS to a folder of lessons"))
    }
    return library
}

/// The lessons, found from the environment and this program's own path (`Bundle.main.executablePath`
/// is the real file, however the program was called: by a path, or by name through PATH).
func findLessons() -> LessonLibrary? {
    LessonLibrary.locate(
        environment: ProcessInfo.processInfo.environment,
        executable: Bundle.main.executablePath ?? CommandLine.arguments.first ?? "")
}

struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "List the lessons with your progress, or take one (resuming where you left it).",
        discussion: """
            The lessons are found in $ADAMLAB_LESSONS when it is set (a folder of lesson files), else in \
            ./lessons, else where adamlab was installed (share/adamlab/lessons beside its bin folder) or \
            in the checkout it was built in. Progress is kept in $XDG_DATA_HOME/adamlab/progress.json \
            (~/.local/share/adamlab/progress.json).
            """
    )

    @Argument(help: "The lesson's id, file name or number.")
    var name: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try lessonLibrary()
        let store = ProgressStore(path: ProgressStore.defaultPath())
        guard let name else {
            let (progress, warning) = store.load()
            if let warning { writeOut("warning: " + warning) }
            do { writeOut(try lessonList(library: library, progress: progress, width: outputWidth())) } catch {
                throw fail("lesson", error)
            }
            return
        }
        let terminal = isatty(STDIN_FILENO) == 1
        let (session, screen) = makeSession(style: try output.style(terminal: terminal), interactive: terminal)
        var repl = REPL(session: session, terminal: screen, library: library, progressStore: store)
        repl.endsWithLesson = true
        do { try repl.openLesson(name) } catch { throw fail("lesson", error) }
        if repl.lessonMode == nil { return }
        let exit = runREPL(&repl, terminal: terminal, lessonWords: true, greeting: nil)
        if exit != .ok { throw ExitCode(exit.rawValue) }
    }
}

/// A lesson named by id, file name or number, or a path to a lesson file.
func loadLesson(_ name: String) throws -> Lesson {
    do {
        // A path (with a folder in it) is read as one, so a missing file says so; a bare name may be a lesson.
        if FileManager.default.fileExists(atPath: name) || name.contains("/") {
            return try Lesson(text: TextFile.read(name), path: name)
        }
        return try lessonLibrary().find(name)
    } catch let code as ExitCode {
        throw code
    } catch { throw fail(name, error) }
}

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade a class's answer files for one lesson: a row per learner, then a summary per exercise.",
        discussion: """
            Each FILE is one learner's answers in the format `play --answers` reads (`exercise-id: value` \
            per line); the learner is named after the file. Every answer is graded by adamlab's own \
            computation and a wrong one matched to the mistake that gives it.

            Exit status: 0 every file graded; 2 bad input (a file that cannot be read, or names an \
            exercise the lesson lacks, is named on standard error; the others are still graded).
            """
    )

    @Argument(help: "The lesson's id, file name or number, or a path to a lesson file.")
    var lesson: String

    @Argument(help: "One answers file per learner.")
    var files: [String] = []

    @Option(help: "table (default), csv or json.")
    var format: ReportFormat = .table

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one answers file, e.g. adamlab grade 1 alice.txt") }
    }

    func run() throws {
        let parsed = try loadLesson(lesson)
        let style = try output.style(terminal: false)
        var learners: [LearnerResult] = []
        var bad = false
        // Learners are named after their files; where two share a name, by the path as given.
        let names = files.map { ((($0 as NSString).lastPathComponent) as NSString).deletingPathExtension }
        for (file, name) in zip(files, names) {
            do {
                let (lines, problems) = LessonPlayer.readAnswerLines(try TextFile.read(file), path: file)
                // Every bad line is reported; the learner is graded on the others.
                for problem in problems + LessonPlayer.unknownAnswers(lines, lesson: parsed, path: file) {
                    _ = fail(file, problem)
                    bad = true
                }
                let outcomes = try LessonPlayer.grade(parsed, answers: lines.mapValues(\.answer), session: Session())
                let unique = names.filter { $0 == name }.count == 1
                learners.append(LearnerResult(name: unique ? name : file, file: file, outcomes: outcomes))
            } catch let e as LessonError where e.span?.file == parsed.path {
                throw fail("grade", e)
            } catch {
                _ = fail(file, error)
                bad = true
            }
        }
        let report = ClassReport(
            lesson: parsed.id, title: parsed.title, exercises: parsed.exercises.map(\.id), learners: learners)
        let renderer = ClassReportRenderer(style: style)
        switch format {
        case .table: writeOut(renderer.table(report))
        case .csv: writeOut(renderer.csv(report))
        case .json: writeOut(renderer.json(report))
        }
        if bad { throw ExitCode(2) }
    }
}

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a lesson, played, as one static web page: prose, commands and their output, plots, exercises.",
        discussion: """
            The page has no script and fetches nothing: mathematics is MathML (typeset by the browser), plots are inline SVG, \
            and each exercise's answer opens with a click. Exit status: 0 written; 2 bad input.
            """
    )

    @Argument(help: "The lesson's id, file name or number, or a path to a lesson file.")
    var lesson: String

    @Option(help: "The page to write (`-` for standard output).")
    var html: String

    func run() throws {
        let parsed = try loadLesson(lesson)
        let page: String
        do { page = try HTMLLessonRenderer().render(parsed, session: Session()) } catch { throw fail("render", error) }
        if html == "-" {
            FileHandle.standardOutput.write(Data(page.utf8))
            return
        }
        do { try TextFile.write(html, page) } catch { throw fail(html, error) }
        writeOut("wrote \(html) (\(page.utf8.count) bytes)")
    }
}

struct Play: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a whole lesson non-interactively and print its transcript.",
        discussion: """
            Exercises are answered by adamlab's own computation, or, with --answers FILE (lines of \
            `exercise-id: value`), by a learner: each answer is graded and a wrong one diagnosed.

            Exit status: 0 played (with --answers: every answer right); 1 some answer wrong; 2 bad input.
            """
    )

    @Argument(help: "The lesson's id, file name or number, or a path to a lesson file.")
    var lesson: String

    @Option(help: "A file of answers, one `exercise-id: value` per line.")
    var answers: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        let parsed = try loadLesson(lesson)
        var given: [String: String]?
        if let answers {
            do {
                let lines = try LessonPlayer.parseAnswerLines(TextFile.read(answers), path: answers)
                if let unknown = LessonPlayer.unknownAnswers(lines, lesson: parsed, path: answers).first {
                    throw unknown
                }
                given = lines.mapValues(\.answer)
            } catch { throw fail(answers, error) }
        }
        // To a terminal the transcript folds at its width; to a file or a pipe, at the fixed width scripts use.
        let style = try output.style(terminal: isatty(STDOUT_FILENO) == 1)
        let transcript: LessonTranscript
        do { transcript = try LessonTranscript(playing: parsed, answers: given, style: style) } catch {
            throw fail("play", error)
        }
        writeOut(style.unicode ? transcript.text : asciiFold(transcript.text))
        if given != nil && transcript.right < transcript.total { throw ExitCode(1) }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that lessons still match the engine: commands run, outputs match, exercises answerable.",
        discussion:
            "Exit status: 0 every lesson is sound (with --fix: after its rewrites); 1 a problem was found (each printed with file:line); 2 bad input."
    )

    @Argument(help: "Lesson files or folders (default: the lessons folder).")
    var paths: [String] = []

    @Flag(help: "Rewrite expected-output blocks from the actual output.")
    var fix = false

    func run() throws {
        var files: [String] = []
        let targets = paths.isEmpty ? [try lessonLibrary().directory] : paths
        for path in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw fail(path, CoreError("no such file or folder"))
            }
            if isDirectory.boolValue {
                do { files += try LessonLibrary(directory: path).files() } catch { throw fail(path, error) }
            } else {
                files.append(path)
            }
        }
        if files.isEmpty {
            throw fail(
                targets.joined(separator: ", "),
                CoreError("no lessons there (a lesson is a .md file other than README.md)"))
        }
        var problems = 0
        for file in files {
            let text: String
            let lesson: Lesson
            do {
                text = try TextFile.read(file)
                lesson = try Lesson(text: text, path: file)
            } catch {
                writeOut((error as? LocalizedError)?.errorDescription ?? "\(file): error: \(error)")
                problems += 1
                continue
            }
            // Line endings are kept as the file has them; the lesson is read with LF.
            let crlf = text.contains("\r\n")
            let normalized = splitLines(text).joined(separator: "\n") + "\n"
            let render = TerminalOutput(style: Style(), write: { _ in }).render
            let (found, fixed) = LessonPlayer.verify(lesson, text: normalized, session: Session(), render: render)
            for problem in found { writeOut(problem) }
            guard fix && fixed != normalized else {
                problems += found.count
                if found.isEmpty {
                    writeOut(
                        "\(file): ok (\(lesson.partCount) part\(lesson.partCount == 1 ? "" : "s"), \(lesson.exercises.count) exercise\(lesson.exercises.count == 1 ? "" : "s"))"
                    )
                }
                continue
            }
            do { try TextFile.write(file, crlf ? fixed.replacingOccurrences(of: "\n", with: "\r\n") : fixed) } catch {
                throw fail(file, error)
            }
            // What a rewrite cannot fix (a command that fails, a value that cannot be computed) is still there.
            let left =
                (try? LessonPlayer.verify(
                    Lesson(text: fixed, path: file), text: fixed, session: Session(), render: render
                ).problems.count) ?? found.count
            problems += left
            writeOut(
                "\(file): expected output rewritten"
                    + (left == 0
                        ? "" : "; \(left) problem\(left == 1 ? "" : "s") it cannot fix remain\(left == 1 ? "s" : "")"))
        }
        if problems > 0 { throw ExitCode(1) }
    }
}

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Show your progress through the lessons, or clear one lesson's."
    )

    @Option(help: "Clear the progress of this lesson (its id), or `drill` for the drill's history.")
    var reset: String?

    func run() throws {
        let store = ProgressStore(path: ProgressStore.defaultPath())
        var (progress, warning) = store.load()
        if let warning { writeOut("warning: " + warning) }
        if reset == "drill" {
            guard progress.drill != nil else { throw fail("--reset", CoreError("no drill history to clear")) }
            progress.drill = nil
            do { try store.save(progress) } catch { throw fail(store.path, error) }
            writeOut("cleared the drill's history")
            return
        }
        if let reset {
            guard progress.lessons.removeValue(forKey: reset) != nil else {
                let known = progress.lessons.keys.sorted()
                throw fail(
                    "--reset",
                    CoreError(
                        "no progress for '\(reset)'"
                            + (known.isEmpty ? "" : "; lessons with progress: \(known.joined(separator: ", "))")))
            }
            do { try store.save(progress) } catch { throw fail(store.path, error) }
            writeOut("cleared the progress of \(reset)")
            return
        }
        writeOut("progress file: \(store.path)")
        let library = try lessonLibrary()
        do { writeOut(try lessonList(library: library, progress: progress, width: outputWidth())) } catch {
            throw fail("progress", error)
        }
        if let drill = progress.drill {
            var style = Style()
            style.columns = terminalColumns()
            writeOut("\n" + DrillRenderer(style: style).history(drill))
        }
    }
}
