/// Parses HTTP/1 request heads directly on received bytes (RFC 9112), with Envoy's
/// limits and its strictness about framing: the forwarding path's parser.
public struct HTTP1RequestParser: Sendable {
    /// Envoy's `max_request_headers_kb` default (60 KiB).
    public var maxHeadBytes: Int
    /// Envoy's `max_headers_count` default.
    public var maxHeaderCount: Int
    /// Refuse methods outside Envoy's HTTP/1 codec list (its Balsa parser answers
    /// 400 to `delete` or `FOO`); off where the head was not sent by a client in
    /// HTTP/1 (HTTP/2 streams, our own upstream requests).
    public var knownMethodsOnly: Bool

    public init(maxHeadBytes: Int = 60 * 1024, maxHeaderCount: Int = 100, knownMethodsOnly: Bool = false) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
        self.knownMethodsOnly = knownMethodsOnly
    }

    /// Parses the head at the start of `bytes` into `head`. Returns false when more
    /// bytes are needed; throws when the request must be refused.
    public func parse(_ bytes: UnsafeRawBufferPointer, into head: inout HTTP1RequestHead) throws(HTTPParseError) -> Bool {
        head.reset()
        var position = 0
        while position < bytes.count, bytes[position] == HTTP1HeaderBlock.cr || bytes[position] == HTTP1HeaderBlock.lf {
            position += 1
            if position > 64 { throw .badRequest("leading blank lines") }
        }
        guard let lf = HTTP1HeaderBlock.findLF(bytes, from: position) else {
            if bytes.count > maxHeadBytes { throw .headersTooLarge }
            return false
        }
        head.skipped = position
        try parseRequestLine(bytes, start: position, end: HTTP1HeaderBlock.contentEnd(bytes, lineStart: position, lf: lf), into: &head)
        guard let end = try HTTP1HeaderBlock.parseFields(bytes, from: lf + 1, fields: &head.fields,
                                                          maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount) else {
            return false
        }
        head.length = end
        try interpretFields(bytes, &head)
        return true
    }

    private func parseRequestLine(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, into head: inout HTTP1RequestHead) throws(HTTPParseError) {
        var index = start
        while index < end, ASCII.isToken(bytes[index]) { index += 1 }
        guard index > start, index < end, bytes[index] == HTTP1HeaderBlock.space else { throw .badRequest("invalid method") }
        head.method = ByteSpan(start: start, end: index)
        if knownMethodsOnly && !HTTPMethods.isKnown(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) {
            throw .badRequest("invalid method")
        }
        head.isHead = index - start == 4 && bytes[start] == UInt8(ascii: "H") && bytes[start + 1] == UInt8(ascii: "E")
            && bytes[start + 2] == UInt8(ascii: "A") && bytes[start + 3] == UInt8(ascii: "D")
        let targetStart = index + 1
        index = targetStart
        while index < end, bytes[index] > 0x20, bytes[index] != 0x7F { index += 1 }
        guard index > targetStart, index < end, bytes[index] == HTTP1HeaderBlock.space else { throw .badRequest("invalid target") }
        let targetEnd = index
        guard let version = HTTPVersion1.parse(UnsafeRawBufferPointer(rebasing: bytes[(index + 1)..<end])) else {
            throw .badRequest("invalid version")
        }
        head.version = version
        try splitTarget(bytes, start: targetStart, end: targetEnd, into: &head)
    }

    /// Origin form (`/path?q`), `*` (OPTIONS), or absolute form (`http://host/path`),
    /// whose authority replaces Host as Envoy does.
    private func splitTarget(_ bytes: UnsafeRawBufferPointer, start: Int, end: Int, into head: inout HTTP1RequestHead) throws(HTTPParseError) {
        let first = bytes[start]
        if first == UInt8(ascii: "*") && end == start + 1 {
            // Asterisk form is for OPTIONS only (RFC 9112 §3.2.4); Envoy's codec refuses it otherwise.
            let method = head.method.bytes(in: bytes)
            guard method.elementsEqual("OPTIONS".utf8) else { throw .badRequest("invalid target") }
            head.path = ByteSpan(start: start, end: end)
            return
        }
        if first == UInt8(ascii: "/") {
            head.path = ByteSpan(start: start, end: end)
            return
        }
        var schemeEnd = start
        while schemeEnd < end, bytes[schemeEnd] != UInt8(ascii: ":") { schemeEnd += 1 }
        let scheme = UnsafeRawBufferPointer(rebasing: bytes[start..<schemeEnd])
        guard ASCII.equalsLowercased(scheme, Self.http) || ASCII.equalsLowercased(scheme, Self.https),
              schemeEnd + 3 <= end, bytes[schemeEnd + 1] == UInt8(ascii: "/"), bytes[schemeEnd + 2] == UInt8(ascii: "/") else {
            throw .badRequest("invalid target")
        }
        let authorityStart = schemeEnd + 3
        var authorityEnd = authorityStart
        while authorityEnd < end, bytes[authorityEnd] != UInt8(ascii: "/"), bytes[authorityEnd] != UInt8(ascii: "?") { authorityEnd += 1 }
        guard authorityEnd > authorityStart else { throw .badRequest("invalid target") }
        head.authority = ByteSpan(start: authorityStart, end: authorityEnd)
        head.hasAuthority = true
        head.absoluteForm = true
        // An empty path is sent as "/" by the writer.
        head.path = ByteSpan(start: authorityEnd, end: end)
    }

    private static let http = Array("http".utf8)
    private static let https = Array("https".utf8)

    private func interpretFields(_ bytes: UnsafeRawBufferPointer, _ head: inout HTTP1RequestHead) throws(HTTPParseError) {
        var contentLength: Int?
        var chunked = false
        var sawTransferEncoding = false
        var sawHost = false
        var keepAlive = false
        for field in head.fields where field.kind != .other {
            let value = field.value.bytes(in: bytes)
            switch field.kind {
            case .host:
                // Envoy joins repeated Host fields with ","; the handler rewrites the head so.
                if sawHost { head.repeatedHost = true }
                sawHost = true
                if !head.hasAuthority {
                    head.authority = field.value
                    head.hasAuthority = true
                }
            case .contentLength:
                guard let length = ASCII.decimal(value) else { throw .badRequest("invalid content-length") }
                if let previous = contentLength, previous != length { throw .badRequest("conflicting content-length") }
                contentLength = length
            case .transferEncoding:
                sawTransferEncoding = true
                guard HTTP1HeaderBlock.endsWithChunked(value) else { throw .notImplemented("unsupported transfer encoding") }
                chunked = true
            case .connection:
                if HTTP1HeaderBlock.listContains(value, HTTP1HeaderBlock.Tokens.close) { head.wantsClose = true }
                if HTTP1HeaderBlock.listContains(value, HTTP1HeaderBlock.Tokens.keepAlive) { keepAlive = true }
                if HTTP1HeaderBlock.listContains(value, HTTP1HeaderBlock.Tokens.upgrade) { head.connectionUpgrade = true }
            case .upgrade:
                head.upgrade = field.value
            case .expect:
                if ASCII.equalsLowercased(value, HTTP1HeaderBlock.Tokens.continue100) { head.expectsContinue = head.version == .http11 }
            case .xRequestID:
                head.hasRequestID = true
            case .xForwardedProto:
                head.hasForwardedProto = true
            default:
                break
            }
        }
        if head.version == .http10 {
            if sawTransferEncoding { throw .badRequest("transfer-encoding in HTTP/1.0") }
            if !keepAlive { head.wantsClose = true }
        } else if !head.hasAuthority {
            throw .missingHost
        }
        if chunked {
            // Both framings at once is the classic smuggling shape (RFC 9112 §6.3).
            if contentLength != nil { throw .badRequest("content-length with transfer-encoding") }
            head.framing = .chunked
        } else if let contentLength, contentLength > 0 {
            head.framing = .contentLength(contentLength)
        }
    }
}
