import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct DeltaADSSessionTests {
    typealias F = XDSFixtures
    static let eds = "outbound|9080||reviews.default.svc.cluster.local"

    func response(_ typeURL: String, nonce: String, _ resources: [(String, any SwiftProtobuf.Message)],
                  removed: [String] = []) -> Envoy_Service_Discovery_V3_DeltaDiscoveryResponse {
        var response = Envoy_Service_Discovery_V3_DeltaDiscoveryResponse()
        response.typeURL = typeURL
        response.nonce = nonce
        response.systemVersionInfo = "v-\(nonce)"
        response.removedResources = removed
        response.resources = resources.map { name, message in
            var resource = Envoy_Service_Discovery_V3_Resource()
            resource.name = name
            resource.version = "\(name)@\(nonce)"
            resource.resource = try! Google_Protobuf_Any(message: message)
            return resource
        }
        return response
    }

    func session(stats: XDSUpdateStats? = nil) -> DeltaADSSession {
        var node = Envoy_Config_Core_V3_Node()
        node.id = "sidecar~127.0.10.1~client.default~default.svc.cluster.local"
        return DeltaADSSession(machine: XDSClientStateMachine(mode: .delta), store: ADSResourceStore(), node: node, stats: stats)
    }

    func assignment(_ name: String) -> Envoy_Config_Endpoint_V3_ClusterLoadAssignment {
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = name
        return assignment
    }

    /// Runs CDS, EDS, LDS, RDS through a session; returns the last config.
    func warm(_ session: inout DeltaADSSession) -> ProxyConfig? {
        _ = session.start()
        _ = session.handle(response(ProxyCore.XDSTypeURL.cluster, nonce: "1", [(Self.eds, F.edsCluster(Self.eds))]), log: { _ in })
        _ = session.handle(response(ProxyCore.XDSTypeURL.endpoint, nonce: "2", [(Self.eds, assignment(Self.eds))]), log: { _ in })
        _ = session.handle(response(ProxyCore.XDSTypeURL.listener, nonce: "3", [("127.0.0.1_9080", F.listener())]), log: { _ in })
        let routes = F.routeConfiguration([F.virtualHost("vh", ["*"], [F.route(cluster: Self.eds)])])
        return session.handle(response(ProxyCore.XDSTypeURL.route, nonce: "4", [("9080", routes)]), log: { _ in }).1
    }

    @Test func subscribesWildcardThenByNameInWarmingOrder() {
        var session = session()
        let first = session.start()
        #expect(first.map(\.typeURL) == [ProxyCore.XDSTypeURL.cluster])
        #expect(first[0].resourceNamesSubscribe.isEmpty, "an empty first subscribe is the wildcard")
        #expect(first[0].node.id.hasPrefix("sidecar~"))
        let (out, config) = session.handle(response(ProxyCore.XDSTypeURL.cluster, nonce: "1", [(Self.eds, F.edsCluster(Self.eds))]), log: { _ in })
        #expect(config == nil)
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.endpoint && $0.resourceNamesSubscribe == [Self.eds] })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.cluster && $0.responseNonce == "1" && !$0.hasErrorDetail })
        #expect(!out.contains { $0.typeURL == ProxyCore.XDSTypeURL.listener }, "listeners wait for endpoints")
    }

    @Test func appliesWhenCompleteAndFollowsRemovals() {
        var session = session()
        let config = warm(&session)
        #expect(config?.listeners.count == 1)
        #expect(config?.routeTables["9080"] != nil)
        // The cluster goes: its endpoints are unsubscribed and dropped.
        let (out, after) = session.handle(response(ProxyCore.XDSTypeURL.cluster, nonce: "5", [], removed: [Self.eds]), log: { _ in })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.endpoint && $0.resourceNamesUnsubscribe == [Self.eds] })
        #expect(session.store.endpointNames.isEmpty)
        #expect(after?.clusters[Self.eds] == nil)
    }

    @Test func nacksByNonceAndCountsRejections() {
        let stats = XDSUpdateStats()
        var session = session(stats: stats)
        _ = session.start()
        var bad = F.staticCluster("tls", port: 2)
        bad.transportSocket.name = "envoy.transport_sockets.alts"
        var log: [String] = []
        let (out, config) = session.handle(response(ProxyCore.XDSTypeURL.cluster, nonce: "n1", [("tls", bad)]), log: { log.append($0) })
        #expect(config == nil)
        let nack = out.first { $0.typeURL == ProxyCore.XDSTypeURL.cluster }
        #expect(nack?.responseNonce == "n1")
        #expect(nack?.errorDetail.message == "Cluster tls: transport_socket.name: transport socket \"envoy.transport_sockets.alts\" is not supported by this proxy")
        #expect(stats.snapshot["cluster_manager.cds.update_rejected"] == 1)
        #expect(stats.snapshot["cluster_manager.cds.update_success"] == 0)
        #expect(session.store.build(version: "x").clusters.isEmpty)
    }

    @Test func reconnectSendsInitialResourceVersions() {
        var session = session()
        _ = warm(&session)
        var machine = session.machine
        var random = SplitMix64(seed: 1)
        _ = machine.disconnected(random: &random)
        var next = DeltaADSSession(machine: machine, store: session.store, node: session.node)
        let first = next.start()
        let cds = first.first { $0.typeURL == ProxyCore.XDSTypeURL.cluster }
        #expect(cds?.initialResourceVersions == [Self.eds: "\(Self.eds)@1"])
        let eds = first.first { $0.typeURL == ProxyCore.XDSTypeURL.endpoint }
        #expect(eds?.resourceNamesSubscribe == [Self.eds])
        #expect(eds?.initialResourceVersions == [Self.eds: "\(Self.eds)@2"])
    }
}

extension ADSResourceStore {
    /// The accepted set as config, for assertions.
    func build(version: String) -> ProxyConfig {
        var warnings = ConversionWarnings()
        return (try? build(version: version, warnings: &warnings)) ?? .empty
    }
}
