import Foundation
import Testing
@testable import EnvoyAgent
import ProxyAgent

@Suite struct EnvoyAgentBootstrapTests {
    static let bootstrap = """
    {"node": {"id": "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local"},
     "dynamic_resources": {"ads_config": {"api_type": "GRPC", "grpc_services": [{"envoy_grpc": {"cluster_name": "xds-grpc"}}]}},
     "static_resources": {"clusters": [{"name": "xds-grpc", "type": "STATIC"}]}}
    """

    @Test func addsTheSDSClusterAndSecuresTheADSCluster() throws {
        let data = try EnvoyAgentBootstrap.rewrite(Data(Self.bootstrap.utf8), sdsSocket: "/run/p/workload-spiffe-uds/socket",
                                                   controlPlaneRootsPath: "/run/ca/root-cert.pem")
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let clusters = try #require((root["static_resources"] as? [String: Any])?["clusters"] as? [[String: Any]])
        let sds = try #require(clusters.first { $0["name"] as? String == "sds-grpc" })
        let endpoints = (sds["load_assignment"] as? [String: Any])?["endpoints"] as? [[String: Any]]
        let pipe = ((((endpoints?.first?["lb_endpoints"] as? [[String: Any]])?.first?["endpoint"] as? [String: Any])?["address"] as? [String: Any])?["pipe"] as? [String: Any])?["path"] as? String
        #expect(pipe == "/run/p/workload-spiffe-uds/socket")
        let xds = try #require(clusters.first { $0["name"] as? String == "xds-grpc" })
        let tls = try #require((xds["transport_socket"] as? [String: Any])?["typed_config"] as? [String: Any])
        #expect(tls["sni"] as? String == "istiod.istio-system.svc")
        let validation = ((tls["common_tls_context"] as? [String: Any])?["validation_context"] as? [String: Any])
        #expect((validation?["trusted_ca"] as? [String: Any])?["filename"] as? String == "/run/ca/root-cert.pem")
    }

    @Test func refusesABootstrapThatAlreadyHasTheSDSCluster() throws {
        let twice = try EnvoyAgentBootstrap.rewrite(Data(Self.bootstrap.utf8), sdsSocket: "/s", controlPlaneRootsPath: nil)
        #expect(throws: AgentError.self) { try EnvoyAgentBootstrap.rewrite(twice, sdsSocket: "/s", controlPlaneRootsPath: nil) }
    }
}
