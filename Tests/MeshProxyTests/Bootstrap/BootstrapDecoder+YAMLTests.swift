import SwiftProtobuf
import Testing
import XDSAPI
@testable import MeshProxy

/// YAML bootstraps decode to the same protos as JSON, with YAML as Envoy users
/// write it: anchors and aliases, `!ignore` sections, block strings, durations
/// and ports unquoted, quoted `"@type"` keys.
@Suite struct BootstrapDecoderYAMLTests {
    /// `BootstrapDecoderTests.benchBootstrap`, as an Envoy user would write it in YAML.
    static let benchYAML = """
    # Comments are fine.
    !ignore shared:
      upstream: &upstream
        socket_address: {address: 127.0.0.1, port_value: 18080}
      router: &router
        name: envoy.filters.http.router
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          suppress_envoy_headers: yes
    admin:
      address:
        socket_address:
          address: 127.0.0.1
          port_value: 15000
    static_resources:
      listeners:
      - name: ingress
        address:
          socket_address: {address: 127.0.0.1, port_value: "18084"}
        filter_chains:
        - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              '@type': type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: ingress
              codec_type: AUTO
              generate_request_id: false
              route_config:
                name: local
                virtual_hosts:
                - name: all
                  domains: ["*"]
                  routes:
                  - match: {prefix: /}
                    route: {cluster: upstream}
              http_filters:
              - *router
      clusters:
      - name: upstream
        type: STATIC
        connect_timeout: 1s
        load_assignment:
          cluster_name: upstream
          endpoints:
          - lb_endpoints:
            - endpoint:
                address: *upstream
    """

    /// Messages compared through their JSON as a Struct: order-free, and `Any`
    /// contents compared as decoded fields (Any's own `==` compares encodings).
    static func canonical<M: SwiftProtobuf.Message>(_ messages: [M]) throws -> [Google_Protobuf_Struct] {
        try messages.map { try Google_Protobuf_Struct(jsonString: try $0.jsonString()) }
    }

    @Test func yamlAndJSONGiveTheSameProtos() throws {
        let fromJSON = try BootstrapDecoder.decode(json: BootstrapDecoderTests.benchBootstrap)
        let fromYAML = try BootstrapDecoder.decode(yaml: Self.benchYAML)
        #expect(try Self.canonical(fromYAML.listeners) == Self.canonical(fromJSON.listeners))
        #expect(try Self.canonical(fromYAML.clusters) == Self.canonical(fromJSON.clusters))
        #expect(fromYAML.adminHost == fromJSON.adminHost)
        #expect(fromYAML.adminPort == 15000)
        #expect(fromYAML.listeners[0].address.socketAddress.portValue == 18084, "a quoted port is read as protobuf JSON reads it")
        #expect(fromYAML.clusters[0].loadAssignment.endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.portValue == 18080)
    }

    @Test func dynamicBootstrapInYAMLMatchesJSON() throws {
        let yaml = """
        node:
          id: sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local
          cluster: shop
          metadata:
            NAMESPACE: shop
            LABELS: {app: shop}
          locality: {region: eu, zone: a}
        admin:
          address: {socket_address: {address: 127.0.10.1, port_value: 15000}}
        dynamic_resources:
          ads_config:
            api_type: GRPC
            transport_api_version: V3
            set_node_on_first_message_only: true
            grpc_services:
            - envoy_grpc: {cluster_name: xds-grpc}
          cds_config: {ads: {}, resource_api_version: V3}
          lds_config: {ads: {}, resource_api_version: V3}
        static_resources:
          clusters:
          - name: xds-grpc
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: xds-grpc
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 15010}}}}]}]
        """
        let fromYAML = try BootstrapDecoder.decode(yaml: yaml)
        let fromJSON = try BootstrapDecoder.decode(json: BootstrapDecoderDynamicTests.bootstrap())
        #expect(fromYAML.ads == fromJSON.ads)
        #expect(fromYAML.node == fromJSON.node)
        #expect(fromYAML.adminPort == fromJSON.adminPort)
        #expect(fromYAML.clusters.isEmpty)
    }

    /// Envoy's YAML-to-JSON step: int32 integers are numbers, larger integers and
    /// anything else (floats, versions) stay text; quoted values are strings. The
    /// expectations are what stock Envoy 1.40's /config_dump shows for this node.
    @Test func scalarsFollowEnvoysReading() throws {
        let yaml = """
        node:
          id: node-a
          metadata:
            SMALL: 15000
            BIG: 5000000000
            VERSION: 1.20
            QUOTED: "80"
            FLAG: on
            HEX: 0x1F
            UNDERSCORE: 1_000
            NOTE: >
              folded
              text
            NOTHING: ~
        """
        let fields = try #require(try BootstrapDecoder.decode(yaml: yaml).node?.metadata.fields)
        #expect(fields["SMALL"]?.numberValue == 15000)
        #expect(fields["BIG"]?.stringValue == "5000000000")
        #expect(fields["VERSION"]?.stringValue == "1.20")
        #expect(fields["QUOTED"]?.stringValue == "80")
        #expect(fields["FLAG"]?.boolValue == true)
        #expect(fields["HEX"]?.numberValue == 31)
        #expect(fields["UNDERSCORE"]?.stringValue == "1_000")
        #expect(fields["NOTHING"]?.kind == .nullValue(.nullValue))
        #expect(fields["NOTE"]?.stringValue == "folded text\n")
    }

    @Test func blockStringsKeepTheirLines() throws {
        let yaml = BootstrapYAMLFixture.httpListener("direct", port: 18085, routes: """
        - match: {prefix: /}
          direct_response:
            status: 200
            body:
              inline_string: |
                line one
                line two
        """, httpFilters: """
        - name: envoy.filters.http.router
          typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
        """)
        let listener = try #require(try BootstrapDecoder.decode(yaml: yaml).listeners.first)
        let any = listener.filterChains[0].filters[0].typedConfig
        let manager = try Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager(unpackingAny: any)
        let route = manager.routeConfig.virtualHosts[0].routes[0]
        #expect(route.directResponse.body.inlineString == "line one\nline two\n")
    }
}
