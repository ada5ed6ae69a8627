import GRPCCore
import GRPCNIOTransportHTTP2
import ProxyCore
import SwiftProtobuf
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
        var machine = XDSClientStateMachine(mode: delta ? .delta : .stateOfTheWorld)
        var store = initialStore
        while !Task.isCancelled {
            do {
                let outcome = delta ? try await deltaStream(machine: machine, store: store, apply: apply, log: log)
                    : try await stream(machine: machine, store: store, apply: apply, log: log)
                machine = outcome.0
                store = outcome.1
                log("xds: stream to \(host):\(port) ended")
            } catch {
                log("xds: stream to \(host):\(port) failed: \(error)")
            }
            let delay = machine.disconnected(random: &random)
            try? await Task.sleep(for: .milliseconds(delay))
        }
    }

    private func stream(machine: XDSClientStateMachine, store: ADSResourceStore,
                        apply: @escaping @Sendable (ProxyConfig) async -> Void,
                        log: @escaping @Sendable (String) -> Void) async throws -> (XDSClientStateMachine, ADSResourceStore) {
        let node = self.node
        let stats = self.stats
        return try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)) { client in
            let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
            let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DiscoveryRequest>.makeStream()
            return try await ads.streamAggregatedResources(requestProducer: { writer in
                for await message in requests { try await writer.write(message) }
            }) { response in
                var session = ADSSession(machine: machine, store: store, node: node, stats: stats)
                session.start().forEach { continuation.yield($0) }
                for try await message in response.messages {
                    let (outgoing, config) = session.handle(message, log: log)
                    if let config { await apply(config) }
                    outgoing.forEach { continuation.yield($0) }
                }
                continuation.finish()
                return (session.machine, session.store)
            }
        }
    }
}
