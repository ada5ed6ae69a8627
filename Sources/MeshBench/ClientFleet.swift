import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import XDSAPI
import XDSServer

/// Simulated sidecars: each an ADS stream that subscribes like Envoy (CDS, EDS for
/// every cluster, LDS, RDS for every route) and ACKs every response. Streams are
/// spread over a few HTTP/2 connections.
actor ClientFleet {
    struct Percentiles {
        var p50: Duration
        var p99: Duration
    }

    let port: Int
    let count: Int
    private var synced: [Int: ContinuousClock.Instant] = [:]
    private var changed: [Int: ContinuousClock.Instant] = [:]
    private var versions: [Int: String] = [:]
    private var tasks: [Task<Void, Error>] = []
    private var started: ContinuousClock.Instant = .now

    init(port: Int, count: Int) {
        self.port = port
        self.count = count
    }

    func connectAndSync() async throws -> Percentiles {
        started = .now
        let connections = max(1, count / 90)
        for connection in 0..<connections {
            let range = stride(from: connection, to: count, by: connections).map { $0 }
            let port = self.port
            tasks.append(Task {
                try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)) { client in
                    let ads = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client(wrapping: client)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for id in range { group.addTask { try await self.stream(id, ads) } }
                        try await group.waitForAll()
                    }
                }
            })
        }
        while synced.count < count { try await Task.sleep(for: .milliseconds(20)) }
        return percentiles(synced.values.map { $0 - started })
    }

    func awaitChange(since start: ContinuousClock.Instant) async throws -> Percentiles {
        changed.removeAll()
        while changed.count < count { try await Task.sleep(for: .milliseconds(20)) }
        return percentiles(changed.values.map { $0 - start })
    }

    func close() {
        tasks.forEach { $0.cancel() }
    }

    private func record(_ id: Int, routeVersion: String, complete: Bool) {
        guard complete else { return }
        if synced[id] == nil { synced[id] = .now; versions[id] = routeVersion; return }
        if versions[id] != routeVersion {
            versions[id] = routeVersion
            changed[id] = .now
        }
    }

    private nonisolated func stream(_ id: Int, _ ads: Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Client<HTTP2ClientTransport.Posix>) async throws {
        let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DiscoveryRequest>.makeStream()
        var first = Self.request(TypeURL.cluster)
        first.node.id = "sidecar~10.200.\(id / 250).\(id % 250)~client-\(id).bench~bench.svc.cluster.local"
        continuation.yield(first)
        continuation.yield(Self.request(TypeURL.listener))
        try await ads.streamAggregatedResources(requestProducer: { writer in
            for await message in requests { try await writer.write(message) }
        }) { response in
            var acked: Set<String> = []
            var routeVersion = ""
            for try await message in response.messages {
                var ack = Self.request(message.typeURL, version: message.versionInfo, nonce: message.nonce)
                switch message.typeURL {
                case TypeURL.cluster:
                    let names = message.resources.compactMap { try? Envoy_Config_Cluster_V3_Cluster(unpackingAny: $0) }.filter { $0.type == .eds }.map(\.name)
                    ack.resourceNames = []
                    continuation.yield(ack)
                    continuation.yield(Self.request(TypeURL.endpoint, names: names))
                case TypeURL.listener:
                    continuation.yield(ack)
                    continuation.yield(Self.request(TypeURL.route, names: ["9080"]))
                case TypeURL.endpoint:
                    ack.resourceNames = message.resources.compactMap { try? Envoy_Config_Endpoint_V3_ClusterLoadAssignment(unpackingAny: $0) }.map(\.clusterName)
                    continuation.yield(ack)
                case TypeURL.route:
                    ack.resourceNames = ["9080"]
                    continuation.yield(ack)
                    routeVersion = message.versionInfo
                default:
                    continuation.yield(ack)
                }
                acked.insert(message.typeURL)
                await self.record(id, routeVersion: routeVersion, complete: acked.count == 4 && !routeVersion.isEmpty)
            }
        }
    }

    private nonisolated static func request(_ type: String, names: [String] = [], version: String = "", nonce: String = "") -> Envoy_Service_Discovery_V3_DiscoveryRequest {
        var message = Envoy_Service_Discovery_V3_DiscoveryRequest()
        message.typeURL = type
        message.resourceNames = names
        message.versionInfo = version
        message.responseNonce = nonce
        return message
    }

    private func percentiles(_ values: [Duration]) -> Percentiles {
        let sorted = values.sorted()
        return Percentiles(p50: sorted[sorted.count / 2], p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }
}
