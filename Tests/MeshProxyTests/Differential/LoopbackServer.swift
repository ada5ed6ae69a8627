import NIOCore
import NIOPosix

/// A test upstream on 127.0.0.1 and an ephemeral port: one `handler()` per
/// accepted connection.
enum LoopbackServer {
    static func start(group: any EventLoopGroup, allowHalfClosure: Bool = false,
                      handler: @escaping @Sendable () -> any ChannelHandler) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelOption(.allowRemoteHalfClosure, value: allowHalfClosure)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
