/// Recursive-descent parser for the CEL subset, resolving attributes as it goes.
/// `headerSlot(name, isResponse)` registers a header the access-log record must
/// capture and returns its slot.
public struct CELParser {
    private var tokens: [(CELToken, Int)] = []
    private var position = 0
    private let headerSlot: (String, Bool) -> Int

    public static func parse(_ text: String, headerSlot: @escaping (String, Bool) -> Int) throws(CELParseError) -> CELExpression {
        var lexer = CELLexer(text)
        var parser = CELParser(headerSlot: headerSlot)
        parser.tokens = try lexer.tokens()
        let expression = try parser.conditional()
        guard case .end = parser.peek else { throw parser.failure("unexpected \(parser.peekText) after the expression") }
        return expression
    }

    private init(headerSlot: @escaping (String, Bool) -> Int) { self.headerSlot = headerSlot }

    private var peek: CELToken { tokens[position].0 }
    private var peekText: String {
        switch peek {
        case .identifier(let name): name
        case .symbol(let symbol): "'\(symbol)'"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .string: "a string"
        case .end: "end of input"
        }
    }

    private func failure(_ message: String) -> CELParseError { CELParseError(offset: tokens[position].1, message: message) }

    private mutating func take(_ symbol: String) -> Bool {
        guard case .symbol(symbol) = peek else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String) throws(CELParseError) {
        guard take(symbol) else { throw failure("expected '\(symbol)', found \(peekText)") }
    }

    private mutating func conditional() throws(CELParseError) -> CELExpression {
        let condition = try orExpression()
        guard take("?") else { return condition }
        let then = try conditional()
        try expect(":")
        return .conditional(condition, then, try conditional())
    }

    private mutating func orExpression() throws(CELParseError) -> CELExpression {
        var left = try andExpression()
        while take("||") { left = .or(left, try andExpression()) }
        return left
    }

    private mutating func andExpression() throws(CELParseError) -> CELExpression {
        var left = try relation()
        while take("&&") { left = .and(left, try relation()) }
        return left
    }

    private mutating func relation() throws(CELParseError) -> CELExpression {
        var left = try additive()
        while true {
            if case .identifier("in") = peek {
                position += 1
                left = .binary(.in, left, try additive())
                continue
            }
            guard case .symbol(let symbol) = peek, let op = CELBinaryOperator(rawValue: symbol),
                  [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op) else { return left }
            position += 1
            left = .binary(op, left, try additive())
        }
    }

    private mutating func additive() throws(CELParseError) -> CELExpression {
        var left = try multiplicative()
        while case .symbol(let symbol) = peek, symbol == "+" || symbol == "-" {
            position += 1
            left = .binary(CELBinaryOperator(rawValue: symbol)!, left, try multiplicative())
        }
        return left
    }

    private mutating func multiplicative() throws(CELParseError) -> CELExpression {
        var left = try unary()
        while case .symbol(let symbol) = peek, symbol == "*" || symbol == "/" || symbol == "%" {
            position += 1
            left = .binary(CELBinaryOperator(rawValue: symbol)!, left, try unary())
        }
        return left
    }

    private mutating func unary() throws(CELParseError) -> CELExpression {
        if take("!") { return .not(try unary()) }
        if take("-") { return .negate(try unary()) }
        return try member()
    }

