import MeshCore

/// Envoy's `json_format` access logs: one JSON object per line, keys sorted, a
/// value that is exactly one command typed (numbers for codes, sizes and
/// durations, `null` when the value is missing), any other value a string with
/// the commands rendered as in text logs. Literal numbers and booleans stay typed.
extension AccessLogFormat {
    /// A value of the `json_format` Struct.
    public indirect enum JSONField: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null
        case object([(String, JSONField)])

        public static func == (lhs: JSONField, rhs: JSONField) -> Bool {
            switch (lhs, rhs) {
            case (.string(let a), .string(let b)): a == b
            case (.number(let a), .number(let b)): a == b
            case (.bool(let a), .bool(let b)): a == b
            case (.null, .null): true
            case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
            default: false
            }
        }
    }

    /// One JSON value position: its parts, and whether it is a single typed command.
    public struct JSONSlot: Sendable, Equatable {
        public var parts: [Segment]
        public var typed: Bool
    }

    public init(json fields: [(String, JSONField)]) throws(ParseError) {
        var out: [Segment] = []
        var literal: [UInt8] = []
        try appendObject(fields, into: &out, literal: &literal)
        literal.append(UInt8(ascii: "\n"))
        out.append(.literal(literal))
        segments = out
    }

    private mutating func appendObject(_ fields: [(String, JSONField)], into out: inout [Segment], literal: inout [UInt8]) throws(ParseError) {
        literal.append(UInt8(ascii: "{"))
        for (index, (key, value)) in fields.sorted(by: { $0.0 < $1.0 }).enumerated() {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            JSONString.write(key.utf8, into: &literal)
            literal.append(UInt8(ascii: ":"))
            switch value {
            case .null: literal.append(contentsOf: Self.nullBytes)
            case .bool(let flag): literal.append(contentsOf: Array((flag ? "true" : "false").utf8))
            case .number(let number): literal.append(contentsOf: Array(Self.render(number).utf8))
            case .object(let nested): try appendObject(nested, into: &out, literal: &literal)
            case .string(let text):
                let parts = try parseSegments(text)
                if parts.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                    JSONString.write(text.utf8, into: &literal)
                    continue
                }
                if !literal.isEmpty {
                    out.append(.literal(literal))
                    literal = []
                }
                out.append(.json(JSONSlot(parts: parts, typed: parts.count == 1)))
            }
        }
        literal.append(UInt8(ascii: "}"))
    }

    static let nullBytes = Array("null".utf8)

    /// Integral numbers without a fraction, as protobuf's JSON printer does.
    static func render(_ number: Double) -> String {
        if number.isFinite, number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }
}
