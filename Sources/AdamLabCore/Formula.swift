// A typed objective such as `f(x,y) = x^2 + 5*y^2`, parsed to a tape and differentiated exactly.

import Foundation
import RealModule

/// A formula over named variables, differentiated by reverse-mode automatic differentiation.
public struct Formula: Sendable, Equatable {
    public let text: String
    public let variables: [String]
    let tape: [Node]

    public static let functions = ["sqrt", "exp", "log", "sin", "cos", "tanh", "abs"]
    public static let constants = ["pi", "e"]

    enum Function: String, Sendable { case sqrt, exp, log, sin, cos, tanh, abs }

    /// One operation; operands are indices of earlier nodes.
    enum Node: Sendable, Equatable {
        case constant(Double)
        case variable(Int)
        case negate(Int)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case divide(Int, Int)
        case power(Int, Int)
        case integerPower(Int, Int)
        case call(Function, Int)
    }

    /// Parses `f(x,y) = expr`, or a bare expression whose variables are taken in alphabetical order.
    /// Errors carry the 1-based column in `text`.
    public init(_ text: String) throws {
        self.text = text
        var parser = FormulaParser(text)
        let (variables, tape) = try parser.parseDefinition()
        self.variables = variables
        self.tape = tape
    }

    /// Every node's value at w, in tape order (the formula's value is the last).
    func values<T: Scalar>(_ w: [T]) -> [T] {
        var value = [T](repeating: 0, count: tape.count)
        for (k, node) in tape.enumerated() {
            switch node {
            case .constant(let c): value[k] = T(c)
            case .variable(let i): value[k] = w[i]
            case .negate(let a): value[k] = -value[a]
            case .add(let a, let b): value[k] = value[a] + value[b]
            case .subtract(let a, let b): value[k] = value[a] - value[b]
            case .multiply(let a, let b): value[k] = value[a] * value[b]
            case .divide(let a, let b): value[k] = value[a] / value[b]
            case .power(let a, let b): value[k] = T.pow(value[a], value[b])
            case .integerPower(let a, let n): value[k] = Formula.power(value[a], n)
            case .call(let f, let a): value[k] = Formula.apply(f, value[a])
            }
        }
        return value
    }

    func evaluate<T: Scalar>(_ w: [T], gradient g: inout [T], wantGradient: Bool) -> T {
        let value = values(w)
        guard wantGradient else { return value.last ?? 0 }
        var adjoint = [T](repeating: 0, count: tape.count)
        adjoint[tape.count - 1] = 1
        for i in 0..<g.count { g[i] = 0 }
        for k in stride(from: tape.count - 1, through: 0, by: -1) {
            let d = adjoint[k]
            if d == 0 { continue }
            switch tape[k] {
            case .constant: break
            case .variable(let i): g[i] += d
            case .negate(let a): adjoint[a] -= d
            case .add(let a, let b):
                adjoint[a] += d
                adjoint[b] += d
            case .subtract(let a, let b):
                adjoint[a] += d
                adjoint[b] -= d
            case .multiply(let a, let b):
                adjoint[a] += d * value[b]
                adjoint[b] += d * value[a]
            case .divide(let a, let b):
                adjoint[a] += d / value[b]
                // torch's div backward for the divisor: −grad·((a/b)/b).
                adjoint[b] += -d * ((value[a] / value[b]) / value[b])
            case .power(let a, let b):
                adjoint[a] += d * value[b] * T.pow(value[a], value[b] - 1)
                if case .constant = tape[b] {} else { adjoint[b] += d * value[k] * T.log(value[a]) }
            case .integerPower(let a, let n):
                // torch's pow backward: grad · (n · x^(n−1)).
                adjoint[a] += n == 0 ? 0 : d * (T(n) * Formula.power(value[a], n - 1))
            case .call(let f, let a):
                let x = value[a]
                switch f {
                case .sqrt: adjoint[a] += d / (2 * value[k])
                case .exp: adjoint[a] += d * value[k]
                case .log: adjoint[a] += d / x
                case .sin: adjoint[a] += d * T.cos(x)
                case .cos: adjoint[a] -= d * T.sin(x)
                // torch's tanh backward, grad·(1 − y·y), its 1 − y·y one fused multiply-add.
                case .tanh: adjoint[a] += d * T(1).addingProduct(-value[k], value[k])
                case .abs: adjoint[a] += x > 0 ? d : (x < 0 ? -d : 0)
                }
            }
        }
        return value.last ?? 0
    }

