import NIOCore
import ProxyCore

/// Envoy-style admin endpoint (Istio's 15000), minimal for now: `/ready`,
/// `/listeners`, `/clusters`, `/config_dump` (a summary, not Envoy's shape yet).
/// It parses with the proxy's own HTTP/1 parser and closes after each answer.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let state: AdminState
    private var buffer: ByteBuffer?
    private var head = HTTP1RequestHead()
    private let parser = HTTP1RequestParser(maxHeadBytes: 16 * 1024)

    init(state: AdminState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        guard let current = buffer else { return }
        let parsed: (complete: Bool, path: String)? = current.withUnsafeReadableBytes { bytes in
            guard let complete = try? parser.parse(bytes, into: &head) else { return nil }
            guard complete else { return (false, "") }
            let path = head.path.bytes(in: bytes)
            let end = path.firstIndex(of: UInt8(ascii: "?")) ?? path.count
            return (true, String(decoding: path[0..<end], as: UTF8.self))
        }
        guard let parsed else { return respond(context, status: 400, body: "bad request\n") }
        guard parsed.complete else { return }
        let (status, body) = state.answer(path: parsed.path)
        respond(context, status: status, body: body)
    }

    private func respond(_ context: ChannelHandlerContext, status: Int, body: String) {
        var out = context.channel.allocator.buffer(capacity: body.utf8.count + 128)
        let type = body.hasPrefix("{") ? "application/json" : "text/plain"
        out.writeString("HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\ncontent-type: \(type)\r\n")
        out.writeString("content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)")
        context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        buffer = nil
    }
}
