import NIOCore
import NIOPosix

/// A raw TCP upstream that answers every read with its tag and the bytes it got,
/// so a test sees which upstream a connection reached and that the bytes arrived
/// untouched.
final class TaggedEchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let tag: String
    private var tagged = false

    init(tag: String) { self.tag = tag }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !tagged {
            tagged = true
            context.write(wrapOutboundOut(ByteBuffer(string: tag)), promise: nil)
        }
        context.writeAndFlush(data, promise: nil)
    }
}

enum TaggedEchoUpstream {
    static func start(group: any EventLoopGroup, tag: String) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(TaggedEchoHandler(tag: tag)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
