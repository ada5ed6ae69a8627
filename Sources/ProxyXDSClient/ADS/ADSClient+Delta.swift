import GRPCCore
import GRPCNIOTransportHTTP2
import ProxyCore
import XDSAPI

extension ADSClient {
    /// One DeltaAggregatedResources stream: the same loop as state of the world, with
    /// DeltaADSSession deciding what to send.
    func deltaStream(_ progress: Progress,
                     apply: @escaping @Sendable (ProxyConfig) async -> Void,
                     log: @escaping @Sendable (String) -> Void) async throws {
        let node = self.node
        let accepted = self.accepted
        let (machine, store) = progress.state.withLock { $0 }
        let stats = self.stats
        return try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: host, port: port), transportSecurity: .plaintext)) { client in
            let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
            let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DeltaDiscoveryRequest>.makeStream()
            return try await ads.deltaAggregatedResources(requestProducer: { writer in
                for await message in requests { try await writer.write(message) }
            }) { response in
                var session = DeltaADSSession(machine: machine, store: store, node: node, stats: stats)
                session.start().forEach { continuation.yield($0) }
                for try await message in response.messages {
                    let (outgoing, config) = session.handle(message, log: log)
                    progress.state.withLock { $0 = (session.machine, session.store) }
                    if let config {
                        await apply(config)
                        accepted?(session.store, config.version)
                    }
                    outgoing.forEach { continuation.yield($0) }
                }
                continuation.finish()
            }
        }
    }
}
