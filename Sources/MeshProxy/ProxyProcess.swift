import NIOCore
import NIOPosix
import ProxyCore
import ProxyNIO
import ProxyXDSClient

/// Runs the proxy: bootstrap -> ProxyConfig -> listeners and admin on an
/// event-loop group, until the task is cancelled.
public enum ProxyProcess {
    public struct Started: Sendable {
        public let listeners: [ProxyServer.BoundListener]
        public let skipped: [String]
        public let admin: SocketAddress?
        public let warnings: [String]
    }

    /// Starts everything, reports through `started`, then waits for cancellation.
    public static func run(_ options: ProxyOptions, started: @Sendable (Started) -> Void) async throws {
        let bootstrap = try options.bootstrapPath.map { try BootstrapDecoder.decode(json: try FileReader.read($0)) } ?? ProxyBootstrap()
        let resources = try options.resourcesPath.map { try ResourcesDecoder.decode(json: try FileReader.read($0)) } ?? ResourcesDecoder.Resources()
        var warnings = ConversionWarnings()
        let config = try ProxyConfigBuilder.build(version: "bootstrap", listeners: bootstrap.listeners + resources.listeners,
                                                  routes: resources.routes, clusters: bootstrap.clusters + resources.clusters,
                                                  assignments: resources.endpoints, warnings: &warnings)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, options.concurrency))
        let server = try await ProxyServer(group: group, config: config)
        let state = AdminState()
        var adminChannel: (any Channel)?
        do {
            let (bound, skipped) = try await server.start(config: config)
            if let host = options.adminHost ?? bootstrap.adminHost, let port = options.adminPort ?? bootstrap.adminPort {
                adminChannel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(AdminHandler(state: state)) }
                    }
                    .bind(host: host, port: port).get()
            }
            var addresses: [String: String] = [:]
            for listener in bound { addresses[listener.name] = "\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)" }
            state.update(config: config, listenerAddresses: addresses, ready: true)
            started(Started(listeners: bound, skipped: skipped, admin: adminChannel?.localAddress, warnings: warnings.messages))
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        } catch {
            try? await shutdown(server, adminChannel, group)
            throw error
        }
        try await shutdown(server, adminChannel, group)
    }

    private static func shutdown(_ server: ProxyServer, _ admin: (any Channel)?, _ group: MultiThreadedEventLoopGroup) async throws {
        try await server.shutdown()
        try? await admin?.close()
        try await group.shutdownGracefully()
    }
}
