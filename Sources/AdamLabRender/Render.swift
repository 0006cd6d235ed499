// Turns step records into aligned text: headers, tables, summaries of long vectors.

import AdamLabCore
import AdamLabSession
import Foundation

/// How output looks: digits, Unicode or ASCII names, colour or none.
public struct Style: Sendable, Equatable {
    public var precision = 6
    public var unicode = true
    public var color = false
    /// Vectors longer than this are summarised.
    public var maxRows = 8
    /// How wide plots are drawn, in characters: the terminal's width when there is one (kept between 40
    /// and 200), else 72 so that scripts and lessons give the same text everywhere.
    public var width = 72
    /// The terminal's width in columns, when output goes to one.
    public var columns: Int?
    /// The terminal's height in rows, when output goes to one: a plot is drawn to fit it.
    public var rows: Int?

    /// Where prose folds: a comfortable reading measure, or the terminal's width when that is narrower.
    public var proseWidth: Int { min(88, columns.map { max(20, $0 - 1) } ?? 88) }

    public init(precision: Int = 6, unicode: Bool = true, color: Bool = false) {
        self.precision = precision
        self.unicode = unicode
        self.color = color
    }

    /// A number with `precision` significant digits; -0 shows as 0.
    public func number(_ x: Double) -> String { significantDigits(x, precision) }

    /// Text as this style prints it: itself in Unicode, folded to ASCII (`m̂ₜ` is `m_hat_t`) otherwise.
    public func fold(_ text: String) -> String { unicode ? text : asciiFold(text) }

    /// The display name; in ASCII the same name folded (`m̂ₜ` is `m_hat_t`), so that one table of names serves both.
    public func name(_ q: Quantity) -> String { unicode ? q.displayName : asciiFold(q.displayName) }

    /// The display name at step t: m̂ₜ at t = 3 reads m̂₃ (`m_hat_3`), θₜ₋₁ reads θ₂ (`theta_2`).
    public func name(_ q: Quantity, at t: Int) -> String {
        let name = q.displayName.replacingOccurrences(of: "ₜ₋₁", with: sub(t - 1)).replacingOccurrences(
            of: "ₜ", with: sub(t))
        return unicode ? name : asciiFold(name)
    }

    public func bold(_ s: String) -> String { color ? "\u{1B}[1m\(s)\u{1B}[0m" : s }
    public func dim(_ s: String) -> String { color ? "\u{1B}[2m\(s)\u{1B}[0m" : s }
    public func good(_ s: String) -> String { color ? "\u{1B}[32m\(s)\u{1B}[0m" : s }
    public func bad(_ s: String) -> String { color ? "\u{1B}[31m\(s)\u{1B}[0m" : s }

    var rule: String { unicode ? "─" : "-" }
    var bar: String { unicode ? "│" : "|" }
    var cross: String { unicode ? "┼" : "+" }
}

/// Display width of a string in terminal cells: escape sequences and combining marks (accents, the
/// arrow of a vector) take none. The one width function, for tables and for wrapping prose alike.
public func cells(_ s: String) -> Int {
    var n = 0
    var inEscape = false
    for scalar in s.unicodeScalars {
        if inEscape {
            if scalar == "m" { inEscape = false }
            continue
        }
        if scalar == "\u{1B}" {
            inEscape = true
            continue
        }
        if (0x0300...0x036F).contains(scalar.value) || (0x20D0...0x20FF).contains(scalar.value) { continue }
        n += 1
    }
    return n
}

func padLeft(_ s: String, _ width: Int) -> String {
    let w = cells(s)
    return w >= width ? s : String(repeating: " ", count: width - w) + s
}

func padRight(_ s: String, _ width: Int) -> String {
    let w = cells(s)
    return w >= width ? s : s + String(repeating: " ", count: width - w)
}

/// A table with a header row, right-aligned numeric columns and a first label column.
struct Table {
    var header: [String]
    var rows: [[String]]
    /// Columns (past the first) aligned left, as bars are, rather than right, as numbers are.
    var leftAligned: Set<Int> = []

