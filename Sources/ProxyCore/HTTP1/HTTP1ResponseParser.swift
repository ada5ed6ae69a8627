/// Parses upstream HTTP/1 response heads and decides how their bodies are framed
/// (RFC 9112 §6.3), so bodies can be streamed through without decoding.
public struct HTTP1ResponseParser: Sendable {
    public var maxHeadBytes: Int
    public var maxHeaderCount: Int

    public init(maxHeadBytes: Int = 60 * 1024, maxHeaderCount: Int = 100) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }

    /// `requestWasHead`: responses to HEAD never carry a body, whatever they declare.
    public func parse(_ bytes: UnsafeRawBufferPointer, requestWasHead: Bool, into head: inout HTTP1ResponseHead) throws(HTTPParseError) -> Bool {
        head.reset()
        guard let lf = HTTP1HeaderBlock.findLF(bytes, from: 0) else {
            if bytes.count > maxHeadBytes { throw .headersTooLarge }
            return false
        }
        let lineEnd = HTTP1HeaderBlock.contentEnd(bytes, lineStart: 0, lf: lf)
        guard lineEnd >= 12, let version = HTTPVersion1.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<8])),
              bytes[8] == HTTP1HeaderBlock.space,
              let status = ASCII.decimal(UnsafeRawBufferPointer(rebasing: bytes[9..<12])), status >= 100,
              lineEnd == 12 || bytes[12] == HTTP1HeaderBlock.space else {
            throw .badRequest("invalid status line")
        }
        head.version = version
        head.status = status
        head.statusLine = ByteSpan(start: 0, end: lineEnd)
        guard let end = try HTTP1HeaderBlock.parseFields(bytes, from: lf + 1, fields: &head.fields,
                                                          maxHeadBytes: maxHeadBytes, maxHeaderCount: maxHeaderCount) else {
            return false
        }
        head.length = end
        try interpretFields(bytes, &head, requestWasHead: requestWasHead)
        return true
    }

    private func interpretFields(_ bytes: UnsafeRawBufferPointer, _ head: inout HTTP1ResponseHead, requestWasHead: Bool) throws(HTTPParseError) {
        var contentLength: Int?
        var chunked = false
        var keepAlive = false
        for field in head.fields where field.kind != .other {
            let value = field.value.bytes(in: bytes)
            switch field.kind {
            case .contentLength:
                guard let length = ASCII.decimal(value) else { throw .badRequest("invalid content-length") }
                if let previous = contentLength, previous != length { throw .badRequest("conflicting content-length") }
                contentLength = length
            case .transferEncoding:
                chunked = HTTP1HeaderBlock.endsWithChunked(value)
                if !chunked { head.willClose = true }
            case .connection:
                if HTTP1HeaderBlock.listContains(value, HTTP1HeaderBlock.Tokens.close) { head.willClose = true }
                if HTTP1HeaderBlock.listContains(value, HTTP1HeaderBlock.Tokens.keepAlive) { keepAlive = true }
            default:
                break
            }
        }
        if head.version == .http10 && !keepAlive { head.willClose = true }
        if requestWasHead || head.isInformational || head.status == 204 || head.status == 304 {
            head.framing = .none
        } else if chunked {
            head.framing = .chunked
        } else if let contentLength {
            head.framing = contentLength > 0 ? .contentLength(contentLength) : .none
        } else {
            head.framing = .untilClose
            head.willClose = true
        }
    }
}
