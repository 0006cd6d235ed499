// The data of a linear regression: rows of features and a target, read from CSV.

import Foundation

/// Data for least-squares linear regression: rows of features and a target.
public struct RegressionData: Sendable, Equatable {
    public var features: [[Double]]
    public var targets: [Double]
    public var source: String
    /// The column names, when the first row is a header (no cell of it a number).
    public var header: [String]?

    /// Parses CSV text: one row per line (LF, CRLF or CR; a byte-order mark first is skipped), the last
    /// column the target. The first row is a header only if none of its cells is a number; any other row
    /// with a cell that is not a finite number is an error that names its line and the cell.
    public init(csv: String, source: String) throws {
        var features: [[Double]] = []
        var targets: [Double] = []
        var width: Int?
        let text = csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv
        // `isNewline` splits at "\r\n" (one Character in Swift), "\r" and "\n" alike.
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let numbers = cells.map { parseNumber($0) }
            if width == nil, header == nil, numbers.allSatisfy({ $0 == nil }), cells.allSatisfy({ Self.isName($0) }) {
                header = cells
                width = cells.count
                continue
            }
            if let bad = zip(cells, numbers).first(where: { $0.1 == nil || !$0.1!.isFinite }) {
                let shown = Self.visible(bad.0)
                let what = bad.1 == nil ? "not a number" : "not a finite number"
                throw CoreError("\(source):\(index + 1): '\(shown)' is \(what) (row '\(Self.visible(line))')")
            }
            let row = numbers.map { $0! }
            guard row.count >= 2 else {
                throw CoreError(
                    "\(source):\(index + 1): need at least one feature and a target, got \(row.count) column")
            }
            if let w = width, w != row.count {
                throw CoreError("\(source):\(index + 1): \(row.count) columns, expected \(w)")
            }
            width = row.count
            features.append(Array(row.dropLast()))
            targets.append(row.last!)
        }
        guard !targets.isEmpty else { throw CoreError("\(source): no data rows") }
        self.features = features
        self.targets = targets
        self.source = source
    }

    /// A header cell: a name (letters, digits, `_`, `.`, `-`, spaces, brackets), not blank, no control characters.
    private static func isName(_ cell: String) -> Bool {
        !cell.isEmpty && cell.unicodeScalars.allSatisfy { !CharacterSet.controlCharacters.contains($0) }
            && !["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(cell.lowercased())
    }

    /// A cell as an error shows it: control characters (a NUL) spelled out, long text cut.
    private static func visible(_ text: String) -> String {
        let spelled = text.unicodeScalars.map {
            CharacterSet.controlCharacters.contains($0) ? String(format: "\\u{%X}", $0.value) : String($0)
        }.joined()
        return spelled.count > 60 ? String(spelled.prefix(60)) + "…" : spelled
    }
}
