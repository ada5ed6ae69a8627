/// What Envoy's http_inspector (envoy.filters.listener.http_inspector, Balsa
/// parser as of Envoy 1.39+) learns from the first bytes of a plaintext
/// connection, without consuming them: the HTTP/2 connection preface ("h2c"), an
/// HTTP/1.x request line ("http/1.1" or "http/1.0"), or neither. Works on the
/// bytes received so far; the caller buffers and asks again until the answer is
/// not `needMoreBytes`.
///
/// Envoy's rules, kept here (checked against Envoy 1.40 in
/// HTTPInspectorDifferentialTests): only the first line is looked at (up to the
/// first LF); it is split on runs of bytes <= 0x20 into method, target and the rest;
/// the method is any RFC 9110 token (lower case and custom methods pass), the
/// target is origin-form, `*`, absolute-form or (for CONNECT) authority-form with
/// http-parser's character sets, the rest is empty (HTTP/0.9) or exactly
/// `HTTP/d.d`. `HTTP/1.1` gives "http/1.1", every other valid version "http/1.0".
public enum HTTPInspectorParser {
    public enum Detected: String, Sendable, Equatable {
        case http10 = "http/1.0"
        case http11 = "http/1.1"
        case h2c
    }

    public enum Result: Sendable, Equatable {
        case needMoreBytes
        /// Not HTTP: Envoy goes on without an application protocol.
        case notHTTP
        /// No decision within `maxBytes`: Envoy closes the connection.
        case tooLarge
        case detected(Detected)
    }

    /// Envoy's http_inspector MAX_INSPECT_SIZE.
    public static let defaultMaxBytes = 64 * 1024
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// How far earlier calls got on the same connection's bytes, so that a client
    /// sending its first line a byte at a time costs linear, not quadratic, work.
    public struct Progress: Sendable, Equatable {
        /// Bytes known to hold no LF and to fit the method rule.
        var checked = 0
        var methodEnded = false

        public init() {}
    }

