// The text of data files (CSV, JSON): the one way adamlab writes a field and a number in them.

import AdamLabCore

public enum DataText {
    /// A number in its shortest form that reads back to the same bits; `nan`, `inf` and `-inf` for the rest.
    public static func number<T: Scalar>(_ x: T) -> String { "\(x)" }

    /// A number for JSON, which has no NaN or infinity: those are null.
    public static func jsonNumber<T: Scalar>(_ x: T) -> String { x.isFinite ? number(x) : "null" }

    /// A CSV field: quoted (its quotes doubled) when it holds a comma, a quote or a line break, or when
    /// `quoted` asks for it (a name, so a reader never takes it for a number).
    public static func csvField(_ s: String, quoted: Bool = false) -> String {
        quoted || s.contains(where: { ",\"\n\r".contains($0) })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A CSV row of fields.
    public static func csvRow(_ fields: [String]) -> String { fields.map { csvField($0) }.joined(separator: ",") }
}