    /// xⁿ as torch's pow computes an integer power: x·x and x·x·x by multiplication, others by pow.
    static func power<T: Scalar>(_ x: T, _ n: Int) -> T {
        switch n {
        case 1: return x
        case 2: return x * x
        case 3: return x * x * x
        default: return T.pow(x, n)
        }
    }

    static func apply<T: Scalar>(_ f: Function, _ x: T) -> T {
        switch f {
        case .sqrt: return T.sqrt(x)
        case .exp: return T.exp(x)
        case .log: return T.log(x)
        case .sin: return T.sin(x)
        case .cos: return T.cos(x)
        case .tanh: return T.tanh(x)
        case .abs: return Swift.abs(x)
        }
    }
}

/// Recursive descent over the characters of a formula, emitting nodes in evaluation order.
struct FormulaParser {
    let chars: [Character]
    var pos = 0
    var tape: [Formula.Node] = []
    var variables: [String] = []
    var declared = false
    var depth = 0

    init(_ text: String) { chars = Array(text) }

    mutating func parseDefinition() throws -> ([String], [Formula.Node]) {
        guard chars.count <= 4000 else {
            throw CoreError("formula is too long (at most 4000 characters)", at: TextSpan(column: 1))
        }
        let save = pos
        skipSpaces()
        if let name = identifier(), peek() == "(", name.count <= 8, try tryHeader() {
            // header parsed
        } else {
            pos = save
        }
        skipSpaces()
        guard pos < chars.count else { throw error("expected an expression") }
        _ = try expression()
        skipSpaces()
        if pos < chars.count {
            throw error(
                chars[pos] == ")" ? "unbalanced ')'" : "expected an operator (+ - * / ^) before '\(chars[pos])'")
        }
        if !declared {
            // Variables without a header: alphabetical order fixes the coordinate order.
            let sorted = variables.sorted()
            let map = Dictionary(
                uniqueKeysWithValues: variables.enumerated().map { ($0.element, sorted.firstIndex(of: $0.element)!) })
            tape = tape.map {
                if case .variable(let i) = $0 { return .variable(map[variables[i]]!) } else { return $0 }
            }
            variables = sorted
        }
        if variables.isEmpty { throw CoreError("the formula has no variables", at: TextSpan(column: 1)) }
        return (variables, tape)
    }

    /// `f(x, y) =`; returns false (and rewinds) when what follows the name is not a header.
    mutating func tryHeader() throws -> Bool {
        let save = pos
        pos += 1  // (
        var names: [(String, Int)] = []
        while true {
            skipSpaces()
            let col = pos
            guard let v = identifier() else {
                pos = save
                return false
            }
            names.append((v, col + 1))
            skipSpaces()
            if peek() == "," {
                pos += 1
                continue
            }
            if peek() == ")" {
                pos += 1
                break
            }
            pos = save
            return false
        }
        skipSpaces()
        guard peek() == "=" else {
            pos = save
            return false
        }
        pos += 1
        for (k, (v, col)) in names.enumerated() {
            if Formula.functions.contains(v) || Formula.constants.contains(v) {
                throw CoreError("'\(v)' cannot be a variable name", at: TextSpan(column: col, width: v.count))
            }
            if names[..<k].contains(where: { $0.0 == v }) {
                throw CoreError("variable '\(v)' is listed twice", at: TextSpan(column: col, width: v.count))
            }
        }
        variables = names.map(\.0)
        declared = true
        return true
    }

