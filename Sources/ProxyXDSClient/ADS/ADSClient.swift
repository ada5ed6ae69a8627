import GRPCCore
import GRPCNIOTransportHTTP2
import ProxyCore
import SwiftProtobuf
import Synchronization
import XDSAPI

/// The proxy's ADS client (state of the world, or delta with `delta`; the delta
/// stream is ADSClient+Delta): subscribes to clusters and
/// listeners, then to the endpoints and routes they name, converts each response
/// with the rest of the accepted set, ACKs what converts and NACKs with the
/// converter's error what does not. ProxyCore's XDSClientStateMachine keeps
/// versions, nonces and Envoy's warming order. Reconnects with its jittered
/// backoff and keeps the last good config meanwhile.
public struct ADSClient: Sendable {
    public let host: String
    public let port: Int
    public let node: Envoy_Config_Core_V3_Node
    public let initialStore: ADSResourceStore
    /// DeltaAggregatedResources instead of StreamAggregatedResources (`api_type: DELTA_GRPC`).
    public let delta: Bool
    public let stats: XDSUpdateStats?
    /// Called with the accepted resources and version after each applied config
    /// (the admin's `/config_dump`).
    public var accepted: (@Sendable (ADSResourceStore, String) -> Void)?
    /// PEM roots the control plane's certificate must chain to: ADS over TLS
    /// (Istio's 15012), verifying `serverName`; nil: plaintext (15010).
    public var trustedRootsPEM: String?
    public var serverName = "istiod.istio-system.svc"

    public init(host: String, port: Int, node: Envoy_Config_Core_V3_Node, store: ADSResourceStore = ADSResourceStore(),
                delta: Bool = false, stats: XDSUpdateStats? = nil) {
        self.host = host
        self.port = port
        self.node = node
        self.initialStore = store
        self.delta = delta
        self.stats = stats
    }

    /// Runs until cancelled. `apply` gets each complete, converted config;
    /// `log` gets NACKs, warnings and connection events.
    public func run(apply: @escaping @Sendable (ProxyConfig) async -> Void, log: @escaping @Sendable (String) -> Void) async {
        var random = SplitMix64(seed: UInt64(UInt(bitPattern: port.hashValue)))
        // What the streams have accepted so far, kept across reconnects: a stream
        // that dies (control plane gone) must not take the accepted resources with
        // it, or the next stream's first response would rebuild the config from
        // the bootstrap alone and close the dynamic listeners.
        let progress = Progress((XDSClientStateMachine(mode: delta ? .delta : .stateOfTheWorld), initialStore))
        while !Task.isCancelled {
            do {
                if delta {
                    try await deltaStream(progress, apply: apply, log: log)
                } else {
                    try await stream(progress, apply: apply, log: log)
                }
                log("xds: stream to \(host):\(port) ended")
            } catch {
                log("xds: stream to \(host):\(port) failed: \(error)")
            }
            let delay = progress.state.withLock { $0.0.disconnected(random: &random) }
            try? await Task.sleep(for: .milliseconds(delay))
        }
    }

    func transport() throws -> HTTP2ClientTransport.Posix {
        guard let trustedRootsPEM else {
            return try .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)
        }
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.http2.authority = serverName
        let security = HTTP2ClientTransport.Posix.TransportSecurity.tls { tls in
            tls.trustRoots = .certificates([.bytes(Array(trustedRootsPEM.utf8), format: .pem)])
        }
        return try .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: security, config: config)
    }

    /// The accepted state, shared with the stream's response handler.
    final class Progress: Sendable {
        let state: Mutex<(XDSClientStateMachine, ADSResourceStore)>
        init(_ initial: (XDSClientStateMachine, ADSResourceStore)) { state = Mutex(initial) }
    }

    private func stream(_ progress: Progress,
                        apply: @escaping @Sendable (ProxyConfig) async -> Void,
                        log: @escaping @Sendable (String) -> Void) async throws {
        try await withGRPCClient(transport: try transport()) { client in
            let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
            let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DiscoveryRequest>.makeStream()
            try await ads.streamAggregatedResources(requestProducer: { writer in
                for await message in requests { try await writer.write(message) }
            }) { response in
                try await serve(ADSSession.self, responses: response.messages, requests: continuation, progress: progress, apply: apply, log: log)
            }
        }
    }
}
