// Unicode mathematics folded to ASCII, for terminals without UTF-8.

import AdamLabSession
import Foundation

/// Names of Unicode mathematics in ASCII, longest first where one is a prefix of another.
private let asciiNames: [(String, String)] = [
    ("Δθ", "delta_theta"), ("Σ =", "Sigma ="), ("Σ)", "Sigma)"), ("∈", "in"), ("β₁", "beta1"), ("β₂", "beta2"),
    ("ε̂", "eps_hat"), ("m̂", "m_hat"), ("v̂", "v_hat"), ("ŝ", "s_hat"),
    ("𝔼", "E"), ("𝒩", "N"), ("‖", "||"), ("∇", "grad "), ("≤", "<="), ("≥", ">="), ("≈", "~"), ("≠", "!="), ("→", "->"),
    ("←", "<-"), ("…", "..."), ("·", "*"), ("×", "x"), ("−", "-"), ("±", "+-"), ("∞", "inf"), ("¼", "1/4"),
    ("½", "1/2"), ("α", "alpha"), ("β", "beta"), ("γ", "gamma"), ("δ", "delta"), ("Δ", "Delta"), ("ε", "eps"),
    ("η", "eta"),
    ("θ", "theta"), ("λ", "lambda"), ("μ", "mu"), ("ν", "nu"), ("π", "pi"), ("ρ", "rho"), ("σ", "sigma"), ("Σ", "sum"),
    ("τ", "tau"), ("φ", "phi"), ("ψ", "psi"), ("ω", "omega"), ("Π", "prod"), ("∂", "d"), ("✓", "ok"), ("✗", "x"),
    ("│", "|"), ("┼", "+"), ("─", "-"), ("═", "="), ("•", "*"), ("›", ">"), ("“", "\""), ("”", "\""), ("‘", "'"),
    ("’", "'"),
    ("—", "--"), ("–", "-"), ("⊙", "*"), ("∝", "~"), ("∼", "~"),
]
/// The script characters read back: ₂ is 2, ᵦ is beta (where two characters share a form, the ASCII one).
private func readBack(_ table: [Character: Character]) -> [Character: String] {
    var out: [Character: String] = [:]
    for (plain, script) in table where out[script] == nil || plain.isASCII {
        out[script] = plain == "β" ? "beta" : String(plain)
    }
    out.removeValue(forKey: "∞")
    return out
}
private let asciiSubscripts = readBack(UnicodeScripts.subscripts)
private let asciiSuperscripts = readBack(UnicodeScripts.superscripts)

/// Rewrites Unicode mathematics as ASCII for terminals without UTF-8: `Δθ` → `delta_theta`,
/// `√v̂₂` → `sqrt(v_hat_2)`, `β₁ᵗ` → `beta1^t`. Anything left that is not ASCII loses its accents or
/// becomes `?`, so the output is ASCII whatever made it.
public func asciiFold(_ s: String) -> String {
    guard !s.allSatisfy(\.isASCII) else { return s }
    var named = s
    for (k, v) in asciiNames where named.contains(k) { named = named.replacingOccurrences(of: k, with: v) }
    var out = ""
    var chars = Array(named)[...]
    /// A run of script characters becomes `_ab` or `^ab`; more than one character is parenthesised when it holds an operator.
    func script(_ table: [Character: String], _ mark: String) {
        var run = ""
        while let c = chars.first, let mapped = table[c] {
            run += mapped
            chars.removeFirst()
        }
        let needsGroup = run.contains { "+-=()".contains($0) } && run.count > 1
        out += mark + (needsGroup && !(run.hasPrefix("(") && run.hasSuffix(")")) ? "(" + run + ")" : run)
    }
    while let c = chars.first {
        if asciiSubscripts[c] != nil {
            script(asciiSubscripts, "_")
            continue
        }
        if asciiSuperscripts[c] != nil {
            script(asciiSuperscripts, "^")
            continue
        }
        chars.removeFirst()
        if c == "√" {
            // √ takes the operand that follows: a parenthesised group, or a name or number with its scripts.
            if chars.first == "(" {
                out += "sqrt"
                continue
            }
            var operand = ""
            while let d = chars.first,
                d.isLetter || d.isNumber || d == "_" || d == "." || asciiSubscripts[d] != nil
                    || asciiSuperscripts[d] != nil
            {
                operand.append(d)
                chars.removeFirst()
            }
            out += "sqrt(" + asciiFold(operand) + ")"
            continue
        }
        if c.isASCII {
            out.append(c)
            continue
        }
        let stripped = String(c).decomposedStringWithCanonicalMapping.unicodeScalars.filter(\.isASCII)
        out += stripped.isEmpty ? "?" : String(String.UnicodeScalarView(stripped))
    }
    return out
}
