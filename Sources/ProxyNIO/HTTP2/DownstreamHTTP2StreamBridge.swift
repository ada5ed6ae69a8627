import NIOCore
import NIOHPACK
import NIOHTTP2
import ProxyCore

/// Sits on one downstream HTTP/2 stream in front of a `DownstreamHTTP1Handler`:
/// the stream's request becomes HTTP/1.1 bytes for it (HTTP2RequestTranslator),
/// and the HTTP/1.1 response it writes becomes HEADERS / DATA / trailing HEADERS.
/// So routing, header changes, timeouts, retries, local replies and telemetry
/// are the HTTP/1.1 path's, and the upstream may speak HTTP/1.1 or HTTP/2.
final class DownstreamHTTP2StreamBridge: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = HTTP2Frame.FramePayload

    private enum RequestState {
        case headers
        case body(chunked: Bool)
        case ended
    }

    private unowned let exchange: DownstreamHTTP1Handler
    private let parser: HTTP1ResponseParser
    private var responseHead = HTTP1ResponseHead()
    private var requestState = RequestState.headers
    private var response = HTTP1ToHTTP2Translation()
    private var requestWasHead = false
    private var finalFlushDeferred = false

    init(exchange: DownstreamHTTP1Handler) {
        self.exchange = exchange
        exchange.servesHTTP2Stream = true
        self.parser = HTTP1ResponseParser()
    }

    // MARK: request: frames -> HTTP/1.1 bytes

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), requestState) {
        case (.headers(let frame), .headers):
            guard let translated = HTTP2RequestTranslator.translate(frame.headers, endStream: frame.endStream,
                                                                    allocator: context.channel.allocator) else {
                reset(context: context, .protocolError)
                return
            }
            requestWasHead = translated.isHead
            exchange.grpcLocalReplies = translated.isGRPC
            if translated.isGRPC { exchange.grpcResponseStatus = TelemetryStore.grpcWithoutStatus }
            requestState = frame.endStream ? .ended : .body(chunked: translated.chunked)
            context.fireChannelRead(wrapInboundOut(translated.head))
        case (let payload, .body(let chunked)):
            // Request trailers are kept when the body is chunked, else dropped
            // (HTTP/1.1 cannot carry them after a content-length body).
            let (bytes, ended) = HTTP2RequestTranslator.bodyBytes(payload, chunked: chunked, allocator: context.channel.allocator)
            if ended { requestState = .ended }
            if let bytes { context.fireChannelRead(wrapInboundOut(bytes)) }
        default:
            // RST_STREAM closes the stream channel (the exchange sees the close);
            // PRIORITY, WINDOW_UPDATE etc. are the codec's business.
            break
        }
    }

    private func reset(context: ChannelHandlerContext, _ code: HTTP2ErrorCode) {
        requestState = .ended
        response.end()
        context.writeAndFlush(wrapOutboundOut(.rstStream(code)), promise: nil)
        context.close(promise: nil)
    }

    // MARK: response: HTTP/1.1 bytes -> frames

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        do {
            try response.translate(unwrapOutboundIn(data), parseHead: parseResponseHead) { frame in
                if case .headers(let headers) = frame { noteGRPCStatus(headers.headers) }
                context.write(wrapOutboundOut(frame), promise: nil)
            }
        } catch {
            reset(context: context, .internalError)
        }
        promise?.succeed(())
    }

    private func parseResponseHead(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTP1ToHTTP2Translation.Head {
        guard try parser.parse(bytes, requestWasHead: requestWasHead, into: &responseHead) else { return .needMore }
        // 1xx: 100 Continue was answered by the proxy; others are not relayed.
        if responseHead.isInformational { return .skip(length: responseHead.length) }
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: String(responseHead.status))
        headers.appendHTTP1Fields(responseHead.fields, in: bytes)
        return .head(headers, length: responseHead.length, framing: responseHead.framing)
    }

    func flush(context: ChannelHandlerContext) {
        if response.isEnded, !finalFlushDeferred {
            // END_STREAM going out closes the stream channel at once, while the
            // exchange handler is still finishing (returning its upstream connection
            // to the pool, recording telemetry): let it finish first.
            finalFlushDeferred = true
            context.eventLoop.assumeIsolated().execute { context.flush() }
            return
        }
        context.flush()
    }

    /// `grpc-status` of a gRPC response (headers of a trailers-only reply, or the
    /// trailers), for Istio's `grpc_response_status`; written before the exchange
    /// records its telemetry (writes reach this handler synchronously).
    private func noteGRPCStatus(_ headers: HPACKHeaders) {
        guard exchange.grpcResponseStatus != TelemetryStore.notGRPC,
              let status = headers.first(name: "grpc-status").flatMap({ Int16($0) }) else { return }
        exchange.grpcResponseStatus = status
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        context.flush()
        // An until-close response ends with the exchange's close: end the stream
        // cleanly rather than resetting it.
        if response.endsAtClose {
            response.finishAtClose { context.write(wrapOutboundOut($0), promise: nil) }
            context.flush()
        }
        context.close(mode: mode, promise: promise)
    }
}
