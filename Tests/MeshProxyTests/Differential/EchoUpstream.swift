import NIOCore
import NIOPosix
import ProxyCore

/// The upstream both data planes forward to: answers every request with 200 and
/// a body naming what it received (path, and the headers the scenarios set).
final class EchoUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var buffer: ByteBuffer?
    private var head = HTTP1RequestHead()
    static let reported = ["host", "x-added", "x-forwarded-proto", "x-removed", "x-envoy-expected-rq-timeout-ms", "x-envoy-upstream-rq-timeout-ms", "x-envoy-upstream-rq-per-try-timeout-ms", "x-envoy-retry-on", "x-forwarded-client-cert"]

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        while var current = buffer, current.readableBytes > 0 {
            let body: String? = current.withUnsafeReadableBytes { bytes in
                guard (try? HTTP1RequestParser().parse(bytes, into: &head)) == true else { return nil }
                var text = "path=" + String(decoding: head.path.bytes(in: bytes), as: UTF8.self)
                for name in Self.reported {
                    let field = head.fields.first { String(decoding: $0.name.bytes(in: bytes), as: UTF8.self).lowercased() == name }
                    text += ";\(name)=" + (field.map { String(decoding: $0.value.bytes(in: bytes), as: UTF8.self) } ?? "-")
                }
                return text
            }
            guard let body else { return }
            current.moveReaderIndex(forwardBy: head.length)
            buffer = current.readableBytes > 0 ? current : nil
            let response = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\nX-Upstream: echo\r\nX-Drop-Me: 1\r\nServer: echo-upstream\r\n\r\n\(body)"
            context.write(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
        }
        context.flush()
    }
}

enum EchoUpstream {
    static func start(group: any EventLoopGroup) async throws -> any Channel {
        try await LoopbackServer.start(group: group) { EchoUpstreamHandler() }
    }
}
