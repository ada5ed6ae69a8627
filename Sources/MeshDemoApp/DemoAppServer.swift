import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// A running demo workload: one listening socket serving HTTP/1.1 and h2c.
///
///     let server = try await DemoAppServer.start(options)
///     print(server.listeningLine)
///     ...
///     try await server.shutdown()
///
/// Event loop group shutdown is left to async or blocking code (`shutdown()`,
/// `shutdownBlocking()`), never chained onto a future of that group: whoever awaits
/// such a future late would hop onto a loop that no longer runs.
public final class DemoAppServer: Sendable {
    public let options: DemoAppOptions
    /// The address actually bound (with the real port when `--listen` gave port 0).
    public let boundAddress: DemoListenAddress
    private let serverChannel: any Channel
    private let group: any EventLoopGroup
    private let ownsGroup: Bool
    private let connections: DemoConnectionSet

    private init(options: DemoAppOptions, boundAddress: DemoListenAddress, serverChannel: any Channel, group: any EventLoopGroup, ownsGroup: Bool, connections: DemoConnectionSet) {
        self.options = options
        self.boundAddress = boundAddress
        self.serverChannel = serverChannel
        self.group = group
        self.ownsGroup = ownsGroup
        self.connections = connections
    }

    /// The port listened on.
    public var port: Int { boundAddress.port }

    /// "instance" in the answers.
    public var instance: String { options.instance ?? boundAddress.description }

    /// `demo-app NAME v=V listening on ADDR:PORT`
    public var listeningLine: String {
        "demo-app \(options.service) v=\(options.version) listening on \(boundAddress)"
    }

    /// Binds and starts serving on `group`, which the caller owns and shuts down.
    public static func bind(_ options: DemoAppOptions, group: any EventLoopGroup) -> EventLoopFuture<DemoAppServer> {
        bind(options, group: group, ownsGroup: false)
    }

    /// Binds and starts serving. Without `group` the server makes its own event loop
    /// group (one thread) and shuts it down in `shutdown()`.
    public static func start(_ options: DemoAppOptions, group: (any EventLoopGroup)? = nil) async throws -> DemoAppServer {
        let loops = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            return try await bind(options, group: loops, ownsGroup: group == nil).get()
        } catch {
            if group == nil { try? await loops.shutdownGracefully() }
            throw error
        }
    }

    /// `start` for synchronous callers (the command line).
    @available(*, noasync, message: "use start(_:group:)")
    public static func startBlocking(_ options: DemoAppOptions, group: (any EventLoopGroup)? = nil) throws -> DemoAppServer {
        let loops = group ?? MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            return try bind(options, group: loops, ownsGroup: group == nil).wait()
        } catch {
            if group == nil { try? loops.syncShutdownGracefully() }
            throw error
        }
    }

    private static func bind(_ options: DemoAppOptions, group: any EventLoopGroup, ownsGroup: Bool) -> EventLoopFuture<DemoAppServer> {
        let connections = DemoConnectionSet()
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                connections.insert(channel)
                return channel.eventLoop.makeCompletedFuture {
                    try configureConnection(channel, options: options)
                }
            }
        return bootstrap.bind(host: options.listen.host, port: options.listen.port).map { channel in
            let port = channel.localAddress?.port ?? options.listen.port
            let address = DemoListenAddress(host: options.listen.host, port: port)
            return DemoAppServer(options: options, boundAddress: address, serverChannel: channel, group: group, ownsGroup: ownsGroup, connections: connections)
        }
    }

    /// Stops listening and closes open connections (answers in progress are dropped).
    /// Leaves the event loop group running: see `shutdown()`.
    public func close() -> EventLoopFuture<Void> {
        let eventLoop = serverChannel.eventLoop
        return serverChannel.close().recover { _ in }.flatMap { () -> EventLoopFuture<Void> in
            let children = self.connections.removeAll().map { $0.close().recover { _ in } }
            return EventLoopFuture.andAllComplete(children, on: eventLoop)
        }
    }

    /// `close()`, then shuts down the event loop group if the server made it.
    public func shutdown() async throws {
        try await close().get()
        if ownsGroup { try await group.shutdownGracefully() }
    }

    /// `shutdown()` for synchronous callers (the command line).
    @available(*, noasync, message: "use shutdown()")
    public func shutdownBlocking() throws {
        try close().wait()
        if ownsGroup { try group.syncShutdownGracefully() }
    }

    /// Completes when the listening socket has closed (by `close()`).
    public var closeFuture: EventLoopFuture<Void> { serverChannel.closeFuture }

    /// The pipeline of one accepted connection.
    static func configureConnection(_ channel: any Channel, options: DemoAppOptions) throws {
        if options.dead {
            try channel.pipeline.syncOperations.addHandler(DemoDeadConnectionHandler())
            return
        }
        let port = channel.localAddress?.port ?? options.listen.port
        let instance = options.instance ?? DemoListenAddress(host: options.listen.host, port: port).description
        let processor = DemoRequestProcessor(options: options, instance: instance)
        let detector = DemoProtocolDetector { detected, pipeline in
            switch detected {
            case .http1:
                try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                try pipeline.addHandler(DemoHTTP1Handler(processor: processor))
            case .http2:
                _ = try pipeline.configureHTTP2Pipeline(
                    mode: .server,
                    connectionConfiguration: .init(),
                    streamConfiguration: .init()
                ) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(DemoHTTP2StreamHandler(processor: processor))
                    }
                }
            }
        }
        try channel.pipeline.syncOperations.addHandler(detector)
    }
}
