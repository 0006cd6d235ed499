// Turns step records into the text of `adamlab trace`: JSON lines, CSV or an aligned table.

import AdamLabCore
import Foundation

/// The output formats of `adamlab trace`.
public enum TraceFormat: String, CaseIterable, Sendable {
    case jsonl, csv, table
}

/// Formats a trace, one record at a time. The CSV header is fixed by the first record.
public struct TraceFormatter<T: Scalar> {
    public let format: TraceFormat
    private var columns: [Quantity] = []

    public init(format: TraceFormat) { self.format = format }

    /// The text for one record, with a header first when the format has one.
    public mutating func lines(for record: StepRecord<T>) -> [String] {
        var out: [String] = []
        if columns.isEmpty {
            columns = record.quantities
            if format != .jsonl { out.append(header(dimension: record[.theta]?.count ?? 0)) }
        }
        switch format {
        case .jsonl:
            let fields = columns.map { q -> String in
                if q == .t { return "\"t\": \(record.t)" }
                if q.isScalar, let s = record.scalars[q] { return "\"\(q.machineName)\": \(json(s))" }
                return "\"\(q.machineName)\": [" + (record[q] ?? []).map(json).joined(separator: ", ") + "]"
            }
            out.append("{" + fields.joined(separator: ", ") + "}")
        case .csv:
            out.append(
                columns.flatMap { q in q == .t ? ["\(record.t)"] : (record[q] ?? []).map(DataText.number) }.joined(
                    separator: ","))
        case .table:
            out.append(
                columns.flatMap { q in q == .t ? [pad("\(record.t)", 6)] : (record[q] ?? []).map { pad(short($0), 13) }
                }
                .joined(separator: " "))
        }
        return out
    }

    private func header(dimension n: Int) -> String {
        let names = columns.flatMap { q -> [String] in
            if q == .t || q.isScalar { return [q.machineName] }
            return (0..<n).map { "\(q.machineName)[\($0)]" }
        }
        switch format {
        case .csv: return names.joined(separator: ",")
        default: return names.enumerated().map { pad($0.element, $0.offset == 0 ? 6 : 13) }.joined(separator: " ")
        }
    }

    /// The closing line: where the run ended and whether it diverged (none for CSV, whose readers
    /// expect only rows).
    public func final(theta: [T], steps: Int, divergence: Divergence?) -> String? {
        let finalText = theta.map(json).joined(separator: ", ")
        switch format {
        case .jsonl:
            if let d = divergence {
                return
                    "{\"final\": [\(finalText)], \"steps\": \(steps), \"status\": \"diverged\", \"at\": \(d.t), \"quantity\": \"\(d.quantity.machineName)\", \"coordinate\": \(d.coordinate)}"
            }
            return "{\"final\": [\(finalText)], \"steps\": \(steps), \"status\": \"ok\"}"
        case .csv:
            return nil
        case .table:
            let status = divergence.map { "diverged: \($0.description)" } ?? "ok"
            return "# final \(theta.map(DataText.number).joined(separator: ",")) steps \(steps) status \(status)"
        }
    }

    private func json(_ x: T) -> String { DataText.jsonNumber(x) }
    private func short(_ x: T) -> String {
        String(format: "%.6g", x.double)
    }
    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }
}
