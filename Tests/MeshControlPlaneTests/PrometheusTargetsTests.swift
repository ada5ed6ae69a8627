import SwiftProtobuf
import Testing
import XDSAPI
@testable import MeshControlPlane

/// HTTP service discovery for Prometheus: each connected proxy's 15090, labelled as
/// Istio's pod relabelling would, plus the control plane itself.
struct PrometheusTargetsTests {
    func node(_ id: String, _ metadata: String) throws -> Envoy_Config_Core_V3_Node {
        var node = Envoy_Config_Core_V3_Node()
        node.id = id
        node.metadata = try Google_Protobuf_Struct(jsonString: metadata)
        return node
    }

    @Test func proxiesAndTheControlPlaneAreTargets() throws {
        let shop = try node("sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local", #"{"NAMESPACE": "shop", "LABELS": {"app": "shop", "version": "v1"}}"#)
        let gateway = try node("router~127.0.0.1~ingressgateway.istio-system~istio-system.svc.cluster.local",
                               #"{"NAMESPACE": "istio-system", "LABELS": {"istio": "ingressgateway"}, "PROMETHEUS_ADDRESS": "127.0.0.1:40123"}"#)
        let groups = PrometheusTargets.groups(proxies: [shop, gateway, shop], controlPlane: "127.0.0.1:15014")
        #expect(groups.count == 3, "the control plane, then each proxy once")
        #expect(groups[0]["targets"] as? [String] == ["127.0.0.1:15014"])
        #expect(groups[1]["targets"] as? [String] == ["127.0.0.1:40123"], "metadata names the gateway's port")
        #expect((groups[1]["labels"] as? [String: String])?["proxy_type"] == "router")
        #expect(groups[2]["targets"] as? [String] == ["127.0.10.1:15090"])
        #expect(groups[2]["labels"] as? [String: String] == ["job": "envoy-stats", "proxy_type": "sidecar", "pod": "shop-v1", "namespace": "shop",
                                                              "app": "shop", "version": "v1", "__metrics_path__": "/stats/prometheus"])
    }

    @Test func malformedNodeIDsAreLeftOut() throws {
        let groups = PrometheusTargets.groups(proxies: [try node("not-an-istio-id", "{}")], controlPlane: nil)
        #expect(groups.isEmpty)
    }
}
