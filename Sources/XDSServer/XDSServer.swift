import GRPCCore
import GRPCNIOTransportHTTP2
import XDSAPI

/// The xDS server: ADS over gRPC for any resource provider, on one or more
/// listeners (Istio's 15010 plaintext and 15012 TLS), with any further gRPC
/// services (the CA) on the same ports. `push()` makes every connected proxy
/// re-read its resources; only types whose content changed are sent.
public final class XDSServer: Sendable {
    /// One port to serve on; `tls` nil is plaintext.
    public struct Listener: Sendable {
        public var host: String
        public var port: Int
        public var tls: TLSIdentity?

        public init(host: String, port: Int, tls: TLSIdentity? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
        }
    }

    /// The server's certificate chain (leaf first) and key, PEM. Clients are not
    /// asked for certificates: a proxy calls the CA before it has one (as istiod's 15012).
    public struct TLSIdentity: Sendable {
        public var certificateChainPEM: [String]
        public var privateKeyPEM: String

        public init(certificateChainPEM: [String], privateKeyPEM: String) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
        }
    }

    public let status = ProxyStatusRegistry()
    private let hub = PushHub()
    private let changes = ChangeClock()
    private let provider: any XDSResourceProvider
    private let servers: [GRPCServer<HTTP2ServerTransport.Posix>]

    /// `pushThrottle`: how many streams may write responses at once (istiod's
    /// PILOT_PUSH_THROTTLE); the others wait their turn.
    public convenience init(host: String, port: Int, provider: any XDSResourceProvider, pushThrottle: Int = 100) {
        self.init(listeners: [Listener(host: host, port: port)], provider: provider, pushThrottle: pushThrottle)
    }

    public init(listeners: [Listener], provider: any XDSResourceProvider, pushThrottle: Int = 100,
                services: [any RegistrableRPCService] = []) {
        self.provider = provider
        let ads = AggregatedDiscoveryService(provider: provider, hub: hub, status: status, streamIDs: StreamIDs(),
                                             throttle: PushThrottle(limit: pushThrottle), changes: changes)
        servers = listeners.map { listener in
            var config = HTTP2ServerTransport.Posix.Config.defaults
            config.rpc.maxRequestPayloadSize = 64 << 20
            let security: HTTP2ServerTransport.Posix.TransportSecurity = listener.tls.map { tls in
                .tls(certificateChain: tls.certificateChainPEM.map { .bytes(Array($0.utf8), format: .pem) },
                     privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem))
            } ?? .plaintext
            return GRPCServer(
                transport: .http2NIOPosix(address: .ipv4(host: listener.host, port: listener.port), transportSecurity: security, config: config),
                services: [ads] + services
            )
        }
    }

    /// Serves every listener until `shutdown()`.
    public func serve() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for server in servers { group.addTask { try await server.serve() } }
            try await group.waitForAll()
        }
    }

    /// The first listener's bound port (useful with port 0).
    public func boundPort() async throws -> Int {
        try await boundPorts().first ?? 0
    }

    /// Every listener's bound port, in the order given.
    public func boundPorts() async throws -> [Int] {
        var ports: [Int] = []
        for server in servers { ports.append(try await server.transport.listeningAddress.ipv4?.port ?? 0) }
        return ports
    }

    public func shutdown() {
        for server in servers { server.beginGracefulShutdown() }
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
