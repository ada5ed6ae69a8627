import NIOCore
import NIOHTTP2

/// Last handler of an HTTP/2 connection's pipeline. NIOHTTP2 reports both
/// connection errors (after sending GOAWAY) and stream errors (after RST_STREAM)
/// through `errorCaught`, with the bare underlying error, and closes neither.
/// Stream errors (bad pseudo-headers, forbidden fields) must leave the connection
/// up; connection errors end it, as in Envoy. The connection-level kinds are
/// recognised by type: a bad preface, HPACK failures (COMPRESSION_ERROR: header
/// blocks over the limit, bad encodings) and the flood protections.
final class HTTP2ConnectionErrorHandler: ChannelInboundHandler {
    typealias InboundIn = Never

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if Self.isConnectionError(error) { context.close(promise: nil) }
    }

    static func isConnectionError(_ error: any Error) -> Bool {
        if error is NIOHTTP2Errors.BadClientMagic || error is NIOHTTP2Errors.MissingPreface { return true }
        let name = String(reflecting: type(of: error))
        return name.hasPrefix("NIOHPACK.") || name.contains(".Excessive")
    }
}
