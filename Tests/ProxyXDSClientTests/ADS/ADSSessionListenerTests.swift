import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// Envoy's LDS with a partly invalid update (lds_api.cc): the valid listeners are
/// applied, a rejected one keeps its previous version (or stays absent), and the
/// update is NACKed with "Error adding/updating listener(s) NAME: reason".
@Suite struct ADSSessionListenerTests {
    typealias F = XDSFixtures

    func response(version: String, nonce: String, _ listeners: [Envoy_Config_Listener_V3_Listener]) -> Envoy_Service_Discovery_V3_DiscoveryResponse {
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.typeURL = ProxyCore.XDSTypeURL.listener
        response.versionInfo = version
        response.nonce = nonce
        response.resources = listeners.map { try! Google_Protobuf_Any(message: $0) }
        return response
    }

    func tcpListener(_ name: String, port: UInt32, cluster: String) -> Envoy_Config_Listener_V3_Listener {
        var listener = F.listener(name: name)
        listener.address = F.address("127.0.0.1", port)
        listener.filterChains = [FilterChainConversionTests.tcpChain(cluster)]
        return listener
    }

    func readySession() -> ADSSession {
        var node = Envoy_Config_Core_V3_Node()
        node.id = "router~127.0.0.1~gw.default~default.svc.cluster.local"
        var session = ADSSession(machine: XDSClientStateMachine(mode: .stateOfTheWorld), store: ADSResourceStore(), node: node)
        _ = session.start()
        _ = session.handle({
            var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
            response.typeURL = ProxyCore.XDSTypeURL.cluster
            response.versionInfo = "1"
            response.nonce = "c"
            response.resources = [try! Google_Protobuf_Any(message: F.staticCluster("one", port: 1))]
            return response
        }(), log: { _ in })
        return session
    }

    @Test func oneBadListenerDoesNotBlockTheOthers() throws {
        var session = readySession()
        var log: [String] = []
        let a = tcpListener("a", port: 1001, cluster: "one")
        var (out, config) = session.handle(response(version: "1", nonce: "l1", [a]), log: { log.append($0) })
        #expect(config?.listeners.map(\.name) == ["a"])
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.listener && !$0.hasErrorDetail && $0.versionInfo == "1" })

        // Version 2 changes a (into something refused), adds b (fine) and c (refused).
        var badA = tcpListener("a", port: 1001, cluster: "two")
        badA.filterChains[0].transportSocket.name = "envoy.transport_sockets.alts"
        var badC = tcpListener("c", port: 1003, cluster: "one")
        badC.listenerFilters = [FilterChainConversionTests.inspector("envoy.filters.listener.proxy_protocol")]
        (out, config) = session.handle(response(version: "2", nonce: "l2", [badA, tcpListener("b", port: 1002, cluster: "one"), badC]),
                                       log: { log.append($0) })
        // b is applied, a keeps version 1, c stays absent.
        #expect(config?.listeners.map(\.name).sorted() == ["a", "b"])
        let kept = try #require(config?.listeners.first { $0.name == "a" })
        guard case .tcp(let tcp) = kept.chain, case .cluster(let cluster) = tcp.target else {
            Issue.record("expected a's TCP chain")
            return
        }
        #expect(cluster == "one")
        let nack = try #require(out.first { $0.typeURL == ProxyCore.XDSTypeURL.listener })
        #expect(nack.versionInfo == "1")
        #expect(nack.responseNonce == "l2")
        #expect(nack.errorDetail.message == """
            Error adding/updating listener(s) a: filter_chains[0].transport_socket.name: transport socket "envoy.transport_sockets.alts" is not supported by this proxy
            c: listener_filters[0].name: listener filter "envoy.filters.listener.proxy_protocol" is not supported by this proxy

            """)
        #expect(log.contains { $0.hasPrefix("xds: NACK") })

        // Version 3 drops a and b and fixes c: everything applies, ACK.
        (out, config) = session.handle(response(version: "3", nonce: "l3", [tcpListener("c", port: 1003, cluster: "one")]), log: { log.append($0) })
        #expect(config?.listeners.map(\.name) == ["c"])
        #expect(out.contains { $0.typeURL == ProxyCore.XDSTypeURL.listener && !$0.hasErrorDetail && $0.versionInfo == "3" })
    }
}
