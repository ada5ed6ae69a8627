import NIOCore
import NIOHTTP2

/// Watches an upstream HTTP/2 connection for GOAWAY (a server draining, e.g.
/// gRPC's max connection age): the connection takes no new streams from then
/// on, so it is retired and the next request opens a fresh one, while the
/// streams in flight finish on it.
final class UpstreamHTTP2GoAwayWatcher: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame

    private weak var connection: UpstreamHTTP2Connection?

    init(connection: UpstreamHTTP2Connection) {
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .goAway = unwrapInboundIn(data).payload { connection?.retire(context.channel) }
        context.fireChannelRead(data)
    }
}
