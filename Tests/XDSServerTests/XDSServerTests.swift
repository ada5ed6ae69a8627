import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSServer

/// A real gRPC round trip: a client subscribes to clusters, ACKs, and receives a push.
@Suite struct XDSServerTests {
    actor Provider: XDSResourceProvider {
        var timeout: Int64 = 1
        func set(_ value: Int64) { timeout = value }
        func resources(for node: Envoy_Config_Core_V3_Node) async throws -> NodeResources {
            var cluster = Envoy_Config_Cluster_V3_Cluster()
            cluster.name = "outbound|9080||reviews.default.svc.cluster.local"
            cluster.connectTimeout = Google_Protobuf_Duration(seconds: timeout)
            return NodeResources([TypeURL.cluster: [(cluster.name, try Google_Protobuf_Any(message: cluster))]])
        }
    }

    @Test func subscribeAckPush() async throws {
        let provider = Provider()
        let server = XDSServer(host: "127.0.0.1", port: 0, provider: provider)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let port = try await server.boundPort()
            try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)) { client in
                let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
                let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DiscoveryRequest>.makeStream()
                var first = Envoy_Service_Discovery_V3_DiscoveryRequest()
                first.typeURL = TypeURL.cluster
                first.node.id = "sidecar~10.0.0.5~productpage.default~default.svc.cluster.local"
                continuation.yield(first)
                try await ads.streamAggregatedResources(requestProducer: { writer in
                    for await request in requests { try await writer.write(request) }
                }) { response in
                    var received: [Envoy_Service_Discovery_V3_DiscoveryResponse] = []
                    for try await message in response.messages {
                        received.append(message)
                        if received.count == 1 {
                            var ack = Envoy_Service_Discovery_V3_DiscoveryRequest()
                            ack.typeURL = TypeURL.cluster
                            ack.versionInfo = message.versionInfo
                            ack.responseNonce = message.nonce
                            continuation.yield(ack)
                            try await Task.sleep(for: .milliseconds(100))
                            let status = await server.status.snapshot()
                            #expect(status.first?.types[TypeURL.cluster]?.state == "SYNCED")
                            await provider.set(5)
                            await server.push()
                        } else {
                            let cluster = try Envoy_Config_Cluster_V3_Cluster(unpackingAny: message.resources[0])
                            #expect(cluster.connectTimeout.seconds == 5)
                            continuation.finish()
                            break
                        }
                    }
                    #expect(received.count == 2)
                }
            }
            server.shutdown()
            try await group.waitForAll()
        }
    }
}
