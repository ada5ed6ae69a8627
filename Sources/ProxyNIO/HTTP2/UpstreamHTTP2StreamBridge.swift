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

    private enum RequestState {
        case head
        case body(HTTP1BodyTranslator)
        case ended
    }

    private enum ResponseState {
        case head
        case body(chunked: Bool)
        case ended
    }

    private let parser = HTTP1RequestParser()
    private var requestHead = HTTP1RequestHead()
    private var requestState = RequestState.head
    private var responseState = ResponseState.head
    private var requestWasHead = false
    private var pending: ByteBuffer?

    // MARK: request: HTTP/1.1 bytes -> frames

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = unwrapOutboundIn(data)
        if pending != nil {
            pending!.writeBuffer(&buffer)
            buffer = pending!
            pending = nil
        }
        translateRequest(context: context, &buffer)
        if case .ended = requestState {} else if buffer.readableBytes > 0 { pending = buffer }
        promise?.succeed(())
    }

    private func translateRequest(context: ChannelHandlerContext, _ buffer: inout ByteBuffer) {
        while buffer.readableBytes > 0 {
            switch requestState {
            case .ended:
                return
            case .head:
                let parsed: HPACKHeaders?? = buffer.withUnsafeReadableBytes { bytes in
                    do throws(HTTPParseError) {
                        guard try parser.parse(bytes, into: &requestHead) else { return .some(nil) }
                        return .some(headers(bytes))
                    } catch {
                        return nil
                    }
                }
                guard let result = parsed else {
                    // The proxy wrote this head itself: a failure here is a bug; end the stream.
                    context.close(promise: nil)
                    return
                }
                guard let headers = result else { return }
                buffer.moveReaderIndex(forwardBy: requestHead.length)
                requestWasHead = requestHead.isHead
                let body = HTTP1BodyTranslator(requestHead.framing)
                requestState = body.isDone ? .ended : .body(body)
                context.write(wrapOutboundOut(.headers(.init(headers: headers, endStream: body.isDone))), promise: nil)
            case .body(var body):
                do {
                    try body.consume(&buffer) { context.write(wrapOutboundOut($0), promise: nil) }
                } catch {
                    context.close(promise: nil)
                    return
                }
                requestState = body.isDone ? .ended : .body(body)
                if !body.isDone { return }
            }
        }
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
