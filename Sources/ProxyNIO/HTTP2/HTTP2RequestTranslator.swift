import NIOCore
import NIOHPACK
import NIOHTTP2
import ProxyCore

/// Writes an HTTP/2 request's header block as an HTTP/1.1 request head, so that
/// the HTTP/1.1 exchange handler (routing, header changes, timeouts, retries,
/// telemetry) serves HTTP/2 streams without a second router. NIOHTTP2 has
/// already checked the pseudo-headers (present, known, first, once) and refused
/// connection-specific fields; this checks what would change the meaning of
/// the HTTP/1.1 text (CR, LF, NUL in values).
enum HTTP2RequestTranslator {
    struct Translated {
        var head: ByteBuffer
        /// The body is sent chunked (no content-length, more DATA to come).
        var chunked: Bool
        var isGRPC: Bool
        var isHead: Bool
    }

    static func translate(_ headers: HPACKHeaders, endStream: Bool, allocator: ByteBufferAllocator) -> Translated? {
        var method: String?
        var path: String?
        var authority: String?
        var hasLength = false
        var isGRPC = false
        var cookies: [String] = []
        for (name, value, _) in headers {
            guard valid(value) else { return nil }
            switch name {
            case ":method": method = value
            case ":path": path = value
            case ":authority": authority = value
            case "content-length": hasLength = true
            case "content-type": isGRPC = value.utf8.withContiguousStorageIfAvailable { GRPCStatus.isGRPCContentType(UnsafeRawBufferPointer($0)) } ?? false
            default: break
            }
        }
        // CONNECT (no :path) would need a tunnel: not served.
        guard let method, let path, !path.isEmpty, !method.isEmpty else { return nil }
        var head = allocator.buffer(capacity: 256)
        head.writeString(method)
        head.writeStaticString(" ")
        head.writeString(path)
        head.writeStaticString(" HTTP/1.1\r\n")
        if let authority {
            head.writeStaticString("host: ")
            head.writeString(authority)
            head.writeStaticString("\r\n")
        }
        for (name, value, _) in headers where !name.hasPrefix(":") {
            if name == "host" && authority != nil { continue }
            // HTTP/2 may split cookies into several fields; HTTP/1.1 wants one (RFC 9113 §8.2.3).
            if name == "cookie" { cookies.append(value); continue }
            head.writeString(name)
            head.writeStaticString(": ")
            head.writeString(value)
            head.writeStaticString("\r\n")
        }
        if !cookies.isEmpty {
            head.writeStaticString("cookie: ")
            head.writeString(cookies.joined(separator: "; "))
            head.writeStaticString("\r\n")
        }
        let chunked = !endStream && !hasLength
        if chunked { head.writeStaticString("transfer-encoding: chunked\r\n") }
        head.writeStaticString("\r\n")
        return Translated(head: head, chunked: chunked, isGRPC: isGRPC, isHead: method == "HEAD")
    }

    /// Field values may not carry CR, LF or NUL (RFC 9113 §8.2.1); other control
    /// bytes are left to the HTTP/1.1 parser, which refuses them with 400.
    static func valid(_ value: String) -> Bool {
        for byte in value.utf8 where byte == 0x0D || byte == 0x0A || byte == 0x00 { return false }
        return true
    }

    /// A DATA or trailing HEADERS frame of a message being relayed as HTTP/1.1:
    /// the body bytes it makes (a chunk, the last chunk with trailers, or the data
    /// as is when the body has a length; nil when nothing is to be sent) and
    /// whether the message ended.
    static func bodyBytes(_ payload: HTTP2Frame.FramePayload, chunked: Bool,
                          allocator: ByteBufferAllocator) -> (bytes: ByteBuffer?, ended: Bool) {
        switch payload {
        case .data(let frame):
            guard case .byteBuffer(let data) = frame.data else { return (nil, frame.endStream) }
            guard chunked else { return (data.readableBytes > 0 ? data : nil, frame.endStream) }
            var bytes = allocator.buffer(capacity: data.readableBytes + 16)
            writeChunk(data, into: &bytes)
            if frame.endStream { writeLastChunk(trailers: nil, into: &bytes) }
            return (bytes.readableBytes > 0 ? bytes : nil, frame.endStream)
        case .headers(let frame):
            guard chunked else { return (nil, true) }
            var bytes = allocator.buffer(capacity: 64)
            writeLastChunk(trailers: frame.headers, into: &bytes)
            return (bytes, true)
        default:
            return (nil, false)
        }
    }

    /// One chunk of a chunked body.
    static func writeChunk(_ data: ByteBuffer, into buffer: inout ByteBuffer) {
        guard data.readableBytes > 0 else { return }
        buffer.writeString(String(data.readableBytes, radix: 16))
        buffer.writeStaticString("\r\n")
        var data = data
        buffer.writeBuffer(&data)
        buffer.writeStaticString("\r\n")
    }

    /// The last chunk with the trailer fields.
    static func writeLastChunk(trailers: HPACKHeaders?, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("0\r\n")
        for (name, value, _) in trailers ?? [:] where !name.hasPrefix(":") && valid(value) {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeStaticString("\r\n")
    }
}
