import Foundation

/// Envoy's bootstrap for a mesh proxy: node, admin, ADS over gRPC to the control plane.
public enum EnvoyBootstrap {
    public static func make(nodeID: String, cluster: String, metadata: [String: Any], controlPlaneHost: String,
                            controlPlanePort: Int, adminAddress: String, adminPort: Int, delta: Bool = false) -> [String: Any] {
        let ads: [String: Any] = ["ads": [String: Any](), "resource_api_version": "V3"]
        return [
            "node": ["id": nodeID, "cluster": cluster, "metadata": metadata],
            "admin": ["address": ["socket_address": ["address": adminAddress, "port_value": adminPort]]],
            "dynamic_resources": [
                "ads_config": [
                    "api_type": delta ? "DELTA_GRPC" : "GRPC",
                    "transport_api_version": "V3",
                    "set_node_on_first_message_only": true,
                    "grpc_services": [["envoy_grpc": ["cluster_name": "xds-grpc"]]],
                ],
                "cds_config": ads,
                "lds_config": ads,
            ],
            "static_resources": [
                "clusters": [[
                    "name": "xds-grpc",
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "typed_extension_protocol_options": [
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                            "explicit_http_config": ["http2_protocol_options": [String: Any]()],
                        ],
                    ],
                    "load_assignment": [
                        "cluster_name": "xds-grpc",
                        "endpoints": [["lb_endpoints": [["endpoint": ["address": ["socket_address": ["address": controlPlaneHost, "port_value": controlPlanePort]]]]]]],
                    ],
                ]],
            ],
        ]
    }
}
