// Unicode sub- and superscripts: the one table, for names (m̂₃), a lesson's mathematics and ASCII folding.

/// The characters that have a subscript or superscript form in Unicode, and that form.
public enum UnicodeScripts {
    public static let subscripts: [Character: Character] = [
        "0": "₀", "1": "₁", "2": "₂", "3": "₃", "4": "₄", "5": "₅", "6": "₆", "7": "₇", "8": "₈", "9": "₉", "+": "₊",
        "-": "₋", "−": "₋", "=": "₌", "(": "₍", ")": "₎", "a": "ₐ", "e": "ₑ", "h": "ₕ", "i": "ᵢ", "j": "ⱼ", "k": "ₖ",
        "l": "ₗ", "m": "ₘ", "n": "ₙ", "o": "ₒ", "p": "ₚ", "r": "ᵣ", "s": "ₛ", "t": "ₜ", "u": "ᵤ", "v": "ᵥ", "x": "ₓ",
        "β": "ᵦ",
    ]
    public static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹", "+": "⁺",
        "-": "⁻", "−": "⁻", "=": "⁼", "(": "⁽", ")": "⁾", "a": "ᵃ", "b": "ᵇ", "c": "ᶜ", "d": "ᵈ", "e": "ᵉ", "i": "ⁱ",
        "k": "ᵏ", "m": "ᵐ", "n": "ⁿ", "p": "ᵖ", "t": "ᵗ", "T": "ᵀ", "x": "ˣ", "β": "ᵝ", "∞": "∞",
    ]
}

/// `n` in subscript digits: 12 → ₁₂.
public func sub(_ n: Int) -> String { String("\(n)".map { UnicodeScripts.subscripts[$0] ?? $0 }) }
/// `n` in superscript digits: 12 → ¹².
public func sup(_ n: Int) -> String { String("\(n)".map { UnicodeScripts.superscripts[$0] ?? $0 }) }
