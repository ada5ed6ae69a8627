import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A gRPC-style HTTP/2 server for the HTTP/2 differential: every stream, once the
/// request ended, gets `200 application/grpc`, one 5-byte empty message and
/// trailers `grpc-status: 0`, `grpc-message: done`.
final class TrailerUpstreamStream: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let ended: Bool
        switch unwrapInboundIn(data) {
        case .headers(let frame): ended = frame.endStream
        case .data(let frame): ended = frame.endStream
        default: ended = false
        }
        guard ended else { return }
        let message = context.channel.allocator.buffer(bytes: [0, 0, 0, 0, 0])
        context.write(wrapOutboundOut(.headers(.init(headers: [":status": "200", "content-type": "application/grpc"]))), promise: nil)
        context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(message)))), promise: nil)
        let trailers: HPACKHeaders = ["grpc-status": "0", "grpc-message": "done"]
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
    }
}

enum TrailerUpstream {
    static func start(group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()) { stream in
                        stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(TrailerUpstreamStream()) }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
