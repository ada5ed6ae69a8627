/// Durations as Istio writes them: Go's `time.ParseDuration` syntax (`10s`, `1.5m`,
/// `1h30m`, `250ms`, `100us`), which is also what CEL's `duration()` accepts.
public enum GoDuration {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case invalid(String)
        case overflow(String)

        public var description: String {
            switch self {
            case .empty: "empty duration"
            case .invalid(let text): "invalid duration \"\(text)\" (use e.g. 10s, 500ms, 1m30s)"
            case .overflow(let text): "duration \"\(text)\" is out of range"
            }
        }
    }

    public static let nanosecond: Int64 = 1
    public static let microsecond: Int64 = 1_000
    public static let millisecond: Int64 = 1_000_000
    public static let second: Int64 = 1_000_000_000
    public static let minute: Int64 = 60 * second
    public static let hour: Int64 = 60 * minute

    /// Parses to nanoseconds.
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        if index == bytes.count { throw .invalid(text) }
        if bytes.count - index == 1 && bytes[index] == UInt8(ascii: "0") { return 0 }
        var total: Double = 0
        while index < bytes.count {
            var whole: Double = 0
            var fraction: Double = 0
            var scale: Double = 1
            var digits = 0
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                whole = whole * 10 + Double(digit)
                index += 1
                digits += 1
            }
            if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
                index += 1
                while index < bytes.count, let digit = digitValue(bytes[index]) {
                    scale /= 10
                    fraction += Double(digit) * scale
                    index += 1
                    digits += 1
                }
            }
            guard digits > 0 else { throw .invalid(text) }
            let unitStart = index
            while index < bytes.count, digitValue(bytes[index]) == nil, bytes[index] != UInt8(ascii: ".") {
                index += 1
            }
            let unit = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let multiplier = unitNanoseconds(unit) else { throw .invalid(text) }
            total += (whole + fraction) * Double(multiplier)
            if total > Double(Int64.max) { throw .overflow(text) }
        }
        let value = Int64(total.rounded())
        return negative ? -value : value
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= 48 && byte <= 57 ? Int(byte - 48) : nil
    }

    private static func unitNanoseconds(_ unit: String) -> Int64? {
        switch unit {
        case "ns": nanosecond
        case "us", "µs", "μs": microsecond
        case "ms": millisecond
        case "s": second
        case "m": minute
        case "h": hour
        default: nil
        }
    }
}
