import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// A local reply to a gRPC request, as Envoy gives it: HTTP 200, a trailers-only
    /// response whose `grpc-status` comes from the HTTP status (503 -> 14
    /// UNAVAILABLE, 404 -> 12 UNIMPLEMENTED, 504 -> 14) and whose `grpc-message`
    /// is the body text, percent-encoded as gRPC asks. The access log and metrics
    /// keep the HTTP status and flags Envoy records (e.g. 503 UH).
    func writeGRPCLocalReply(_ reply: LocalReply, into buffer: inout ByteBuffer) {
        buffer.writeStaticString("HTTP/1.1 200 OK\r\ncontent-type: application/grpc\r\ngrpc-status: ")
        buffer.writeString(String(GRPCStatus.fromHTTP(reply.status)))
        buffer.writeStaticString("\r\n")
        if !reply.body.isEmpty {
            buffer.writeStaticString("grpc-message: ")
            Self.writePercentEncoded(reply.body, into: &buffer)
            buffer.writeStaticString("\r\n")
        }
        var routeServer = false
        if reply.routeHeaders, let selection { routeServer = writeRouteResponseHeaders(selection, into: &buffer) }
        buffer.writeStaticString("content-length: 0\r\n")
        writeLocalReplyStamp(into: &buffer, routeServer: routeServer)
        if closeAfterResponse { buffer.writeStaticString("connection: close\r\n") }
        buffer.writeStaticString("\r\n")
        responseCode = reply.status
        responseHeadBytes = buffer.readableBytes
        writeDownstream(buffer)
        responseScratch = buffer
        responsePhase = .done
        finishExchange()
    }

    /// gRPC's percent-encoding of `grpc-message`: bytes outside ' '...'~' and '%'.
    static func writePercentEncoded(_ text: [UInt8], into buffer: inout ByteBuffer) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text {
            if byte >= 0x20 && byte <= 0x7E && byte != UInt8(ascii: "%") {
                buffer.writeInteger(byte)
            } else {
                buffer.writeInteger(UInt8(ascii: "%"))
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            }
        }
    }
}
