// Simple LaTeX as Unicode, for lesson prose and exercises (`\\beta_1` → β₁); drawing prose is a renderer's.

import Foundation

private let symbols: [String: String] = [
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ",
    "psi": "ψ", "omega": "ω", "pi": "π", "nabla": "∇", "sum": "Σ", "prod": "Π", "infty": "∞", "cdot": "·", "times": "×",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "approx": "≈", "neq": "≠", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "in": "∈", "pm": "±", "odot": "⊙", "max": "max", "min": "min", "log": "log",
    "exp": "exp", "ldots": "…", "dots": "…", "quad": "  ", ",": " ", ";": " ", "!": "", "mathbb": "", "left": "",
    "right": "",
    "partial": "∂", "propto": "∝", "sim": "∼", "lim": "lim", "E": "𝔼", "lesssim": "≲", "gtrsim": "≳",
]
private let subscripts: [Character: Character] = [
    "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉", "+": "₊",
    "-": "₋",
    "−": "₋", "=": "₌", "(": "₍", ")": "₎", "a": "ₐ", "e": "ₑ", "h": "ₕ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ", "l": "ₗ",
    "m": "ₘ",
    "n": "ₙ", "o": "ₒ", "p": "ₚ", "r": "ᵣ", "s": "ₛ", "t": "ₜ", "u": "ᵤ", "v": "ᵥ", "x": "ₓ", "β": "ᵦ",
]
private let superscripts: [Character: Character] = [
    "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "+": "⁺",
    "-": "⁻",
    "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "a": "ᵃ", "b": "ᵇ", "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "i": "ⁱ", "k": "ᵏ",
    "m": "ᵐ",
    "n": "ⁿ", "p": "ᵖ", "t": "ᵗ", "T": "ᵀ", "x": "ˣ", "β": "ᵝ", "∞": "∞",
]

/// Converts simple LaTeX to Unicode: `\beta_1` → β₁, `\hat{m}_t` → m̂ₜ, `\sqrt{x}` → √x, `\frac{a}{b}` → a/b.
/// What has no Unicode form (a subscript letter without one) is kept readable: `_{q}` → `_q`.
/// A formula nested deeper than `latexDepthLimit` is kept as the author typed it. Linear in the length.
public func latexToUnicode(_ latex: String) -> String {
    var parser = LatexParser(chars: Array(latex))
    let out = parser.sequence(until: nil)
    // A minus in mathematics is the minus sign (as the REPL prints 1 − β₁²), not a hyphen.
    return parser.tooDeep ? latex : out.replacingOccurrences(of: "-", with: "−")
}

/// How deep braces may nest in lesson mathematics.
public let latexDepthLimit = 100

/// The deepest brace nesting in `text` (unbalanced closing braces ignored).
public func latexNestingDepth(_ text: String) -> Int {
    var depth = 0, deepest = 0
    for u in text.utf8 {
        if u == UInt8(ascii: "{") {
            depth += 1
            deepest = max(deepest, depth)
        } else if u == UInt8(ascii: "}") {
            depth = max(0, depth - 1)
        }
    }
    return deepest
}

private struct LatexParser {
    let chars: [Character]
    var pos = 0
    var depth = 0
    /// Set when the nesting passed the limit: the parse stops and the formula is kept as typed.
    var tooDeep = false

    /// Counts one level of recursion; past the limit, ends the parse.
    mutating func descend() -> Bool {
        depth += 1
        if depth > latexDepthLimit {
            tooDeep = true
            pos = chars.count
        }
        return !tooDeep
    }

    mutating func sequence(until closing: Character?) -> String {
        defer { depth -= 1 }
        guard descend() else { return "" }
        var out = ""
        while pos < chars.count {
            let c = chars[pos]
            if let closing, c == closing {
                pos += 1
                return out
            }
            out += atom()
            if pos < chars.count, chars[pos] == "_" || chars[pos] == "^" {
                let isSub = chars[pos] == "_"
                pos += 1
                let script = group()
                out += scripted(script, sub: isSub)
            }
        }
        return out
    }

    /// One unit: a command, a braced group, or a character. Every recursion passes here or through
    /// `sequence`, so the depth limit holds for `\sqrt\sqrt…` chains as for braces.
    mutating func atom() -> String {
        defer { depth -= 1 }
        guard descend() else { return "" }
        let c = chars[pos]
        if c == "{" {
            pos += 1
            return sequence(until: "}")
        }
        if c == "\\" { return command() }
        if c == "_" || c == "^" { return "" }
        pos += 1
        return c == "~" ? " " : String(c)
    }

    mutating func group() -> String {
        guard pos < chars.count else { return "" }
        if chars[pos] == "{" {
            pos += 1
            return sequence(until: "}")
        }
        return atom()
    }

    mutating func command() -> String {
        pos += 1
        guard pos < chars.count else { return "\\" }
        var name = ""
        if chars[pos].isLetter {
            while pos < chars.count, chars[pos].isLetter {
                name.append(chars[pos])
                pos += 1
            }
            // As in TeX, a space after a symbol's name only ends the name (`\nabla f` is ∇f);
            // operators keep the spacing the author typed.
            let operators: Set<String> = [
                "cdot", "times", "leq", "le", "geq", "ge", "approx", "neq", "to", "rightarrow",
                "leftarrow", "gets", "in", "pm", "odot", "propto", "sim", "quad",
            ]
            if !operators.contains(name), symbols[name] != nil {
                var next = pos
                while next < chars.count, chars[next] == " " { next += 1 }
                // Only before a letter or digit (`\\nabla f`): before `=` or `+` the author's space stays.
                if next < chars.count, chars[next] != "\\", chars[next].isLetter || chars[next].isNumber { pos = next }
            }
        } else {
            name = String(chars[pos])
            pos += 1
        }
        switch name {
        case "hat": return combining(group(), "\u{0302}")
        case "bar", "overline": return combining(group(), "\u{0304}")
        case "tilde": return combining(group(), "\u{0303}")
        case "vec": return combining(group(), "\u{20D7}")
        case "sqrt":
            let inner = group()
            return "√" + parenthesised(inner)
        case "frac":
            let a = group(), b = group()
            return parenthesised(a) + "/" + parenthesised(b)
        case "text", "mathrm", "operatorname", "mathbf", "mathit": return group()
        case "mathbb": return group() == "E" ? "𝔼" : ""
        case "{", "}", "$", "%", "#", "&", "_": return name
        case "\\": return " "
        default: return symbols[name] ?? "\\" + name
        }
    }

    func combining(_ base: String, _ mark: String) -> String {
        guard let first = base.first else { return mark }
        return String(first) + mark + base.dropFirst()
    }

    func parenthesised(_ s: String) -> String {
        let simple = s.allSatisfy { !" +−-·/".contains($0) }
        return simple ? s : "(" + s + ")"
    }

    func scripted(_ s: String, sub: Bool) -> String {
        let table = sub ? subscripts : superscripts
        let mapped = s.compactMap { $0 == " " ? nil : table[$0] }
        if mapped.count == s.filter({ $0 != " " }).count { return String(mapped) }
        return (sub ? "_" : "^") + (s.count == 1 ? s : "(" + s + ")")
    }
}
