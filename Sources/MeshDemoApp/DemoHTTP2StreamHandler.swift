import NIOCore
import NIOHTTP2

/// Serves one HTTP/2 stream: reads the request headers (and ignores any body), answers
/// with HEADERS (+ DATA) ending the stream.
final class DemoHTTP2StreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let processor: DemoRequestProcessor
    private var method = ""
    private var target = ""
    private var authority: String?
    private var headers: [(name: String, value: String)] = []
    private var sawHeaders = false
    private var answered = false

    init(processor: DemoRequestProcessor) {
        self.processor = processor
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            if !sawHeaders {
                sawHeaders = true
                for (name, value, _) in frame.headers {
                    switch name {
                    case ":method": method = value
                    case ":path": target = value
                    case ":authority": authority = value
                    default: if !name.hasPrefix(":") { headers.append((name: name, value: value)) }
                    }
                }
            }
            if frame.endStream { respond(context: context) }
        case .data(let frame):
            if frame.endStream { respond(context: context) }
        default:
            break
        }
    }

    private func respond(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        if let authority, !headers.contains(where: { $0.name == "host" }) {
            headers.insert((name: "host", value: authority), at: 0)
        }
        let request = DemoRequest(method: method, target: target, headers: headers)
        processor.respond(to: request, on: context.eventLoop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let response): self.write(response, context: context)
            case .failure: context.close(promise: nil)
            }
        }
    }

    private func write(_ response: DemoResponse, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        let fields = [(":status", String(response.status))] + response.headers.map { ($0.name, $0.value) }
        let bodyless = response.body.isEmpty
        context.write(wrapOutboundOut(.headers(.init(headers: .init(fields), endStream: bodyless))), promise: nil)
        if !bodyless {
            let buffer = context.channel.allocator.buffer(bytes: response.body)
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(buffer), endStream: true))), promise: nil)
        }
        context.flush()
    }
}
