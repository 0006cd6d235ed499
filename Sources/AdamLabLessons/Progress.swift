// The learner's progress through lessons, kept in one JSON file written atomically.

import AdamLabSession
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

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        status = try c.decode(ExerciseStatus.self, forKey: .status)
        attempts = try c.decode(Int.self, forKey: .attempts)
        guard (0...LessonProgress.countLimit).contains(attempts) else {
            throw DecodingError.dataCorruptedError(
                forKey: .attempts, in: c, debugDescription: "attempts \(attempts) is out of range")
        }
    }
}

public struct LessonProgress: Codable, Equatable, Sendable {
    /// No lesson has this many blocks, nor a learner this many attempts: larger numbers are corrupt.
    public static let countLimit = 1_000_000

    /// Index of the next block to show.
    public var position: Int = 0
    public var completed: Bool = false
    public var exercises: [String: ExerciseProgress] = [:]

    public init() {}

    /// Every field is checked: a position of −5 or 2⁶³−1 is corrupt data, not a place in a lesson.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // A key that is there must hold a value: `"position": null` is corrupt, not the start.
        if c.contains(.position), try c.decodeNil(forKey: .position) {
            throw DecodingError.dataCorruptedError(forKey: .position, in: c, debugDescription: "position is null")
        }
        position = try c.decodeIfPresent(Int.self, forKey: .position) ?? 0
        completed = try c.decodeIfPresent(Bool.self, forKey: .completed) ?? false
        exercises = try c.decodeIfPresent([String: ExerciseProgress].self, forKey: .exercises) ?? [:]
        guard (0...LessonProgress.countLimit).contains(position) else {
            throw DecodingError.dataCorruptedError(
                forKey: .position, in: c, debugDescription: "position \(position) is out of range")
        }
    }

    public func count(_ status: ExerciseStatus) -> Int { exercises.values.filter { $0.status == status }.count }
}

public struct LearnerProgress: Codable, Equatable, Sendable {
    public var version = 1
    public var lessons: [String: LessonProgress] = [:]
    /// The drill's spaced repetition (nil until the first drill).
    public var drill: DrillHistory?

    public init() {}

    /// Reads progress JSON entry by entry: a lesson entry that is not valid is dropped and named in
    /// `rejected` (with the reason), and the others are kept. Throws when the file as a whole is not
    /// progress JSON (or has another version).
    public static func decode(_ data: Data) throws -> (
        progress: LearnerProgress, rejected: [(lesson: String, reason: String)]
    ) {
        let raw = try JSONDecoder().decode(Raw.self, from: data)
        guard raw.version == 1 else { throw ProgressFileError(reason: "unknown version \(raw.version)") }
        var progress = LearnerProgress()
        var rejected: [(String, String)] = []
        for (id, entry) in (raw.lessons ?? [:]).sorted(by: { $0.key < $1.key }) {
            switch entry.result {
            case .success(let p): progress.lessons[id] = p
            case .failure(let e): rejected.append((id, e.reason))
            }
        }
        // The drill's history is an entry like a lesson's: a bad one is dropped and named, the rest kept.
        switch raw.drill?.result {
        case .success(let d)?: progress.drill = d
        case .failure(let e)?: rejected.append(("drill", e.reason))
        case nil: break
        }
        return (progress, rejected)
    }

    private struct Raw: Decodable {
        var version: Int
        var lessons: [String: Entry]?
        var drill: DrillEntry?
    }

    private struct DrillEntry: Decodable {
        var result: Result<DrillHistory, ProgressFileError>
        init(from decoder: Decoder) throws {
            do { result = .success(try DrillHistory(from: decoder)) } catch {
                result = .failure(ProgressFileError(reason: describe(error)))
            }
        }
    }

    /// One lesson's entry, decoded on its own so that a bad one does not spoil the rest.
    private struct Entry: Decodable {
        var result: Result<LessonProgress, ProgressFileError>
        init(from decoder: Decoder) throws {
            do { result = .success(try LessonProgress(from: decoder)) } catch {
                result = .failure(ProgressFileError(reason: describe(error)))
            }
        }
    }
}

