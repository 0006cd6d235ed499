// The learner's progress through lessons, kept in one JSON file written atomically.

import Foundation

/// How an exercise ended, as far as the learner got.
public enum ExerciseStatus: String, Codable, Sendable {
    case passed, failed, skipped, revealed
}

public struct ExerciseProgress: Codable, Equatable, Sendable {
    public var status: ExerciseStatus
    public var attempts: Int

    public init(status: ExerciseStatus, attempts: Int) {
        self.status = status
        self.attempts = attempts
    }
}

public struct LessonProgress: Codable, Equatable, Sendable {
    /// Index of the next block to show.
    public var position: Int = 0
    public var completed: Bool = false
    public var exercises: [String: ExerciseProgress] = [:]

    public init() {}

    public func count(_ status: ExerciseStatus) -> Int { exercises.values.filter { $0.status == status }.count }
}

public struct LearnerProgress: Codable, Equatable, Sendable {
    public var version = 1
    public var lessons: [String: LessonProgress] = [:]

    public init() {}
}

/// Reads and writes the progress file. A corrupt file is moved aside, never overwritten or lost.
public struct ProgressStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// `$XDG_DATA_HOME/adamlab/progress.json`, else `~/.local/share/adamlab/progress.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/adamlab/progress.json" }
        return (environment["HOME"] ?? NSTemporaryDirectory()) + "/.local/share/adamlab/progress.json"
    }

    /// The stored progress, and a warning when the file could not be used and was moved aside.
    public func load() -> (LearnerProgress, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return (LearnerProgress(), nil) }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let progress = try JSONDecoder().decode(LearnerProgress.self, from: data)
            guard progress.version == 1 else { throw LessonError(file: path, line: 1, "unknown version \(progress.version)") }
            return (progress, nil)
        } catch {
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            let aside = path + ".corrupt-" + stamp
            do {
                try FileManager.default.moveItem(atPath: path, toPath: aside)
                return (LearnerProgress(), "\(path) could not be read (\(reason(error))); it was moved to \(aside) and progress starts afresh")
            } catch {
                return (LearnerProgress(), "\(path) could not be read (\(reason(error))) nor moved aside; progress will not be saved over it")
            }
        }
    }

    private func reason(_ error: Error) -> String {
        if error is DecodingError { return "not valid progress JSON" }
        return (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }

    /// Writes to a temporary file beside the real one, then renames it over: never half-written.
    public func save(_ progress: LearnerProgress) throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(progress)
        let temporary = directory + "/.progress-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw LessonError(file: path, line: 0, "cannot write \(temporary)")
        }
        if rename(temporary, path) != 0 {
            let message = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw LessonError(file: path, line: 0, "cannot replace the progress file: \(message)")
        }
    }
}
