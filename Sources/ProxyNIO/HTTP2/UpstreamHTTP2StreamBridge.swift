import NIOCore
import NIOHPACK
import NIOHTTP2
import ProxyCore

/// Sits on one upstream HTTP/2 stream behind an `UpstreamHTTP1Handler`: the
/// HTTP/1.1 request the exchange writes becomes HEADERS / DATA (chunked trailers
/// a trailing HEADERS), and the stream's response becomes HTTP/1.1 bytes, chunked
/// when it has no content-length so that trailers (`grpc-status`) travel as
/// chunked trailers back to the downstream side.
final class UpstreamHTTP2StreamBridge: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private enum ResponseState {
        case head
        case body(chunked: Bool)
        case ended
    }

    private let parser = HTTP1RequestParser()
    private var requestHead = HTTP1RequestHead()
    private var request = HTTP1ToHTTP2Translation()
    private var responseState = ResponseState.head
    private var requestWasHead = false

    // MARK: request: HTTP/1.1 bytes -> frames

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        do {
            try request.translate(unwrapOutboundIn(data), parseHead: parseRequestHead) { context.write(wrapOutboundOut($0), promise: nil) }
        } catch {
            // The proxy wrote this request itself: a failure here is a bug; end the stream.
            request.end()
            context.close(promise: nil)
        }
        promise?.succeed(())
    }

    private func parseRequestHead(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTP1ToHTTP2Translation.Head {
        guard try parser.parse(bytes, into: &requestHead) else { return .needMore }
        requestWasHead = requestHead.isHead
        return .head(headers(bytes), length: requestHead.length, framing: requestHead.framing)
    }

    private func headers(_ bytes: UnsafeRawBufferPointer) -> HPACKHeaders {
        var headers = HPACKHeaders()
        headers.add(name: ":method", value: String(decoding: requestHead.method.bytes(in: bytes), as: UTF8.self))
        headers.add(name: ":scheme", value: "http")
        if requestHead.hasAuthority {
            headers.add(name: ":authority", value: String(decoding: requestHead.authority.bytes(in: bytes), as: UTF8.self))
        }
        let path = requestHead.path.isEmpty ? "/" : String(decoding: requestHead.path.bytes(in: bytes), as: UTF8.self)
        headers.add(name: ":path", value: path)
        headers.appendHTTP1Fields(requestHead.fields, in: bytes, dropHost: requestHead.hasAuthority)
        // TE is hop-by-hop for HTTP/1.1; gRPC servers expect `te: trailers` (as Envoy sends it).
        if headers.first(name: "content-type").map({ Array($0.utf8).withUnsafeBytes(GRPCStatus.isGRPCContentType) }) ?? false {
            headers.add(name: "te", value: "trailers")
        }
        return headers
    }

    // MARK: response: frames -> HTTP/1.1 bytes

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), responseState) {
        case (.headers(let frame), .head):
            guard let status = frame.headers.first(name: ":status").flatMap({ Int($0) }), status >= 100 else {
                context.close(promise: nil)
                return
            }
            if status < 200 { return }
            var out = context.channel.allocator.buffer(capacity: 256)
            out.writeString("HTTP/1.1 \(status) \(HTTPStatus.reason(status))\r\n")
            var hasLength = false
            for (name, value, _) in frame.headers where !name.hasPrefix(":") {
                guard HTTP2RequestTranslator.valid(value) else {
                    context.close(promise: nil)
                    return
                }
                if name == "content-length" { hasLength = true }
                out.writeString(name)
                out.writeStaticString(": ")
                out.writeString(value)
                out.writeStaticString("\r\n")
            }
            let bodiless = requestWasHead || status == 204 || status == 304
            var chunked = false
            if frame.endStream {
                if !hasLength && !bodiless { out.writeStaticString("content-length: 0\r\n") }
            } else if !hasLength && !bodiless {
                chunked = true
                out.writeStaticString("transfer-encoding: chunked\r\n")
            }
            out.writeStaticString("\r\n")
            responseState = frame.endStream ? .ended : .body(chunked: chunked)
            context.fireChannelRead(wrapInboundOut(out))
        case (let payload, .body(let chunked)):
            // Trailers need a chunked body; after a content-length they cannot be relayed.
            let (bytes, ended) = HTTP2RequestTranslator.bodyBytes(payload, chunked: chunked, allocator: context.channel.allocator)
            if ended { responseState = .ended }
            if let bytes { context.fireChannelRead(wrapInboundOut(bytes)) }
        default:
            break
        }
    }
}
