// Finding the lessons: a folder of markdown files, in their `order`.

import AdamLabCore
import AdamLabSession
import Foundation

/// The lessons in a directory, in their `order`.
public struct LessonLibrary: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$ADAMLAB_LESSONS`, else `./lessons`, else a `lessons` folder above the executable (a source checkout).
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: String = CommandLine.arguments.first ?? ""
    ) -> LessonLibrary? {
        let fm = FileManager.default
        if let dir = environment["ADAMLAB_LESSONS"], !dir.isEmpty { return LessonLibrary(directory: dir) }
        if fm.fileExists(atPath: "lessons/README.md") { return LessonLibrary(directory: "lessons") }
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("lessons")
            if fm.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return LessonLibrary(directory: candidate.path)
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The lesson files (every `.md` but README.md), sorted by name.
    public func files() throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted().map { directory + "/" + $0 }
    }

    public func lessons() throws -> [Lesson] {
        try files().map { try Lesson(text: TextFile.read($0), path: $0) }
            .sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    /// A lesson by id, file name (with or without `.md`), or order number.
    public func find(_ name: String) throws -> Lesson {
        let all = try lessons()
        let key = name.lowercased()
        if let lesson = all.first(where: {
            $0.id.lowercased() == key || ($0.path as NSString).lastPathComponent.lowercased() == key
                || ($0.path as NSString).lastPathComponent.lowercased() == key + ".md" || "\($0.order)" == key
        }) {
            return lesson
        }
        let ids = all.map(\.id)
        let hint = didYouMean(key, in: ids).map { "did you mean '\($0)'? " } ?? ""
        let listed = ids.count <= 4 ? "lessons: \(ids.joined(separator: ", "))" : "`lesson` lists them"
        throw LessonError(file: directory, "no lesson '\(name)'; \(hint)\(listed)")
    }
}
