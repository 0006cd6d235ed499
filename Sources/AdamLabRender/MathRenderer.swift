// A lesson's formulas typeset: in Unicode for a terminal (`\beta_1` → β₁, `\hat{m}_t` → m̂ₜ) and as
// MathML for the page, where the browser sets fractions, roots, hats and scripts.

import AdamLabLessons
import AdamLabSession
import Foundation

/// Simple LaTeX in Unicode: `\sqrt{x}` → √x, `\frac{a}{b}` → a/b. What has no Unicode form (a subscript
/// letter without one) is kept readable: `_{q}` → `_q`. A formula nested deeper than `latexDepthLimit`
/// is shown as the author typed it. Linear in the length.
public func latexToUnicode(_ latex: String) -> String { unicode(Formula(latex)) }

/// A formula in Unicode; a minus in mathematics is the minus sign (as the REPL prints 1 − β₁²).
public func unicode(_ formula: Formula) -> String {
    guard let tree = formula.tree else { return formula.latex }
    return unicode(tree).replacingOccurrences(of: "-", with: "−")
}

private func unicode(_ node: MathNode) -> String {
    switch node {
    case .row(let nodes): return nodes.map(unicode).joined()
    case .text(let s), .symbol(let s, _), .unknown(let s): return s
    case .script(let script, let isSubscript):
        let s = unicode(script)
        let table = isSubscript ? UnicodeScripts.subscripts : UnicodeScripts.superscripts
        let letters = s.filter { $0 != " " }
        let mapped = letters.compactMap { table[$0] }
        if mapped.count == letters.count { return String(mapped) }
        return (isSubscript ? "_" : "^") + (s.count == 1 ? s : "(" + s + ")")
    case .accent(let base, let mark):
        let s = unicode(base)
        guard let first = s.first else { return mark }
        return String(first) + mark + s.dropFirst()
    case .sqrt(let inner): return "√" + parenthesised(unicode(inner))
    case .frac(let a, let b): return parenthesised(unicode(a)) + "/" + parenthesised(unicode(b))
    case .words(let inner): return unicode(inner)
    }
}

private func parenthesised(_ s: String) -> String {
    s.allSatisfy({ !" +−-·/".contains($0) }) ? s : "(" + s + ")"
}

/// A formula as inline MathML (no script, nothing fetched: browsers typeset MathML themselves).
public func mathML(_ formula: Formula) -> String {
    let body = formula.tree.map { element($0) } ?? "<mtext>\(SVGRenderer.escape(formula.latex))</mtext>"
    return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"inline\">\(body)</math>"
}

/// One MathML element for `node` (several are put in an mrow, so a script's base is one element).
private func element(_ node: MathNode) -> String {
    let parts = elements(node)
    return parts.count == 1 ? parts[0] : "<mrow>" + parts.joined() + "</mrow>"
}

private func elements(_ node: MathNode) -> [String] {
    switch node {
    case .row(let nodes):
        // A script takes the element before it as its base; a subscript and a superscript on one base
        // (β₁ᵗ) are set together, one above the other.
        var out: [String] = []
        var scripted: (base: String, sub: String?, sup: String?)?  // the last element, while it has scripts
        var text = ""  // characters in a row read as one run: 0.999 is one number
        for n in nodes where n != .row([]) {  // (an empty group sits between a base's two scripts)
            if case .text(let t) = n {
                text += t
                scripted = nil
                continue
            }
            out += tokens(text)
            text = ""
            guard case .script(let script, let isSubscript) = n else {
                out += elements(n)
                scripted = nil
                continue
            }
            var s: (base: String, sub: String?, sup: String?)
            if let current = scripted, (isSubscript ? current.sub : current.sup) == nil {
                s = current
            } else if let current = scripted {
                s = (scriptElement(current), nil, nil)  // the same kind twice scripts the whole
            } else {
                s = (out.last ?? "<mrow></mrow>", nil, nil)
            }
            if !out.isEmpty { out.removeLast() }
            if isSubscript { s.sub = element(script) } else { s.sup = element(script) }
            out.append(scriptElement(s))
            scripted = s
        }
        out += tokens(text)
        return out
    case .text(let s): return tokens(s)
    case .symbol(let s, let name):
        if s.trimmingCharacters(in: .whitespaces).isEmpty {
            return s.isEmpty ? [] : ["<mspace width=\"\(s.count == 1 ? "0.2" : "1")em\"></mspace>"]
        }
        let isOperator = latexOperators.contains(name) || ["sum", "prod", "nabla", "partial"].contains(name)
        let tag = isOperator ? "mo" : "mi"
        return ["<\(tag)>\(SVGRenderer.escape(s))</\(tag)>"]
    case .unknown(let s): return ["<mtext>\(SVGRenderer.escape(s))</mtext>"]
    case .script(let script, let isSubscript):
        let tag = isSubscript ? "msub" : "msup"
        return ["<\(tag)><mrow></mrow>\(element(script))</\(tag)>"]
    case .accent(let base, let mark):
        let over = ["\u{0302}": "^", "\u{0304}": "¯", "\u{0303}": "~", "\u{20D7}": "→"][mark] ?? mark
        return ["<mover accent=\"true\">\(element(base))<mo>\(SVGRenderer.escape(over))</mo></mover>"]
    case .sqrt(let inner): return ["<msqrt>\(element(inner))</msqrt>"]
    case .frac(let a, let b): return ["<mfrac>\(element(a))\(element(b))</mfrac>"]
    case .words(let inner): return ["<mtext>\(SVGRenderer.escape(unicode(inner)))</mtext>"]
    }
}

private func scriptElement(_ s: (base: String, sub: String?, sup: String?)) -> String {
    switch (s.sub, s.sup) {
    case (let sub?, let sup?): return "<msubsup>\(s.base)\(sub)\(sup)</msubsup>"
    case (let sub?, nil): return "<msub>\(s.base)\(sub)</msub>"
    case (nil, let sup?): return "<msup>\(s.base)\(sup)</msup>"
    case (nil, nil): return s.base
    }
}

/// Plain characters as MathML tokens: a number (digits and a point) is one <mn>, each letter an <mi>,
/// anything else an <mo>; spaces are the renderer's to set.
private func tokens(_ s: String) -> [String] {
    var out: [String] = []
    var number = ""
    func flush() {
        if !number.isEmpty { out.append("<mn>\(number)</mn>") }
        number = ""
    }
    for c in s {
        if c.isNumber || (c == "." && !number.isEmpty) {
            number.append(c)
            continue
        }
        flush()
        if c == " " { continue }
        if c.isLetter {
            out.append("<mi>\(SVGRenderer.escape(String(c)))</mi>")
        } else {
            out.append("<mo>\(SVGRenderer.escape(c == "-" ? "−" : String(c)))</mo>")
        }
    }
    flush()
    return out
}
