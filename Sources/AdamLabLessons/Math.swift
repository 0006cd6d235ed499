// A lesson's LaTeX as a value: parsed into a small tree that each renderer typesets its own way
// (Unicode in a terminal, ASCII under --ascii, MathML in the page).

import Foundation

/// A formula, as the parser reads simple LaTeX.
public indirect enum MathNode: Equatable, Sendable {
    /// A braced group or a whole formula.
    case row([MathNode])
    /// Characters as typed: a letter, a digit, a sign, a space.
    case text(String)
    /// A named symbol: `\beta` is ("β", "beta"); an operator keeps its name, so a renderer can space it.
    case symbol(String, name: String)
    /// A command with no Unicode form, kept as typed (`\foo`).
    case unknown(String)
    /// A subscript (or a superscript) of the node before it.
    case script(MathNode, isSubscript: Bool)
    /// A combining accent over its base: `\hat{m}` is (m, U+0302).
    case accent(MathNode, mark: String)
    case sqrt(MathNode)
    case frac(MathNode, MathNode)
    /// Upright words: `\text{…}`, `\mathrm{…}`.
    case words(MathNode)
}

/// A formula parsed from the author's LaTeX, or kept as typed when it nests too deep.
public struct Formula: Equatable, Sendable {
    public var latex: String
    /// nil when the formula nests deeper than `latexDepthLimit` (it is then shown as typed).
    public var tree: MathNode?

    public init(_ latex: String) {
        self.latex = latex
        var parser = LatexParser(chars: Array(latex))
        let nodes = parser.sequence(until: nil)
        tree = parser.tooDeep ? nil : .row(nodes)
    }
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

/// The symbols a command names, in Unicode.
let latexSymbols: [String: String] = [
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
    "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ",
    "psi": "ψ", "omega": "ω", "pi": "π", "nabla": "∇", "sum": "Σ", "prod": "Π", "infty": "∞", "cdot": "·", "times": "×",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "approx": "≈", "neq": "≠", "to": "→", "rightarrow": "→",
    "leftarrow": "←", "gets": "←", "in": "∈", "pm": "±", "odot": "⊙", "max": "max", "min": "min", "log": "log",
    "exp": "exp", "ln": "ln", "ldots": "…", "dots": "…", "quad": "  ", ",": " ", ";": " ", "!": "", "mathbb": "",
    "left": "",
    "right": "", "partial": "∂", "propto": "∝", "sim": "∼", "lim": "lim", "E": "𝔼", "lesssim": "≲", "gtrsim": "≳",
]

/// Commands that are operators: the author's spacing around them is kept.
public let latexOperators: Set<String> = [
    "cdot", "times", "leq", "le", "geq", "ge", "approx", "neq", "to", "rightarrow", "leftarrow", "gets", "in", "pm",
    "odot", "propto", "sim", "quad",
]

/// Recursive descent over simple LaTeX; linear in the length, and bounded in depth.
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

    mutating func sequence(until closing: Character?) -> [MathNode] {
        defer { depth -= 1 }
        guard descend() else { return [] }
        var out: [MathNode] = []
        while pos < chars.count {
            let c = chars[pos]
            if let closing, c == closing {
                pos += 1
                return out
            }
            out.append(atom())
            if pos < chars.count, chars[pos] == "_" || chars[pos] == "^" {
                let isSubscript = chars[pos] == "_"
                pos += 1
                out.append(.script(group(), isSubscript: isSubscript))
            }
        }
        return out
    }

    /// One unit: a command, a braced group, or a character. Every recursion passes here or through
    /// `sequence`, so the depth limit holds for `\sqrt\sqrt…` chains as for braces.
    mutating func atom() -> MathNode {
        defer { depth -= 1 }
        guard descend() else { return .row([]) }
        let c = chars[pos]
        if c == "{" {
            pos += 1
            return .row(sequence(until: "}"))
        }
        if c == "\\" { return command() }
        if c == "_" || c == "^" { return .row([]) }
        pos += 1
        return .text(c == "~" ? " " : String(c))
    }

    mutating func group() -> MathNode {
        guard pos < chars.count else { return .row([]) }
        if chars[pos] == "{" {
            pos += 1
            return .row(sequence(until: "}"))
        }
        return atom()
    }

    mutating func command() -> MathNode {
        pos += 1
        guard pos < chars.count else { return .text("\\") }
        var name = ""
        if chars[pos].isLetter {
            while pos < chars.count, chars[pos].isLetter {
                name.append(chars[pos])
                pos += 1
            }
            // As in TeX, a space after a symbol's name only ends the name (`\nabla f` is ∇f), before a
            // letter or digit; operators keep the spacing the author typed.
            if !latexOperators.contains(name), latexSymbols[name] != nil {
                var next = pos
                while next < chars.count, chars[next] == " " { next += 1 }
                if next < chars.count, chars[next] != "\\", chars[next].isLetter || chars[next].isNumber { pos = next }
            }
        } else {
            name = String(chars[pos])
            pos += 1
        }
        switch name {
        case "hat": return .accent(group(), mark: "\u{0302}")
        case "bar", "overline": return .accent(group(), mark: "\u{0304}")
        case "tilde": return .accent(group(), mark: "\u{0303}")
        case "vec": return .accent(group(), mark: "\u{20D7}")
        case "sqrt": return .sqrt(group())
        case "frac":
            let a = group()
            return .frac(a, group())
        case "text", "mathrm", "operatorname", "mathbf", "mathit": return .words(group())
        case "mathbb":
            let letter = group()
            return letter == .row([.text("E")]) || letter == .text("E") ? .symbol("𝔼", name: "E") : .text("")
        case "{", "}", "$", "%", "#", "&", "_": return .text(name)
        case "\\": return .text(" ")
        default: return latexSymbols[name].map { .symbol($0, name: name) } ?? .unknown("\\" + name)
        }
    }
}
