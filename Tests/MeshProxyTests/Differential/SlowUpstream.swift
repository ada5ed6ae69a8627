import NIOCore
import NIOPosix

/// An HTTP/1.1 upstream that answers each body-less request with 200 after a delay,
/// keeping the connection: requests through the proxy overlap, and wait for it.
final class SlowUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let delay: TimeAmount
    private var received = ""

    init(delay: TimeAmount) { self.delay = delay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        received += incoming.readString(length: incoming.readableBytes) ?? ""
        while let end = received.range(of: "\r\n\r\n") {
            let head = received[..<end.lowerBound]
            received = String(received[end.upperBound...])
            let path = head.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
            let body = "served \(path)"
            let response = "HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                bound.value.writeAndFlush(NIOAny(ByteBuffer(string: response)), promise: nil)
            }
        }
    }
}

enum SlowUpstream {
    static func start(group: any EventLoopGroup, delay: TimeAmount) async throws -> any Channel {
        try await LoopbackServer.start(group: group) { SlowUpstreamHandler(delay: delay) }
    }
}
