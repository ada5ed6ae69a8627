import MeshProxy
import Testing

/// The bootstrap `swiftmesh envoy-bootstrap` and `swiftmesh up` write for stock
/// Envoy must start our proxy too: node identity and ADS from dynamic_resources.
struct BootstrapDecoderDynamicTests {
    static func bootstrap(apiType: String = "GRPC", cluster: String = "xds-grpc", lds: String = #"{"ads": {}, "resource_api_version": "V3"}"#) -> String {
        """
        {
          "node": {"id": "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local", "cluster": "shop",
                   "metadata": {"NAMESPACE": "shop", "LABELS": {"app": "shop"}}, "locality": {"region": "eu", "zone": "a"}},
          "admin": {"address": {"socket_address": {"address": "127.0.10.1", "port_value": 15000}}},
          "dynamic_resources": {
            "ads_config": {"api_type": "\(apiType)", "transport_api_version": "V3", "set_node_on_first_message_only": true,
                           "grpc_services": [{"envoy_grpc": {"cluster_name": "\(cluster)"}}]},
            "cds_config": {"ads": {}, "resource_api_version": "V3"},
            "lds_config": \(lds)
          },
          "static_resources": {"clusters": [{
            "name": "xds-grpc", "type": "STATIC", "connect_timeout": "1s",
            "typed_extension_protocol_options": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
              "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
              "explicit_http_config": {"http2_protocol_options": {}}}},
            "load_assignment": {"cluster_name": "xds-grpc", "endpoints": [{"lb_endpoints": [{"endpoint": {"address":
              {"socket_address": {"address": "127.0.0.1", "port_value": 15010}}}}]}]}
          }]}
        }
        """
    }

    @Test func adsServerAndNodeComeFromTheBootstrap() throws {
        let decoded = try BootstrapDecoder.decode(json: Self.bootstrap())
        #expect(decoded.ads == ADSServerAddress(cluster: "xds-grpc", host: "127.0.0.1", port: 15010))
        #expect(decoded.node?.id == "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local")
        #expect(decoded.node?.cluster == "shop")
        #expect(decoded.node?.locality.zone == "a")
        #expect(decoded.node?.metadata.fields["NAMESPACE"]?.stringValue == "shop")
        #expect(decoded.clusters.isEmpty, "the ADS cluster is the ADS client's own, not a data-path cluster")
        #expect(decoded.adminPort == 15000)
    }

    @Test func deltaGRPCSelectsTheDeltaStream() throws {
        let decoded = try BootstrapDecoder.decode(json: Self.bootstrap(apiType: "DELTA_GRPC"))
        #expect(decoded.ads == ADSServerAddress(cluster: "xds-grpc", host: "127.0.0.1", port: 15010, delta: true))
    }

    @Test(arguments: [
        (bootstrap(apiType: "REST"), "dynamic_resources.ads_config.api_type"),
        (bootstrap(cluster: "missing"), "dynamic_resources.ads_config.grpc_services[0].envoy_grpc.cluster_name"),
        (bootstrap(lds: #"{"path": "/etc/lds.yaml"}"#), "dynamic_resources.lds_config"),
        (#"{"dynamic_resources": {"rtds_config": {}}}"#, "dynamic_resources.rtds_config"),
        (#"{"node": {"id": "a", "bogus": 1}}"#, "node.bogus"),
    ])
    func unsupportedDynamicPartsNameTheField(json: String, field: String) {
        do {
            _ = try BootstrapDecoder.decode(json: json)
            Issue.record("expected an error naming \(field)")
        } catch let error as BootstrapError {
            #expect(error.field == field, "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