    func render(_ style: Style) -> String {
        // ASCII before measuring, so the columns line up in the names that are printed.
        let header = style.unicode ? self.header : self.header.map(asciiFold)
        let rows = style.unicode ? self.rows : self.rows.map { $0.map(asciiFold) }
        let columns = header.count
        var widths = header.map(cells)
        for row in rows {
            for (i, cell) in row.enumerated() where i < columns { widths[i] = max(widths[i], cells(cell)) }
        }
        let tableWidth = widths.reduce(0, +) + 3 + 2 * max(0, columns - 2)
        // Wider than the terminal: each row as a short record, one value a line, so nothing is cut.
        if let screen = style.columns, tableWidth > screen - 1 {
            return rows.map { row in
                ([style.bold(row.first ?? "")]
                    + zip(header.dropFirst(), row.dropFirst()).filter { !$0.1.isEmpty }.map { "  \($0.0): \($0.1)" })
                    .joined(separator: "\n")
            }.joined(separator: "\n")
        }
        func line(_ cellsInRow: [String], bold: Bool = false) -> String {
            var parts: [String] = []
            for i in 0..<columns {
                let cell = i < cellsInRow.count ? cellsInRow[i] : ""
                parts.append(i == 0 || leftAligned.contains(i) ? padRight(cell, widths[i]) : padLeft(cell, widths[i]))
            }
            var text = parts[0] + " \(style.bar) " + parts.dropFirst().joined(separator: "  ")
            if leftAligned.contains(columns - 1) { while text.last == " " { text.removeLast() } }
            return bold ? style.bold(text) : text
        }
        var out = [line(header, bold: true)]
        let total = widths.dropFirst().reduce(0, +) + 2 * max(0, columns - 2)
        out.append(
            String(repeating: style.rule, count: widths[0] + 1) + style.cross
                + String(repeating: style.rule, count: total + 1))
        out += rows.map { line($0) }
        return out.joined(separator: "\n")
    }
}

/// The columns a step table shows, in order: the gradient, the moments, the optimizer's own state, the move.
func stepColumns(_ record: StepRecord<Double>) -> [Quantity] {
    let order: [Quantity] = [
        .g, .gradF, .m, .v, .mHat, .vHat, .u, .vMax, .s, .sMax, .buf, .sum, .squareAvg, .gradAvg, .accDelta, .direction,
        .update, .thetaNext,
    ]
    return order.filter { record.vectors[$0] != nil }
}

/// One step as a header line and a table with a row per coordinate.
func renderStep(_ record: StepRecord<Double>, spec: OptimizerSpec, groups: [ParameterGroup]? = nil, style: Style)
    -> String
{
    var head = "\(style.bold("t = \(record.t)"))"
    if let loss = record.scalars[.loss] {
        head += "   \(style.unicode ? "f(θ\(sub(record.t - 1)))" : "loss") = \(style.number(loss))"
    }
    for q in [Quantity.lrScheduled, .lrT, .muT, .rhoT, .rT, .stepLength] {
        if let x = record.scalars[q] { head += "   \(style.name(q, at: record.t)) = \(style.number(x))" }
    }
    // Many scalars (RAdam's ρ and r beside f and α) fold between them rather than at the terminal's edge.
    if style.columns != nil, cells(head) > style.width {
        head = wrap(head, width: style.width, indent: "", continuation: "  ")
    }
    if let groups { return head + "\n" + layerTable(record, groups: groups, style: style) }
    let columns = stepColumns(record)
    let table = head + "\n" + vectorTable(columns: columns, record: record, style: style)
    return curvatureLines(record, spec: spec, style: style).map { table + "\n" + $0 } ?? table
}

