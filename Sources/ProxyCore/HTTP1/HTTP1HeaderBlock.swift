#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of RFC 9112 message syntax shared by requests and responses: lines,
/// and the header block up to the blank line.
enum HTTP1HeaderBlock {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")

    /// Offset of the next LF at or after `from`, or nil.
    @inline(__always) static func findLF(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < bytes.count else { return nil }
        guard let found = memchr(bytes.baseAddress! + from, Int32(lf), bytes.count - from) else { return nil }
        return UnsafeRawPointer(found) - bytes.baseAddress!
    }

    /// End of a line's content: before the CRLF (a bare LF is tolerated, RFC 9112 §2.2).
    @inline(__always) static func contentEnd(_ bytes: UnsafeRawBufferPointer, lineStart: Int, lf: Int) -> Int {
        lf > lineStart && bytes[lf - 1] == cr ? lf - 1 : lf
    }

    /// Parses header lines from `from` to the blank line into `fields`. Returns the
    /// offset just past the blank line, or nil when the block is not complete yet.
    static func parseFields(_ bytes: UnsafeRawBufferPointer, from: Int, fields: inout [HTTPHeaderField],
                            maxHeadBytes: Int, maxHeaderCount: Int) throws(HTTPParseError) -> Int? {
        var position = from
        while true {
            guard let lf = findLF(bytes, from: position) else {
                if bytes.count > maxHeadBytes { throw .headersTooLarge }
                return nil
            }
            if lf >= maxHeadBytes { throw .headersTooLarge }
            let end = contentEnd(bytes, lineStart: position, lf: lf)
            if end == position { return lf + 1 }
            let first = bytes[position]
            // Line folding is obsolete and a smuggling vector: refuse it, as Envoy does.
            if first == space || first == tab { throw .badRequest("obs-fold") }
            var nameEnd = position
            while nameEnd < end, ASCII.isToken(bytes[nameEnd]) { nameEnd += 1 }
            guard nameEnd < end, nameEnd > position, bytes[nameEnd] == colon else { throw .badRequest("invalid header name") }
            var valueStart = nameEnd + 1
            while valueStart < end, bytes[valueStart] == space || bytes[valueStart] == tab { valueStart += 1 }
            var valueEnd = end
            while valueEnd > valueStart, bytes[valueEnd - 1] == space || bytes[valueEnd - 1] == tab { valueEnd -= 1 }
            var index = valueStart
            while index < valueEnd {
                guard ASCII.isFieldValueByte(bytes[index]) else { throw .badRequest("invalid header value") }
                index += 1
            }
            guard fields.count < maxHeaderCount else { throw .headersTooLarge }
            let name = ByteSpan(start: position, end: nameEnd)
            fields.append(HTTPHeaderField(name: name, value: ByteSpan(start: valueStart, end: valueEnd),
                                          kind: KnownHeader.classify(name.bytes(in: bytes)),
                                          line: ByteSpan(start: position, end: lf + 1)))
            position = lf + 1
        }
    }

    /// Whether a comma-separated header value lists `token` (any case), e.g.
    /// `Connection: keep-alive, close`.
    static func listContains(_ value: UnsafeRawBufferPointer, _ token: [UInt8]) -> Bool {
        var start = 0
        let count = value.count
        while start < count {
            var end = start
            while end < count, value[end] != UInt8(ascii: ",") { end += 1 }
            var a = start, b = end
            while a < b, value[a] == space || value[a] == tab { a += 1 }
            while b > a, value[b - 1] == space || value[b - 1] == tab { b -= 1 }
            if ASCII.equalsLowercased(UnsafeRawBufferPointer(rebasing: value[a..<b]), token) { return true }
            start = end + 1
        }
        return false
    }

    /// Whether the last coding of a Transfer-Encoding value is `chunked`.
    static func endsWithChunked(_ value: UnsafeRawBufferPointer) -> Bool {
        var start = value.count
        while start > 0, value[start - 1] != UInt8(ascii: ",") { start -= 1 }
        var a = start, b = value.count
        while a < b, value[a] == space || value[a] == tab { a += 1 }
        while b > a, value[b - 1] == space || value[b - 1] == tab { b -= 1 }
        return ASCII.equalsLowercased(UnsafeRawBufferPointer(rebasing: value[a..<b]), Tokens.chunked)
    }

    enum Tokens {
        static let chunked = Array("chunked".utf8)
        static let close = Array("close".utf8)
        static let keepAlive = Array("keep-alive".utf8)
        static let continue100 = Array("100-continue".utf8)
        static let upgrade = Array("upgrade".utf8)
    }
}
