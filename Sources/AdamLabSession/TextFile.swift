// Reading the user's text files (lessons, scripts, answers, data) with plain, one-line reasons.

import AdamLabCore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Why a file could not be read, as a learner would say it: "no such file", "is a folder", ….
public struct FileError: Error, LocalizedError, FileProblem, Sendable, Equatable {
    public var path: String
    public var reason: String
    /// The 1-based line the problem is on, when it is on one.
    public var line: Int?

    public init(path: String, reason: String, line: Int? = nil) {
        self.path = path
        self.reason = reason
        self.line = line
    }

    /// `FILE:LINE: error: reason` or `FILE: error: reason`.
    public var errorDescription: String? { "\(path)\(line.map { ":\($0)" } ?? ""): error: \(reason)" }
}

/// One line of a file read line by line: its text, or nil when its bytes are not UTF-8.
public typealias FileLine = String?

public enum TextFile {
    /// Larger files are refused rather than read: no lesson, script or data set is near this.
    public static let sizeLimit = 64 << 20

    /// The file's bytes. Never blocks: a FIFO or device is refused before it is read.
    public static func bytes(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: path, reason: reasonForErrno(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileError(path: path, reason: reasonForErrno(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw FileError(path: path, reason: "is a folder, not a file")
        default: throw FileError(path: path, reason: "is not a regular file (a pipe, socket or device)")
        }
        guard Int(info.st_size) <= sizeLimit else { throw FileError(path: path, reason: "is larger than 64 MiB") }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, reason: reasonForErrno(errno))
            }
            if n == 0 { break }
            out += chunk[0..<n]
            if out.count > sizeLimit { throw FileError(path: path, reason: "is larger than 64 MiB") }
        }
        return out
    }

    /// The whole file as UTF-8 text (a byte-order mark at its start left out); invalid UTF-8 is an
    /// error that names the line.
    public static func read(_ path: String) throws -> String {
        let data = withoutByteOrderMark(try bytes(path))
        if let text = String(validating: data, as: UTF8.self) { return text }
        let lines = splitByteLines(data)
        let bad = lines.firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0
        throw FileError(path: path, reason: "is not valid UTF-8", line: bad + 1)
    }

    /// Writes `text` to a temporary file beside `path`, then renames it over: never half-written. A
    /// symbolic link is followed (its target is replaced, the link kept); anything that exists and is
    /// not a regular file (a device, a folder, a pipe) is refused, never replaced, and so is a file the
    /// user may not write or has marked read-only. A file replaced keeps its permissions.
    public static func write(_ path: String, _ text: String) throws {
        var target = path
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
            guard let resolved = realpath(path, nil) else {
                throw FileError(path: path, reason: "is a link to nothing (\(reasonForErrno(errno)))")
            }
            target = String(cString: resolved)
            free(resolved)
        }
        var mode: mode_t = 0o644
        if stat(target, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFDIR: throw FileError(path: path, reason: "is a folder, not a file")
            default: throw FileError(path: path, reason: "is not a regular file; it was left alone")
            }
            if access(target, W_OK) != 0 || info.st_mode & 0o222 == 0 {
                throw FileError(path: path, reason: "is read-only; it was left alone")
            }
            mode = info.st_mode & 0o7777
        }
        let temporary = target + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else {
            let code = errno
            throw FileError(path: path, reason: code == ENOENT ? "its folder does not exist" : reasonForErrno(code))
        }
        fchmod(fd, mode)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                let code = errno
                close(fd)
                unlink(temporary)
                throw FileError(path: path, reason: reasonForErrno(code))
            }
            written += n
        }
        close(fd)
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw FileError(path: path, reason: reasonForErrno(code))
        }
    }

    /// Makes `directory` and the folders above it, as `mkdir -p` does; a reason in plain words when it cannot.
    public static func makeFolder(_ directory: String) throws {
        var info = stat()
        if stat(directory, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw FileError(path: directory, reason: "is a file, not a folder")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory { try makeFolder(parent) }
        if mkdir(directory, 0o755) != 0 && errno != EEXIST {
            throw FileError(path: directory, reason: "cannot be made (\(reasonForErrno(errno)))")
        }
    }

    /// The file's lines (LF, CRLF or CR endings), each decoded on its own: one bad byte spoils one line.
    public static func lines(_ path: String) throws -> [FileLine] {
        decodeLines(try bytes(path))
    }

    /// Lines of raw bytes, each decoded on its own.
    public static func decodeLines(_ data: [UInt8]) -> [FileLine] {
        var lines = splitByteLines(withoutByteOrderMark(data)).map { String(validating: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Some editors start a UTF-8 file with a byte-order mark (EF BB BF); it is not text.
    static func withoutByteOrderMark(_ data: [UInt8]) -> [UInt8] {
        data.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(data.dropFirst(3)) : data
    }

    static func splitByteLines(_ data: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i < data.count {
            let b = data[i]
            if b == 0x0A || b == 0x0D {
                out.append(data[start..<i])
                if b == 0x0D, i + 1 < data.count, data[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        out.append(data[start..<data.count])
        return out
    }

    static func reasonForErrno(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a folder, not a file"
        case ENOTDIR: return "a part of the path is not a folder"
        case ENAMETOOLONG: return "the name is too long"
        case ELOOP: return "too many symbolic links"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

/// The plain reason for an error reading a file, without the path: for messages that name it already.
public func plainReason(_ error: Error) -> String {
    if let e = error as? FileError { return e.reason + (e.line.map { " (line \($0))" } ?? "") }
    return (error as? LocalizedError)?.errorDescription ?? "\(error)"
}
