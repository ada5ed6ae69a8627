/// Tokens of the CEL subset (see CELExpression).
enum CELToken: Equatable {
    case identifier(String)
    case int(Int64)
    case double(Double)
    case string([UInt8])
    case symbol(String)
    case end
}

struct CELLexer {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static let twoCharSymbols: Set<String> = ["==", "!=", "<=", ">=", "&&", "||"]
    static let oneCharSymbols: Set<UInt8> = Set("()[],.!<>+-*/%?:".utf8)

    mutating func tokens() throws(CELParseError) -> [(CELToken, Int)] {
        var result: [(CELToken, Int)] = []
        while true {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
            let start = index
            guard index < bytes.count else {
                result.append((.end, start))
                return result
            }
            let byte = bytes[index]
            if Self.isLetter(byte) || byte == UInt8(ascii: "_") {
                while index < bytes.count, Self.isLetter(bytes[index]) || Self.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: "_") { index += 1 }
                result.append((.identifier(String(decoding: bytes[start..<index], as: UTF8.self)), start))
            } else if Self.isDigit(byte) {
                while index < bytes.count, Self.isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ".") { index += 1 }
                if index < bytes.count, bytes[index] == UInt8(ascii: "u") { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self).replacingUnsignedSuffix()
                if text.contains("."), let value = Double(text) { result.append((.double(value), start)) }
                else if let value = Int64(text) { result.append((.int(value), start)) }
                else { throw CELParseError(offset: start, message: "bad number \(text)") }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                result.append((.string(try string(quote: byte)), start))
            } else if index + 1 < bytes.count, Self.twoCharSymbols.contains(String(decoding: bytes[index...index + 1], as: UTF8.self)) {
                result.append((.symbol(String(decoding: bytes[index...index + 1], as: UTF8.self)), start))
                index += 2
            } else if Self.oneCharSymbols.contains(byte) {
                result.append((.symbol(String(UnicodeScalar(byte))), start))
                index += 1
            } else {
                throw CELParseError(offset: start, message: "unexpected character '\(String(UnicodeScalar(byte)))'")
            }
        }
    }

    private mutating func string(quote: UInt8) throws(CELParseError) -> [UInt8] {
        let start = index
        index += 1
        var value: [UInt8] = []
        while index < bytes.count, bytes[index] != quote {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
                switch bytes[index] {
                case UInt8(ascii: "n"): value.append(0x0A)
                case UInt8(ascii: "t"): value.append(0x09)
                case UInt8(ascii: "r"): value.append(0x0D)
                default: value.append(bytes[index])
                }
            } else {
                value.append(bytes[index])
            }
            index += 1
        }
        guard index < bytes.count else { throw CELParseError(offset: start, message: "unterminated string") }
        index += 1
        return value
    }
}

extension String {
    /// CEL's `1u` unsigned literals compare as integers here.
    fileprivate func replacingUnsignedSuffix() -> String { hasSuffix("u") ? String(dropLast()) : self }
}

public struct CELParseError: Error, Equatable, CustomStringConvertible {
    public let offset: Int
    public let message: String
    public var description: String { "at offset \(offset): \(message)" }
}
