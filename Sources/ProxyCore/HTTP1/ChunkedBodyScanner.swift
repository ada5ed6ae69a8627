/// Finds where a chunked body ends without decoding it (RFC 9112 §7.1): the proxy
/// forwards chunks byte for byte and only needs to know the message boundary.
public struct ChunkedBodyScanner: Sendable {
    enum State: Sendable {
        case size(value: Int, digits: Int)
        case extensions(size: Int)
        case sizeLF(size: Int)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerLine
        case trailerLF(blank: Bool)
        case done
    }

    public enum Progress: Equatable, Sendable {
        /// All of the bytes belong to the body; more are expected.
        case needMore
        /// The body ends after this many of the bytes.
        case finished(consumed: Int)
    }

    var state = State.size(value: 0, digits: 0)

    public init() {}

    public var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    public mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> Progress {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            switch state {
            case .size(let value, let digits):
                if let digit = Self.hexValue(byte) {
                    guard digits < 15 else { throw .badRequest("chunk size too large") }
                    state = .size(value: value << 4 | digit, digits: digits + 1)
                } else if digits > 0 && (byte == UInt8(ascii: ";") || byte == 0x20 || byte == 0x09) {
                    state = .extensions(size: value)
                } else if digits > 0 && byte == 0x0D {
                    state = .sizeLF(size: value)
                } else if digits > 0 && byte == 0x0A {
                    state = value == 0 ? .trailerLineStart : .data(remaining: value)
                } else {
                    throw .badRequest("invalid chunk size")
                }
            case .extensions(let size):
                if byte == 0x0A { state = size == 0 ? .trailerLineStart : .data(remaining: size) }
                else if byte == 0x0D { state = .sizeLF(size: size) }
            case .sizeLF(let size):
                guard byte == 0x0A else { throw .badRequest("invalid chunk size line") }
                state = size == 0 ? .trailerLineStart : .data(remaining: size)
            case .data(let remaining):
                // Skip the chunk's payload in one step.
                let take = min(remaining, count - index)
                index += take
                state = remaining - take == 0 ? .dataCR : .data(remaining: remaining - take)
                continue
            case .dataCR:
                if byte == 0x0D { state = .dataLF }
                else if byte == 0x0A { state = .size(value: 0, digits: 0) }
                else { throw .badRequest("missing CRLF after chunk") }
            case .dataLF:
                guard byte == 0x0A else { throw .badRequest("missing LF after chunk") }
                state = .size(value: 0, digits: 0)
            case .trailerLineStart:
                if byte == 0x0D { state = .trailerLF(blank: true) }
                else if byte == 0x0A { state = .done; return .finished(consumed: index + 1) }
                else { state = .trailerLine }
            case .trailerLine:
                if byte == 0x0A { state = .trailerLineStart }
                else if byte == 0x0D { state = .trailerLF(blank: false) }
            case .trailerLF(let blank):
                guard byte == 0x0A else { throw .badRequest("invalid trailer line") }
                if blank { state = .done; return .finished(consumed: index + 1) }
                state = .trailerLineStart
            case .done:
                return .finished(consumed: index)
            }
            index += 1
        }
        if case .done = state { return .finished(consumed: index) }
        return .needMore
    }

    @inline(__always) static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
