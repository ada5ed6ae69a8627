/// Evaluates a CELExpression over one access-log record.
public enum CELEvaluator {
    public static func isTrue(_ expression: CELExpression, _ record: AccessLogRecord) -> Bool {
        evaluate(expression, record) == .bool(true)
    }

    static func evaluate(_ expression: CELExpression, _ record: AccessLogRecord) -> CELValue {
        switch expression {
        case .literal(let value): return value
        case .attribute(let attribute): return value(of: attribute, record)
        case .not(let inner):
            guard case .bool(let flag) = evaluate(inner, record) else { return .error }
            return .bool(!flag)
        case .negate(let inner):
            switch evaluate(inner, record) {
            case .int(let value): return .int(-value)
            case .double(let value): return .double(-value)
            default: return .error
            }
        case .and(let left, let right):
            // CEL's commutative logic: false wins over an error on either side.
            let a = evaluate(left, record), b = evaluate(right, record)
            if a == .bool(false) || b == .bool(false) { return .bool(false) }
            return a == .bool(true) && b == .bool(true) ? .bool(true) : .error
        case .or(let left, let right):
            let a = evaluate(left, record), b = evaluate(right, record)
            if a == .bool(true) || b == .bool(true) { return .bool(true) }
            return a == .bool(false) && b == .bool(false) ? .bool(false) : .error
        case .conditional(let condition, let then, let otherwise):
            switch evaluate(condition, record) {
            case .bool(true): return evaluate(then, record)
            case .bool(false): return evaluate(otherwise, record)
            default: return .error
            }
        case .list(let items): return .list(items.map { evaluate($0, record) })
        case .binary(let op, let left, let right): return binary(op, evaluate(left, record), evaluate(right, record))
        case .call(let function, let arguments): return call(function, arguments, record)
        }
    }

    static func value(of attribute: CELAttribute, _ record: AccessLogRecord) -> CELValue {
        switch attribute {
        case .requestHeader(let slot): return record.requestValue(slot).map { .string(Array($0)) } ?? .error
        case .requestURLPath(let slot):
            guard let path = record.requestValue(slot) else { return .error }
            return .string(Array(path.prefix { $0 != UInt8(ascii: "?") }))
        case .responseHeader(let slot): return record.responseValue(slot).map { .string(Array($0)) } ?? .error
        // A TCP connection has no response (Envoy: the attribute is absent).
        case .responseCode: return record.isTCP ? .error : .int(Int64(record.responseCode))
        case .responseCodeDetails:
            // A connection has details only when the listener set some (NR's).
            if record.isTCP && record.dynamicResponseCodeDetails.isEmpty { return .error }
            if !record.dynamicResponseCodeDetails.isEmpty { return .string(record.dynamicResponseCodeDetails) }
            let details = record.responseCodeDetails
            return .string(Array(UnsafeBufferPointer(start: details.utf8Start, count: details.utf8CodeUnitCount)))
        case .responseFlags: return .int(Int64(record.flags.rawValue))
        case .responseSize: return .int(Int64(record.bytesSent))
        case .requestSize: return .int(Int64(record.bytesReceived))
        case .requestDuration: return .duration(nanos: record.durationNanos)
        case .requestProtocol:
            if record.isTCP { return .error }
            var out: [UInt8] = []
            AccessLogFormatter.writeSegment(.protocolName, record, into: &out)
            return .string(out)
        case .upstreamCluster: return record.upstreamCluster.isEmpty ? .error : .string(record.upstreamCluster)
        case .routeName: return record.routeName.isEmpty ? .error : .string(record.routeName)
        case .upstreamAddress: return record.upstreamHost.isEmpty ? .error : .string(record.upstreamHost)
        case .sourceAddress: return record.downstreamRemote.isEmpty ? .error : .string(record.downstreamRemote)
        case .sourcePort: return .int(Int64(record.downstreamRemotePort))
        case .destinationAddress: return record.downstreamLocal.isEmpty ? .error : .string(record.downstreamLocal)
        }
    }

