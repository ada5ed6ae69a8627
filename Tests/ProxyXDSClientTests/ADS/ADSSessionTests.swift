import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct ADSSessionTests {
    typealias F = XDSFixtures

    func response(_ typeURL: String, version: String, nonce: String, _ resources: [any SwiftProtobuf.Message]) -> Envoy_Service_Discovery_V3_DiscoveryResponse {
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.typeURL = typeURL
        response.versionInfo = version
        response.nonce = nonce
        response.resources = resources.map { try! Google_Protobuf_Any(message: $0) }
        return response
    }

    func session() -> ADSSession {
        var node = Envoy_Config_Core_V3_Node()
        node.id = "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local"
        return ADSSession(machine: XDSClientStateMachine(mode: .stateOfTheWorld), store: ADSResourceStore(), node: node)
    }

    @Test func warmsClustersThenListenersAndAppliesWhenComplete() {
        var session = session()
        let first = session.start()
        #expect(first.map(\.typeURL) == [ProxyCore.XDSTypeURL.cluster])
        #expect(first[0].node.id.hasPrefix("sidecar~"))
        let eds = "outbound|9080||reviews.default.svc.cluster.local"
        var log: [String] = []
        // CDS: an EDS cluster -> ACK, then EDS for it (listeners wait for endpoints).
        var (out, config) = session.handle(response(ProxyCore.XDSTypeURL.cluster, version: "1", nonce: "a", [F.edsCluster(eds)]), log: { log.append($0) })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.cluster && $0.versionInfo == "1" && $0.responseNonce == "a" })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.endpoint && $0.resourceNames == [eds] })
        #expect(config == nil)
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = eds
        (out, config) = session.handle(response(ProxyCore.XDSTypeURL.endpoint, version: "1", nonce: "b", [assignment]), log: { log.append($0) })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.listener })
        #expect(config != nil)
        // LDS naming RDS "9080": held until the route arrives.
        (out, config) = session.handle(response(ProxyCore.XDSTypeURL.listener, version: "1", nonce: "c", [F.listener()]), log: { log.append($0) })
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.route && $0.resourceNames == ["9080"] })
        #expect(config == nil)
        let routes = F.routeConfiguration([F.virtualHost("vh", ["*"], [F.route(cluster: eds)])])
        (out, config) = session.handle(response(ProxyCore.XDSTypeURL.route, version: "1", nonce: "d", [routes]), log: { log.append($0) })
        #expect(config?.listeners.count == 1)
        #expect(config?.routeTables["9080"] != nil)
        #expect(out.allSatisfy { !$0.hasErrorDetail })
    }

    @Test func nacksWithTheConverterErrorAndKeepsTheLastGoodSet() {
        var session = session()
        _ = session.start()
        var ignored: [String] = []
        _ = session.handle(response(ProxyCore.XDSTypeURL.cluster, version: "1", nonce: "a", [F.staticCluster("good", port: 1)]), log: { ignored.append($0) })
        var bad = F.staticCluster("tls", port: 2)
        bad.transportSocket.name = "envoy.transport_sockets.alts"
        var log: [String] = []
        let (out, config) = session.handle(response(ProxyCore.XDSTypeURL.cluster, version: "2", nonce: "b", [F.staticCluster("good", port: 1), bad]),
                                           log: { log.append($0) })
        #expect(config == nil)
        let nack = out.first { $0.typeURL == ProxyCore.XDSTypeURL.cluster }
        #expect(nack?.versionInfo == "1")
        #expect(nack?.responseNonce == "b")
        #expect(nack?.errorDetail.message == "Cluster tls: transport_socket.name: transport socket \"envoy.transport_sockets.alts\" is not supported by this proxy")
        #expect(log.contains { $0.hasPrefix("xds: NACK") })
        #expect(session.store.endpointNames.isEmpty)
    }
}
