import NIOCore
import NIOPosix
import ProxyCore
import Synchronization
@testable import ProxyNIO

/// A proxy on loopback with an HTTP/1.1 upstream (`backend`, TestUpstream), a
/// gRPC-shaped HTTP/2 upstream (`grpc`, http2 cluster), a cluster without
/// endpoints and a direct response, for the HTTP/2 tests.
final class HTTP2TestSetup {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    var upstream: (any Channel)!
    var grpcUpstream: (any Channel)!
    var server: ProxyServer!
    var port = 0
    /// Connections the HTTP/1.1 upstream accepted (pooling check).
    let upstreamConnections = ConnectionCounter()

    final class ConnectionCounter: Sendable {
        private let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static func prefix(_ text: String) -> RouteMatchRule { RouteMatchRule(path: PathMatch(.prefix(Array(text.utf8)))) }

    static func config(h1Port: Int, h2Port: Int, codec: HTTPConnectionConfig.Codec = .auto, timeoutNanos: Int64 = 0) -> ProxyConfig {
        let routes = [
            RouteEntry(name: "direct", match: prefix("/direct"), action: .directResponse(DirectResponse(status: 418, body: Array("teapot".utf8)))),
            RouteEntry(name: "empty", match: prefix("/empty"), action: .forward(ForwardAction(target: .cluster("empty")))),
            RouteEntry(name: "grpc", match: prefix("/pkg."), action: .forward(ForwardAction(target: .cluster("grpc"), timeoutNanos: timeoutNanos))),
            RouteEntry(name: "h2", match: prefix("/h2/"), action: .forward(ForwardAction(target: .cluster("grpc")))),
            RouteEntry(name: "default", match: prefix("/"), action: .forward(ForwardAction(target: .cluster("backend")))),
        ]
        let table = try! RouteTable(name: "r", virtualHosts: [VirtualHostConfig(name: "vh", domains: ["svc"], routes: routes)])
        let http = HTTPConnectionConfig(statPrefix: "http", routes: .inline(table), codec: codec, generateRequestID: false)
        var grpc = ClusterConfig(name: "grpc", discovery: .staticEndpoints)
        grpc.upstreamProtocol = .http2
        return ProxyConfig(
            listeners: [ListenerConfig(name: "http", host: "127.0.0.1", port: 0, chain: .http(http))],
            clusters: ["backend": ClusterConfig(name: "backend", discovery: .staticEndpoints), "grpc": grpc,
                       "empty": ClusterConfig(name: "empty", discovery: .staticEndpoints)],
            endpoints: [
                "backend": EndpointSet(clusterName: "backend", groups: [EndpointSet.Group(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: h1Port)])]),
                "grpc": EndpointSet(clusterName: "grpc", groups: [EndpointSet.Group(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: h2Port)])]),
            ])
    }

    func start(codec: HTTPConnectionConfig.Codec = .auto, timeoutNanos: Int64 = 0) async throws {
        let connections = upstreamConnections
        upstream = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                connections.add()
                return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(TestUpstreamHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        grpcUpstream = try await GRPCEchoUpstream.start(group: group)
        let config = Self.config(h1Port: upstream.localAddress!.port!, h2Port: grpcUpstream.localAddress!.port!,
                                 codec: codec, timeoutNanos: timeoutNanos)
        server = try await ProxyServer(group: group, config: config)
        port = try await server.start(config: config)[0].address.port!
    }

    func client(validateHeaders: Bool = true) async throws -> HTTP2TestClient {
        try await HTTP2TestClient.connect(port: port, group: group, validateHeaders: validateHeaders)
    }

    func stop() async throws {
        try await server.shutdown()
        try await upstream.close()
        try await grpcUpstream.close()
        try await group.shutdownGracefully()
    }
}