extension TerminalRenderer {
    /// Quantities of a model's step: at the named weights, or per weight matrix and bias (norm, smallest,
    /// largest).
    func layerQuantities(_ record: StepRecord<Double>, _ qs: [Quantity], groups: [ParameterGroup], picked: [Int])
        -> String
    {
        let vectors = qs.filter { !$0.isScalar }
        var lines = qs.filter(\.isScalar).map { q in
            "\(style.name(q)) = \(q == .t ? "\(record.t)" : style.number(record[q]![0]))"
        }
        if !picked.isEmpty {
            let rows = picked.map { i in [groups.name(of: i)] + vectors.map { style.number(record.vectors[$0]![i]) } }
            lines.append(Table(header: [""] + vectors.map { style.name($0) }, rows: rows).render(style))
            return lines.joined(separator: "\n")
        }
        for q in vectors {
            let v = record.vectors[q]!
            let rows = groups.map { g -> [String] in
                let block = v[g.range]
                return [
                    g.name, "\(g.count)", style.number(block.reduce(0) { $0 + $1 * $1 }.squareRoot()),
                    style.number(block.min() ?? 0), style.number(block.max() ?? 0),
                ]
            }
            let name = style.name(q)
            lines.append(
                Table(header: [name, "n", style.unicode ? "‖·‖₂" : "norm2", "smallest", "largest"], rows: rows).render(
                    style))
        }
        return lines.joined(separator: "\n")
    }
}

/// A model's step, one row per weight matrix and bias: the norm of gₜ, m̂ₜ, √v̂ₜ and Δθ over the block,
/// and the range of Δθ; then the parameter that moved most.
func layerTable(_ record: StepRecord<Double>, groups: [ParameterGroup], style: Style) -> String {
    func norm(_ v: ArraySlice<Double>) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    var columns: [(String, [Double])] = []
    if let g = record.vectors[.g] { columns.append((style.name(.g), g)) }
    if let m = record.vectors[.mHat] { columns.append((style.name(.mHat), m)) }
    if let v = record.vectors[.vHat] {
        let corrected = record.vectors[.s] != nil ? "ŝₜ" : "v̂ₜ"
        columns.append((style.fold("√" + corrected), v.map { $0.squareRoot() }))
    }
    let update = record.vectors[.update] ?? []
    columns.append((style.name(.update), update))
    let header =
        ["", "n"] + columns.map { style.unicode ? "‖\($0.0)‖" : "|\($0.0)|" }
        + [style.unicode ? "Δθ from … to" : "update from .. to"]
    let rows = groups.map { group -> [String] in
        let range = group.range
        let low = update[range].min() ?? 0, high = update[range].max() ?? 0
        return [group.name, "\(group.count)"] + columns.map { style.number(norm($0.1[range])) }
            + ["\(style.number(low)) … \(style.number(high))"]
    }
    var text = Table(header: header, rows: rows).render(style)
    if let k = update.indices.max(by: { abs(update[$0]) < abs(update[$1]) }) {
        text +=
            "\n"
            + style.dim(
                wrap(
                    "largest |Δθ|: \(groups.name(of: k)) = \(style.number(update[k])); `show QUANTITY` per layer, `show QUANTITY w1[0,0]` for one weight",
                    width: style.width, indent: "", continuation: "  "))
    }
    return text
}

/// A per-coordinate table of `columns`, summarised with norms when there are many coordinates.
func vectorTable(columns: [Quantity], record: StepRecord<Double>, style: Style) -> String {
    let n = record.vectors[.theta]?.count ?? record.vectors[columns.first ?? .g]?.count ?? 0
    // AdaBelief's corrected second moment (a record with s) is of s: ŝₜ, not v̂ₜ.
    let corrected = record.vectors[.s] != nil ? style.fold("ŝₜ") : style.name(.vHat)
    let header = ["i"] + columns.map { $0 == .vHat ? corrected : style.name($0) }
    var rows: [[String]] = []
    let shown = n > style.maxRows ? 4 : n
    for i in 0..<shown {
        rows.append(["\(i)"] + columns.map { record.vectors[$0].map { style.number($0[i]) } ?? "" })
    }
    if n > style.maxRows {
        rows.append(["…"] + columns.map { _ in "…" })
        rows.append(
            [style.unicode ? "‖·‖₂" : "norm2"]
                + columns.map { q in
                    record.vectors[q].map { style.number(($0.reduce(0) { $0 + $1 * $1 }).squareRoot()) } ?? ""
                })
        rows.append(
            [style.unicode ? "max|·|" : "maxabs"]
                + columns.map { q in
                    record.vectors[q].map { style.number($0.map(abs).max() ?? 0) } ?? ""
                })
    }
    var text = Table(header: header, rows: rows).render(style)
    if n > style.maxRows {
        text += "\n" + style.dim("\(n) coordinates: the first 4 and norms shown; `show QUANTITY` lists every one")
    }
    return text
}