    /// Primary expressions followed by `.name`, `[index]` and `.method(args)`.
    private mutating func member() throws(CELParseError) -> CELExpression {
        let start = tokens[position].1
        switch peek {
        case .int(let value): position += 1; return try methods(on: .literal(.int(value)))
        case .double(let value): position += 1; return try methods(on: .literal(.double(value)))
        case .string(let value): position += 1; return try methods(on: .literal(.string(value)))
        case .symbol("("):
            position += 1
            let inner = try conditional()
            try expect(")")
            return try methods(on: inner)
        case .symbol("["):
            position += 1
            var items: [CELExpression] = []
            if !take("]") {
                repeat { items.append(try conditional()) } while take(",")
                try expect("]")
            }
            return try methods(on: .list(items))
        case .identifier(let name):
            position += 1
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            default: break
            }
            if take("(") {
                guard let function = CELFunction(rawValue: name), [.size, .duration, .has, .string, .int].contains(function) else {
                    throw CELParseError(offset: start, message: "unsupported function \(name)()")
                }
                let arguments = try argumentList()
                guard arguments.count == 1 else { throw CELParseError(offset: start, message: "\(name)() takes one argument") }
                return try methods(on: .call(function, arguments))
            }
            return try methods(on: .attribute(try attribute(root: name, start: start)))
        default:
            throw failure("expected an expression, found \(peekText)")
        }
    }

    private mutating func argumentList() throws(CELParseError) -> [CELExpression] {
        var arguments: [CELExpression] = []
        if take(")") { return arguments }
        repeat { arguments.append(try conditional()) } while take(",")
        try expect(")")
        return arguments
    }

    private mutating func methods(on receiver: CELExpression) throws(CELParseError) -> CELExpression {
        var value = receiver
        while take(".") {
            let start = tokens[position].1
            guard case .identifier(let name) = peek else { throw failure("expected a method name") }
            position += 1
            guard let function = CELFunction(rawValue: name), [.startsWith, .endsWith, .contains, .size].contains(function) else {
                throw CELParseError(offset: start, message: "unsupported method .\(name)()")
            }
            try expect("(")
            value = .call(function, [value] + (try argumentList()))
        }
        return value
    }

    /// `request.method`, `request.headers['x']`, `xds.cluster_name`...
    private mutating func attribute(root: String, start: Int) throws(CELParseError) -> CELAttribute {
        var path = [root]
        while case .symbol(".") = peek, case .identifier(let next) = tokens[position + 1].0 {
            if case .symbol("(") = tokens[position + 2].0 { break }
            position += 2
            path.append(next)
            if path.count == 2, path[1] == "headers" {
                try expect("[")
                guard case .string(let key) = peek else { throw failure("header names are string literals") }
                position += 1
                try expect("]")
                let name = String(decoding: key, as: UTF8.self).lowercased()
                let isResponse = root == "response"
                guard root == "request" || isResponse else { break }
                let slot = headerSlot(name, isResponse)
                return isResponse ? .responseHeader(slot: slot) : .requestHeader(slot: slot)
            }
        }
        if let known = Self.known(path.joined(separator: "."), headerSlot: headerSlot) { return known }
        throw CELParseError(offset: start, message: "unknown attribute \(path.joined(separator: "."))")
    }

    /// Attributes that map onto request headers are captured like `%REQ(...)%`.
    static func known(_ path: String, headerSlot: (String, Bool) -> Int) -> CELAttribute? {
        switch path {
        case "request.method": .requestHeader(slot: headerSlot(":method", false))
        case "request.path": .requestHeader(slot: headerSlot(":path", false))
        case "request.url_path": .requestURLPath(slot: headerSlot(":path", false))
        case "request.host": .requestHeader(slot: headerSlot(":authority", false))
        case "request.id": .requestHeader(slot: headerSlot("x-request-id", false))
        case "request.useragent": .requestHeader(slot: headerSlot("user-agent", false))
        case "request.referer": .requestHeader(slot: headerSlot("referer", false))
        case "request.protocol": .requestProtocol
        case "request.size": .requestSize
        case "request.duration": .requestDuration
        case "response.code": .responseCode
        case "response.code_details": .responseCodeDetails
        case "response.flags": .responseFlags
        case "response.size": .responseSize
        case "xds.cluster_name": .upstreamCluster
        case "xds.route_name": .routeName
        case "upstream.address": .upstreamAddress
        case "source.address": .sourceAddress
        case "source.port": .sourcePort
        case "destination.address": .destinationAddress
        default: nil
        }
    }
}