/// Why a progress file (or one entry of it) is not usable.
struct ProgressFileError: Error, Sendable {
    var reason: String
}

/// A decoding failure in a few plain words: which field, and why.
private func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.dataCorrupted(let c): return c.codingPath.isEmpty ? "not valid JSON" : c.debugDescription
    case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
        return "'\(c.codingPath.last?.stringValue ?? "?")' has the wrong type"
    case DecodingError.keyNotFound(let key, _): return "'\(key.stringValue)' is missing"
    case let e as ProgressFileError: return e.reason
    default: return "not valid progress JSON"
    }
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

    /// The stored progress, and a warning when the file could not be used as it was. A file that is
    /// not progress JSON is moved aside (never overwritten or lost) and progress starts afresh; a file
    /// with some bad lesson entries is moved aside too, and the good entries are written back at once.
    public func load() -> (LearnerProgress, warning: String?) {
        guard FileManager.default.fileExists(atPath: path) else { return (LearnerProgress(), nil) }
        let data: Data
        do { data = Data(try TextFile.bytes(path)) } catch {
            return (
                LearnerProgress(),
                "\(path) could not be read (\(plainReason(error))); progress will not be saved over it"
            )
        }
        let decoded: (progress: LearnerProgress, rejected: [(lesson: String, reason: String)])
        do { decoded = try LearnerProgress.decode(data) } catch {
            guard let aside = moveAside() else {
                return (
                    LearnerProgress(),
                    "\(path) could not be read (\(describe(error))) nor moved aside; progress will not be saved over it"
                )
            }
            return (
                LearnerProgress(),
                "\(path) could not be read (\(describe(error))); it was moved to \(aside) and progress starts afresh"
            )
        }
        guard !decoded.rejected.isEmpty else { return (decoded.progress, nil) }
        let what = decoded.rejected.map { "\($0.lesson): \($0.reason)" }.joined(separator: "; ")
        guard let aside = moveAside() else {
            return (
                decoded.progress,
                "\(path) has unreadable entries (\(what)) and could not be moved aside; progress will not be saved over it"
            )
        }
        do { try save(decoded.progress) } catch {
            return (
                decoded.progress,
                "\(path) has unreadable entries (\(what)); the file was moved to \(aside), but the rest could not be written back"
            )
        }
        return (
            decoded.progress,
            "\(path) had unreadable entries (\(what)); they were dropped, the other lessons' progress kept, and the file as it was is at \(aside)"
        )
    }

    /// Renames the file to `PATH.corrupt-STAMP` (with `-2`, `-3`, … when that exists); nil when it cannot.
    private func moveAside() -> String? {
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        var aside = path + ".corrupt-" + stamp
        var n = 2
        while FileManager.default.fileExists(atPath: aside) {
            aside = path + ".corrupt-" + stamp + "-\(n)"
            n += 1
        }
        return (try? FileManager.default.moveItem(atPath: path, toPath: aside)) != nil ? aside : nil
    }

    /// Writes the progress atomically (never half-written). A file already there that cannot be read as
    /// progress (unreadable, not a regular file, not progress JSON) is never written over: its other
    /// lessons' progress would be lost.
    public func save(_ progress: LearnerProgress) throws {
        if FileManager.default.fileExists(atPath: path)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        {
            let reason: String?
            do {
                let decoded = try LearnerProgress.decode(Data(try TextFile.bytes(path)))
                reason = decoded.rejected.isEmpty ? nil : "has unreadable entries"
            } catch let e as FileError { reason = e.reason } catch { reason = "is not progress JSON" }
            if let reason {
                throw LessonError(file: path, "\(reason); progress is not saved over it (move it away to start afresh)")
            }
        }
        try TextFile.makeFolder((path as NSString).deletingLastPathComponent)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try TextFile.write(path, String(decoding: try encoder.encode(progress), as: UTF8.self))
    }
}
