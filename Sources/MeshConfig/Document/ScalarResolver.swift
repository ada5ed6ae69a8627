/// Resolves plain (unquoted) YAML scalars the way Kubernetes' YAML reader does
/// (YAML 1.1: `yes`/`on` are booleans, `0x1F` and `017` are integers). Hand-written
/// on bytes: regex-based resolution dominated parse time.
enum ScalarResolver {
    static func resolve(plain text: String) -> ConfigNode.Value {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON":
            return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "n", "N", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .float(-.infinity)
        case ".nan", ".NaN", ".NAN":
            return .float(.nan)
        default:
            break
        }
        let bytes = Array(text.utf8)
        guard let first = bytes.first, isNumberStart(first) else { return .string(text) }
        if let integer = integerValue(bytes) { return integer }
        if isFloat(bytes), let value = Double(text.replacingUnderscores()) { return .float(value) }
        return .string(text)
    }

    private static func isNumberStart(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
    }

    private static func integerValue(_ bytes: [UInt8]) -> ConfigNode.Value? {
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        var radix: UInt64 = 10
        if bytes.count - index > 2, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] == UInt8(ascii: "x") || bytes[index + 1] == UInt8(ascii: "X") {
            radix = 16
            index += 2
        } else if bytes.count - index > 2, bytes[index] == UInt8(ascii: "0"), bytes[index + 1] == UInt8(ascii: "o") {
            radix = 8
            index += 2
        } else if bytes.count - index > 1, bytes[index] == UInt8(ascii: "0") {
            radix = 8
            index += 1
        }
        var magnitude: UInt64 = 0
        var overflow = false
        var sawDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "_") { continue }
            guard let digit = digitValue(byte), UInt64(digit) < radix else { return nil }
            sawDigit = true
            let (times, o1) = magnitude.multipliedReportingOverflow(by: radix)
            let (plus, o2) = times.addingReportingOverflow(UInt64(digit))
            if o1 || o2 { overflow = true }
            magnitude = plus
        }
        guard sawDigit else { return radix == 8 ? .int(0) : nil }
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        if overflow || magnitude > limit {
            return .bigInteger(String(decoding: bytes, as: UTF8.self))
        }
        if negative {
            return .int(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
        }
        return .int(Int64(magnitude))
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 48...57: Int(byte - 48)
        case 97...102: Int(byte - 87)
        case 65...70: Int(byte - 55)
        default: nil
        }
    }

    /// `[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ bytes: [UInt8]) -> Bool {
        var index = 0
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        while index < bytes.count, (bytes[index] >= 48 && bytes[index] <= 57) || bytes[index] == UInt8(ascii: "_") {
            index += 1
            digits += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, (bytes[index] >= 48 && bytes[index] <= 57) || bytes[index] == UInt8(ascii: "_") {
                index += 1
                digits += 1
            }
        }
        guard digits > 0 else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while index < bytes.count, bytes[index] >= 48 && bytes[index] <= 57 {
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        return index == bytes.count
    }
}

private extension String {
    func replacingUnderscores() -> String {
        contains("_") ? String(filter { $0 != "_" }) : self
    }
}