    static func binary(_ op: CELBinaryOperator, _ a: CELValue, _ b: CELValue) -> CELValue {
        if a == .error || b == .error { return .error }
        switch op {
        case .equal: return .bool(equal(a, b))
        case .notEqual: return .bool(!equal(a, b))
        case .in:
            guard case .list(let items) = b else { return .error }
            return .bool(items.contains { equal(a, $0) })
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = compare(a, b) else { return .error }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .add, .subtract, .multiply, .divide, .remainder:
            return arithmetic(op, a, b)
        }
    }

    static func equal(_ a: CELValue, _ b: CELValue) -> Bool {
        if let order = compare(a, b) { return order == 0 }
        return a == b
    }

    /// Numbers compare across int and double; strings bytewise; durations by length.
    static func compare(_ a: CELValue, _ b: CELValue) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.int(let x), .double(let y)): return Double(x) < y ? -1 : Double(x) > y ? 1 : 0
        case (.double(let x), .int(let y)): return x < Double(y) ? -1 : x > Double(y) ? 1 : 0
        case (.double(let x), .double(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.duration(let x), .duration(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.string(let x), .string(let y)): return x.lexicographicallyPrecedes(y) ? -1 : x == y ? 0 : 1
        default: return nil
        }
    }

    static func arithmetic(_ op: CELBinaryOperator, _ a: CELValue, _ b: CELValue) -> CELValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            switch op {
            case .add: return .int(x &+ y)
            case .subtract: return .int(x &- y)
            case .multiply: return .int(x &* y)
            case .divide: return y == 0 ? .error : .int(x / y)
            default: return y == 0 ? .error : .int(x % y)
            }
        case (.string(let x), .string(let y)) where op == .add: return .string(x + y)
        case (.duration(let x), .duration(let y)) where op == .add: return .duration(nanos: x + y)
        case (.duration(let x), .duration(let y)) where op == .subtract: return .duration(nanos: x - y)
        default:
            guard let x = a.number, let y = b.number else { return .error }
            switch op {
            case .add: return .double(x + y)
            case .subtract: return .double(x - y)
            case .multiply: return .double(x * y)
            case .divide: return .double(x / y)
            default: return .error
            }
        }
    }

    static func call(_ function: CELFunction, _ arguments: [CELExpression], _ record: AccessLogRecord) -> CELValue {
        if function == .has {
            // has() of an absent attribute is false rather than an error.
            return .bool(evaluate(arguments[0], record) != .error)
        }
        let values = arguments.map { evaluate($0, record) }
        if values.contains(.error) { return .error }
        switch (function, values.count) {
        case (.size, 1):
            switch values[0] {
            case .string(let bytes): return .int(Int64(String(decoding: bytes, as: UTF8.self).count))
            case .list(let items): return .int(Int64(items.count))
            default: return .error
            }
        case (.duration, 1):
            guard case .string(let text) = values[0], let nanos = Self.durationNanos(text) else { return .error }
            return .duration(nanos: nanos)
        case (.int, 1):
            switch values[0] {
            case .int: return values[0]
            case .double(let value): return .int(Int64(value))
            case .string(let text): return Int64(String(decoding: text, as: UTF8.self)).map { .int($0) } ?? .error
            default: return .error
            }
        case (.string, 1):
            switch values[0] {
            case .string: return values[0]
            case .int(let value): return .string(Array(String(value).utf8))
            default: return .error
            }
        case (.startsWith, 2), (.endsWith, 2), (.contains, 2):
            guard case .string(let text) = values[0], case .string(let part) = values[1] else { return .error }
            if function == .startsWith { return .bool(text.starts(with: part)) }
            if function == .endsWith { return .bool(text.reversed().starts(with: part.reversed())) }
            return .bool(part.isEmpty || text.indices.contains { text[$0...].starts(with: part) })
        default: return .error
        }
    }

    /// CEL/Go durations: "1.5s", "300ms", "1m", "2h", "10us", "5ns".
    static func durationNanos(_ text: [UInt8]) -> Int64? {
        let string = String(decoding: text, as: UTF8.self)
        let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("ns", 1), ("h", 3600e9), ("m", 60e9), ("s", 1e9)]
        for (suffix, scale) in units where string.hasSuffix(suffix) {
            guard let number = Double(string.dropLast(suffix.count)) else { return nil }
            return Int64(number * scale)
        }
        return nil
    }
}

extension CELValue {
    var number: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
