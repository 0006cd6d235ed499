// Finding the lessons: a folder of markdown files, in their `order`.

import AdamLabCore
import AdamLabSession
import Foundation

/// The lessons in a directory, in their `order`.
public struct LessonLibrary: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$ADAMLAB_LESSONS`, else `./lessons`, else where adamlab is installed (`share/adamlab/lessons`
    /// beside the folder of the executable), else a `lessons` folder above the executable (a source
    /// checkout). `executable` is the running program's own path, symbolic links and all.
    public static func locate(
        environment: [String: String], executable: String,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> LessonLibrary? {
        let fm = FileManager.default
        if let dir = environment["ADAMLAB_LESSONS"], !dir.isEmpty { return LessonLibrary(directory: dir) }
        if fm.fileExists(atPath: currentDirectory + "/lessons/README.md") {
            return LessonLibrary(
                directory: currentDirectory == fm.currentDirectoryPath ? "lessons" : currentDirectory + "/lessons")
        }
        guard !executable.isEmpty else { return nil }
        let bin = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let installed = bin.deletingLastPathComponent().appendingPathComponent("share/adamlab/lessons")
        if fm.fileExists(atPath: installed.appendingPathComponent("README.md").path) {
            return LessonLibrary(directory: installed.path)
        }
        var url = bin
        for _ in 0..<6 {
            let candidate = url.appendingPathComponent("lessons")
            if fm.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return LessonLibrary(directory: candidate.path)
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// The lesson files (every `.md` but README.md), sorted by name. A folder that cannot be listed is
    /// an error that names it and says why.
    public func files() throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw LessonError(file: directory, "no such lessons folder")
        }
        guard isDirectory.boolValue else { throw LessonError(file: directory, "not a folder of lessons") }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LessonError(file: directory, "the lessons folder cannot be read (permission denied)")
        }
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
