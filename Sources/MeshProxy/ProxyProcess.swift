import NIOCore
import NIOPosix
import ProxyCore
import ProxyNIO
import ProxyXDSClient
import SwiftProtobuf
import XDSAPI

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
            if let host = options.xdsHost ?? bootstrap.ads?.host, let port = options.xdsPort ?? bootstrap.ads?.port {
                let client = ADSClient(host: host, port: port, node: try node(options, bootstrap: bootstrap),
                                       store: ADSResourceStore(staticListeners: bootstrap.listeners, staticClusters: bootstrap.clusters))
                await client.run(apply: { config in
                    do {
                        let added = try await server.reconcile(config)
                        var addresses: [String: String] = [:]
                        for listener in added {
                            addresses[listener.name] = "\(listener.address.ipAddress ?? ""):\(listener.address.port ?? 0)"
                            StandardError.write("swiftmesh proxy listening \(listener.name)=\(addresses[listener.name]!)")
                        }
                        state.update(config: config, listenerAddresses: addresses, ready: true)
                    } catch {
                        StandardError.write("xds: applying version \(config.version) failed: \(error)")
                    }
                }, log: StandardError.write)
            }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
            }
        } catch {
            try? await shutdown(server, adminChannel, group)
            throw error
        }
        try await shutdown(server, adminChannel, group)
    }

    /// The identity sent on ADS: command-line flags win, then the bootstrap's node.
    static func node(_ options: ProxyOptions, bootstrap: ProxyBootstrap) throws -> Envoy_Config_Core_V3_Node {
        if options.nodeID.isEmpty, options.nodeMetadataJSON == nil, var node = bootstrap.node {
            node.userAgentName = "swiftmesh"
            return node
        }
        var node = Envoy_Config_Core_V3_Node()
        node.id = options.nodeID
        node.userAgentName = "swiftmesh"
        if let json = options.nodeMetadataJSON { node.metadata = try Google_Protobuf_Struct(jsonString: json) }
        if case .stringValue(let namespace)? = node.metadata.fields["NAMESPACE"]?.kind { node.cluster = namespace }
        return node
    }

    private static func shutdown(_ server: ProxyServer, _ admin: (any Channel)?, _ group: MultiThreadedEventLoopGroup) async throws {
        try await server.shutdown()
        try? await admin?.close()
        try await group.shutdownGracefully()
    }
}
