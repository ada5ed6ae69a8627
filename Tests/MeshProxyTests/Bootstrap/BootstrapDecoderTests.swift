import Testing
@testable import MeshProxy

@Suite struct BootstrapDecoderTests {
    /// The shape `proxy-bench.sh` gives Envoy, in JSON.
    static let benchBootstrap = """
    {
      "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 15000}}},
      "static_resources": {
        "listeners": [{
          "name": "ingress",
          "address": {"socket_address": {"address": "127.0.0.1", "port_value": 18084}},
          "filter_chains": [{"filters": [{
            "name": "envoy.filters.network.http_connection_manager",
            "typed_config": {
              "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
              "stat_prefix": "ingress", "codec_type": "AUTO", "generate_request_id": false,
              "route_config": {"name": "local", "virtual_hosts": [{"name": "all", "domains": ["*"],
                "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "upstream"}}]}]},
              "http_filters": [{"name": "envoy.filters.http.router",
                "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]
            }
          }]}]
        }],
        "clusters": [{
          "name": "upstream", "type": "STATIC", "connect_timeout": "1s",
          "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
            {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 18080}}}}]}]}
        }]
      }
    }
    """

    @Test func decodesStaticResourcesAndAdmin() throws {
        let bootstrap = try BootstrapDecoder.decode(json: Self.benchBootstrap)
        #expect(bootstrap.listeners.map(\.name) == ["ingress"])
        #expect(bootstrap.listeners[0].address.socketAddress.portValue == 18084)
        #expect(bootstrap.clusters.map(\.name) == ["upstream"])
        #expect(bootstrap.clusters[0].connectTimeout.seconds == 1)
        #expect(bootstrap.adminHost == "127.0.0.1")
        #expect(bootstrap.adminPort == 15000)
    }

    @Test func unsupportedPartsNameTheField() {
        #expect(throws: BootstrapError.self) { try BootstrapDecoder.decode(json: #"{"stats_config": {}}"#) }
        do {
            _ = try BootstrapDecoder.decode(json: #"{"static_resources": {"clusters": [{"name": "c", "no_such_field": 1}]}}"#)
            Issue.record("expected an error")
        } catch let error as BootstrapError {
            #expect(error.field == "static_resources.clusters[0].no_such_field")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: BootstrapError.self) { try BootstrapDecoder.decode(json: "[1, 2]") }
    }
}
