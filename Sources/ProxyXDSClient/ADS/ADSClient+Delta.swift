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
        try await withGRPCClient(transport: try transport()) { client in
            let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
            let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DeltaDiscoveryRequest>.makeStream()
            try await ads.deltaAggregatedResources(requestProducer: { writer in
                for await message in requests { try await writer.write(message) }
            }) { response in
                try await serve(DeltaADSSession.self, responses: response.messages, requests: continuation, progress: progress, apply: apply, log: log)
            }
        }
    }
}
