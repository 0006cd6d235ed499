// The one error type of the numeric core: what went wrong, and where in the user's text.

import Foundation

/// Where something is in what the user typed or wrote: a 1-based character column and a width, and,
/// for text read from a file, the file and the 1-based line.
public struct TextSpan: Sendable, Equatable {
    public var column: Int
    public var width: Int
    public var file: String?
    public var line: Int?

    public init(column: Int, width: Int = 1, file: String? = nil, line: Int? = nil) {
        self.column = max(1, column)
        self.width = max(1, width)
        self.file = file
        self.line = line
    }

    /// The span of text that starts `offset` characters into a longer line, placed in that line.
    public func shifted(by offset: Int) -> TextSpan {
        TextSpan(column: column + offset, width: width, file: file, line: line)
    }

    /// The same span in `file` at `line`, unless it already has a file.
    public func located(file: String, line: Int?) -> TextSpan {
        self.file == nil ? TextSpan(column: column, width: width, file: file, line: line) : self
    }

    /// `FILE:LINE:COLUMN`, `FILE` when the line is not known, nil without a file.
    public var location: String? {
        guard let file else { return nil }
        guard let line else { return file }
        return "\(file):\(line):\(column)"
    }
}

/// An error from parsing a spec, formula or data set, or from a step that cannot be taken, with its
/// place in the text the user typed when known.
public struct CoreError: Error, LocalizedError, Sendable, Equatable {
    public var message: String
    public var span: TextSpan?

    public init(_ message: String, at span: TextSpan? = nil) {
        self.message = message
        self.span = span
    }

    public var errorDescription: String? { message }

    /// The same error placed in a longer line, its text starting `offset` characters in.
    public func shifted(by offset: Int) -> CoreError {
        CoreError(message, at: span?.shifted(by: offset))
    }
}

/// A file that could not be read, with the reason in plain words ("no such file", "is a folder, not a
/// file"). The core reads no files itself; whoever reads them for it throws one of these.
public protocol FileProblem: Error {
    var path: String { get }
    var reason: String { get }
}

/// Suggests the closest of `choices` to a misspelt `word`, or nil when none is close.
public func didYouMean(_ word: String, in choices: [String]) -> String? {
    let w = word.lowercased()
    let scored = choices.map { ($0, editDistance(w, $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    // One edit for short words (so `foo` suggests nothing rather than `rho`), two up to 6 letters, then three.
    let limit = w.count <= 4 ? 1 : w.count <= 7 ? 2 : 3
    if best.1 <= limit { return best.0 }
    if w.count >= 2, let prefixed = choices.first(where: { $0.lowercased().hasPrefix(w) }) { return prefixed }
    return nil
}

/// Levenshtein distance with transpositions counted as one edit.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}

/// A word of a spec string and the 1-based column where it starts.
public struct SpecToken: Sendable, Equatable {
    public var text: String
    public var column: Int

    /// Where the token is, as an error would point at it.
    public var span: TextSpan { TextSpan(column: column, width: text.count) }
}

/// Splits a spec line on whitespace, remembering columns.
public func tokenize(_ line: String) -> [SpecToken] {
    // ASCII (nearly every line, and every long one: 10⁶ numbers) is split byte by byte, where a byte is a
    // column; other text Character by Character.
    let bytes = Array(line.utf8)
    if !bytes.contains(where: { $0 >= 0x80 }) {
        var tokens: [SpecToken] = []
        var start: Int?
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        for (i, b) in bytes.enumerated() {
            if isSpace(b) {
                if let s = start {
                    tokens.append(SpecToken(text: String(decoding: bytes[s..<i], as: UTF8.self), column: s + 1))
                }
                start = nil
            } else if start == nil {
                start = i
            }
        }
        if let s = start {
            tokens.append(SpecToken(text: String(decoding: bytes[s...], as: UTF8.self), column: s + 1))
        }
        return tokens
    }
    var tokens: [SpecToken] = []
    var current = ""
    var start = 0
    for (i, ch) in line.enumerated() {
        if ch.isWhitespace {
            if !current.isEmpty { tokens.append(SpecToken(text: current, column: start + 1)) }
            current = ""
        } else {
            if current.isEmpty { start = i }
            current.append(ch)
        }
    }
    if !current.isEmpty { tokens.append(SpecToken(text: current, column: start + 1)) }
    return tokens
}

/// Parses a number the way a learner writes it: `0.1`, `1e-7`, `-3`, `.5`.
public func parseNumber(_ text: String) -> Double? { parseNumber(text[...]) }

/// `parseNumber` on part of a string. Digits, signs, a point and an exponent only (no `inf`, `nan` or
/// hex), spaces around allowed, fewer than 64 characters; read byte by byte, since a line of 10⁶ numbers
/// must be read in a fraction of a second.
public func parseNumber(_ text: Substring) -> Double? {
    let bytes = text.utf8
    var start = bytes.startIndex, end = bytes.endIndex
    func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
    while start < end && isSpace(bytes[start]) { start = bytes.index(after: start) }
    while end > start && isSpace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
    let count = bytes.distance(from: start, to: end)
    guard count > 0 else {
        // Only spaces, or other white space (a no-break space) that the byte path does not trim.
        return text.contains(where: { !$0.isWhitespace }) ? slowNumber(text) : nil
    }
    guard count < 64 else { return nil }
    for b in bytes[start..<end] {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "e"), UInt8(ascii: "E"):
            continue
        default: return b < 0x80 ? nil : slowNumber(text)
        }
    }
    return Double(Substring(text.utf8[start..<end]))
}

/// The same rule for text with white space beyond ASCII spaces and tabs.
private func slowNumber(_ text: Substring) -> Double? {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard !t.isEmpty, t.count < 64, t.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
    return Double(t)
}

/// Parses a comma-separated vector such as `5,0` or `3, 4`.
public func parseVector(_ text: String) -> [Double]? {
    var out: [Double] = []
    // Split on the comma's byte: a comma is never part of another character in UTF-8.
    for p in text.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
        guard let x = parseNumber(Substring(p)) else { return nil }
        out.append(x)
    }
    return out.isEmpty ? nil : out
}

/// Splits text into lines at LF, CRLF or CR (so files from any system read the same), without a
/// final empty line for a trailing newline.
public func splitLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = ""
    var lastWasCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            if !lastWasCR {
                lines.append(current)
                current = ""
            }
            lastWasCR = false
        } else if scalar == "\r" {
            lines.append(current)
            current = ""
            lastWasCR = true
        } else {
            current.unicodeScalars.append(scalar)
            lastWasCR = false
        }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
}