    public static func parse(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes) -> Result {
        var progress = Progress()
        return bytes.withUnsafeBytes { parse($0, maxBytes: maxBytes, progress: &progress) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = defaultMaxBytes) -> Result {
        var progress = Progress()
        return parse(bytes, maxBytes: maxBytes, progress: &progress)
    }

    /// `bytes` start with the bytes an earlier call with the same `progress` saw.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = defaultMaxBytes, progress: inout Progress) -> Result {
        // Envoy's peek buffer never holds more than the limit.
        let count = min(bytes.count, maxBytes)
        guard count > 0 else { return .needMoreBytes }
        let compared = min(count, preface.count)
        if (0..<compared).allSatisfy({ bytes[$0] == preface[$0] }) {
            return compared == preface.count ? .detected(.h2c) : more(count, maxBytes)
        }
        // A leading CR/LF, space or control byte: no request line (Envoy and Balsa).
        guard bytes[0] > 0x20 else { return .notHTTP }
        var index = progress.checked
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                return requestLine(UnsafeRawBufferPointer(rebasing: bytes[0..<index])).map(Result.detected) ?? .notHTTP
            }
            // The method is checked as it arrives: up to the first C whitespace byte
            // (tab, LF, VT, FF, CR, space) every byte must be a token byte. Envoy
            // 1.40 refuses "GET\0/ HTTP/1.1" and "GET\0" at once, but takes
            // "GET\u{b}/ HTTP/1.1".
            if !progress.methodEnded {
                if isSpace(byte) {
                    progress.methodEnded = true
                } else if !isTokenByte(byte) {
                    return .notHTTP
                }
            }
            index += 1
        }
        progress.checked = count
        return more(count, maxBytes)
    }

    private static func more(_ count: Int, _ maxBytes: Int) -> Result {
        count >= maxBytes ? .tooLarge : .needMoreBytes
    }

    /// The first line without its LF; nil when Balsa would refuse it.
    static func requestLine(_ line: UnsafeRawBufferPointer) -> Detected? {
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        // Islands: non-whitespace runs, whitespace being every byte <= 0x20.
        var index = 0
        func island() -> Range<Int> {
            while index < end, line[index] <= 0x20 { index += 1 }
            let start = index
            while index < end, line[index] > 0x20 { index += 1 }
            return start..<index
        }
        let method = island()
        let target = island()
        // The version is everything after the target, trailing whitespace trimmed.
        while index < end, line[index] <= 0x20 { index += 1 }
        var last = end
        while last > index, line[last - 1] <= 0x20 { last -= 1 }
        let version = index..<last

        guard !method.isEmpty, method.allSatisfy({ isTokenByte(line[$0]) }) else { return nil }
        let isConnect = method.count == 7 && zip(method, "CONNECT".utf8).allSatisfy { line[$0] == $1 }
        guard validTarget(line, target, isConnect: isConnect) else { return nil }
        if version.isEmpty {
            // HTTP/0.9: Balsa ends the message at this line and then checks it
            // for control characters as it checks header lines.
            return (0..<line.count).contains { isInvalidFieldByte(line[$0]) } ? nil : .http10
        }
        let prefix = "HTTP/".utf8
        guard version.count == 8, zip(version, prefix).allSatisfy({ line[$0] == $1 }),
              isDigit(line[version.lowerBound + 5]), line[version.lowerBound + 6] == UInt8(ascii: "."), isDigit(line[version.lowerBound + 7])
        else { return nil }
        return line[version.lowerBound + 5] == UInt8(ascii: "1") && line[version.lowerBound + 7] == UInt8(ascii: "1") ? .http11 : .http10
    }

    /// http-parser's URL rules as Envoy's Balsa adapter applies them.
    static func validTarget(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, isConnect: Bool) -> Bool {
        guard let first = range.first else { return false }
        if line[first] == UInt8(ascii: "/") || line[first] == UInt8(ascii: "*") {
            return range.dropFirst().allSatisfy { isPathByte(line[$0]) }
        }
        var rest = range
        if !isConnect {
            // scheme "://": a letter, then letters, digits, '+', '-', '.'.
            guard isAlpha(line[first]) else { return false }
            var index = first + 1
            while index < range.upperBound, isSchemeByte(line[index]) { index += 1 }
            let separator = "://".utf8
            guard range.upperBound - index >= 3, zip(index..., separator).allSatisfy({ line[$0] == $1 }) else { return false }
            rest = (index + 3)..<range.upperBound
        }
        let pathStart = rest.first { line[$0] == UInt8(ascii: "/") || line[$0] == UInt8(ascii: "?") } ?? rest.upperBound
        let host = rest.lowerBound..<pathStart
        guard host.allSatisfy({ isHostByte(line[$0]) }) else { return false }
        if host.count > 1, (host.lowerBound..<(host.upperBound - 1)).contains(where: { line[$0] == UInt8(ascii: "@") && line[$0 + 1] == UInt8(ascii: "@") }) {
            return false
        }
        return (pathStart..<rest.upperBound).allSatisfy { isPathByte(line[$0]) }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isAlpha(_ byte: UInt8) -> Bool { (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) }
    static func isSchemeByte(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// RFC 9110 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }

    /// Path and query: tab, form feed and '!' through '~'.
    static func isPathByte(_ byte: UInt8) -> Bool { byte == 9 || byte == 12 || (0x21...0x7e).contains(byte) }

    static func isHostByte(_ byte: UInt8) -> Bool {
        isAlpha(byte) || isDigit(byte) || "!$%&'()*+,-.:;=@[]_~".utf8.contains(byte)
    }

    /// Bytes Balsa refuses in a header line: controls other than tab, LF, CR; DEL.
    static func isInvalidFieldByte(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != 9 && byte != 10 && byte != 13) || byte == 0x7f
    }
}