    mutating func expression() throws -> Int {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw error("formula is nested too deeply") }
        var left = try term()
        while true {
            skipSpaces()
            guard let c = peek(), c == "+" || c == "-" || c == "−" else { return left }
            pos += 1
            let right = try term()
            left = emit(c == "+" ? .add(left, right) : .subtract(left, right))
        }
    }

    mutating func term() throws -> Int {
        var left = try unary()
        while true {
            skipSpaces()
            guard let c = peek(), c == "*" || c == "/" || c == "·" || c == "×" else { return left }
            if c == "*" && peekNext() == "*" { return left }
            pos += 1
            let right = try unary()
            left = emit(c == "/" ? .divide(left, right) : .multiply(left, right))
        }
    }

    mutating func unary() throws -> Int {
        skipSpaces()
        if let c = peek(), c == "-" || c == "−" {
            pos += 1
            return emit(.negate(try unary()))
        }
        if peek() == "+" {
            pos += 1
            return try unary()
        }
        return try power()
    }

    mutating func power() throws -> Int {
        let base = try primary()
        skipSpaces()
        var isPower = false
        if peek() == "^" {
            pos += 1
            isPower = true
        } else if peek() == "*" && peekNext() == "*" {
            pos += 2
            isPower = true
        }
        guard isPower else { return base }
        let exponent = try unary()
        if case .constant(let c) = tape[exponent], c == c.rounded(), abs(c) <= 1024 {
            return emit(.integerPower(base, Int(c)))
        }
        return emit(.power(base, exponent))
    }

    mutating func primary() throws -> Int {
        skipSpaces()
        guard let c = peek() else { throw error("expected a number, variable or '(' but the formula ended") }
        let start = pos
        if c == "(" {
            pos += 1
            let inner = try expression()
            skipSpaces()
            guard peek() == ")" else { throw error("expected ')' to close the '(' at column \(start + 1)") }
            pos += 1
            return inner
        }
        if c.isNumber || c == "." {
            while let d = peek(), d.isNumber || d == "." { pos += 1 }
            if let e = peek(), e == "e" || e == "E", let n = peekNext(), n.isNumber || n == "-" || n == "+" {
                pos += 2
                while let d = peek(), d.isNumber { pos += 1 }
            }
            let text = String(chars[start..<pos])
            guard let x = Double(text) else {
                throw CoreError("malformed number '\(text)'", at: TextSpan(column: start + 1, width: text.count))
            }
            return emit(.constant(x))
        }
        if let name = identifier() {
            if let f = Formula.Function(rawValue: name) {
                skipSpaces()
                guard peek() == "(" else { throw error("expected '(' after \(name)") }
                pos += 1
                let arg = try expression()
                skipSpaces()
                guard peek() == ")" else { throw error("expected ')' to close \(name)(") }
                pos += 1
                return emit(.call(f, arg))
            }
            if name == "pi" || name == "π" { return emit(.constant(Double.pi)) }
            if name == "e" { return emit(.constant(M_E)) }
            if let i = variables.firstIndex(of: name) { return emit(.variable(i)) }
            if declared {
                throw CoreError(
                    "unknown name '\(name)'; the variables are \(variables.joined(separator: ", ")) and the functions \(Formula.functions.joined(separator: ", "))",
                    at: TextSpan(column: start + 1, width: name.count))
            }
            variables.append(name)
            return emit(.variable(variables.count - 1))
        }
        throw CoreError("unexpected '\(c)'", at: TextSpan(column: start + 1, width: String(c).count))
    }

    mutating func emit(_ node: Formula.Node) -> Int {
        tape.append(node)
        return tape.count - 1
    }

    mutating func identifier() -> String? {
        guard let c = peek(), c.isLetter || c == "_" else { return nil }
        let start = pos
        while let d = peek(), d.isLetter || d.isNumber || d == "_" { pos += 1 }
        return String(chars[start..<pos])
    }

    mutating func skipSpaces() { while let c = peek(), c.isWhitespace { pos += 1 } }
    func peek() -> Character? { pos < chars.count ? chars[pos] : nil }
    func peekNext() -> Character? { pos + 1 < chars.count ? chars[pos + 1] : nil }
    func error(_ message: String) -> CoreError {
        CoreError(message, at: TextSpan(column: pos + 1))
    }
}
