import GRPCCore
import GRPCNIOTransportHTTP2
import XDSAPI

/// The xDS server: ADS over gRPC (plaintext, Istio's 15010) for any resource
/// provider. `push()` makes every connected proxy re-read its resources; only types
/// whose content changed are sent.
public final class XDSServer: Sendable {
    public let status = ProxyStatusRegistry()
    private let hub = PushHub()
    private let changes = ChangeClock()
    private let provider: any XDSResourceProvider
    private let server: GRPCServer<HTTP2ServerTransport.Posix>

    /// `pushThrottle`: how many streams may write responses at once (istiod's
    /// PILOT_PUSH_THROTTLE); the others wait their turn.
    public init(host: String, port: Int, provider: any XDSResourceProvider, pushThrottle: Int = 100) {
        self.provider = provider
        let service = AggregatedDiscoveryService(provider: provider, hub: hub, status: status, streamIDs: StreamIDs(),
                                                 throttle: PushThrottle(limit: pushThrottle), changes: changes)
        var config = HTTP2ServerTransport.Posix.Config.defaults
        config.rpc.maxRequestPayloadSize = 64 << 20
        server = GRPCServer(
            transport: .http2NIOPosix(address: .ipv4(host: host, port: port), transportSecurity: .plaintext, config: config),
            services: [service]
        )
    }

    /// Serves until `shutdown()`.
    public func serve() async throws {
        try await server.serve()
    }

    /// The bound port (useful with port 0).
    public func boundPort() async throws -> Int {
        try await server.transport.listeningAddress.ipv4?.port ?? 0
    }

    public func shutdown() {
        server.beginGracefulShutdown()
    }

    /// `changedAt`: when the change was detected (`MonotonicClock`), for the
    /// convergence-time histogram.
    public func push(changedAt: UInt64? = nil) async {
        if let changedAt { changes.changed(at: changedAt) }
        await hub.notifyAll()
    }

    public var connectedStreams: Int {
        get async { await hub.count }
    }
}
