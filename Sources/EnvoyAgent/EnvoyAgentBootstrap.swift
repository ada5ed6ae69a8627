import Foundation
import ProxyAgent

/// pilot-agent's edits to stock Envoy's bootstrap: the static `sds-grpc` cluster
/// (HTTP/2 over the agent's Unix socket) through which Envoy fetches `default` and
/// `ROOTCA`, and, given the mesh roots, TLS on the ADS cluster verifying istiod's
/// certificate (15012).
public enum EnvoyAgentBootstrap {
    public static let sdsCluster = "sds-grpc"
    public static let controlPlaneName = "istiod.istio-system.svc"

    public static func rewrite(_ bootstrap: Data, sdsSocket: String, controlPlaneRootsPath: String?) throws -> Data {
        guard var root = try JSONSerialization.jsonObject(with: bootstrap) as? [String: Any] else {
            throw AgentError("the Envoy bootstrap is not a JSON object")
        }
        var statics = root["static_resources"] as? [String: Any] ?? [:]
        var clusters = statics["clusters"] as? [[String: Any]] ?? []
        guard !clusters.contains(where: { $0["name"] as? String == sdsCluster }) else {
            throw AgentError("the Envoy bootstrap already has a cluster named \(sdsCluster); the agent adds it")
        }
        clusters.append(sdsClusterJSON(socket: sdsSocket))
        // A bootstrap without ADS (static config) has no control-plane connection to secure.
        if let rootsPath = controlPlaneRootsPath, let adsCluster = adsClusterName(root) {
            guard let index = clusters.firstIndex(where: { $0["name"] as? String == adsCluster }) else {
                throw AgentError("ads_config names cluster \(adsCluster), which is not a static cluster of the bootstrap")
            }
            clusters[index]["transport_socket"] = controlPlaneTLS(rootsPath: rootsPath)
        }
        statics["clusters"] = clusters
        root["static_resources"] = statics
        return try JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys])
    }

    static func adsClusterName(_ root: [String: Any]) -> String? {
        ((((root["dynamic_resources"] as? [String: Any])?["ads_config"] as? [String: Any])?["grpc_services"] as? [[String: Any]])?
            .first?["envoy_grpc"] as? [String: Any])?["cluster_name"] as? String
    }

    /// What the agent needs from a bootstrap Envoy will run (which may hold
    /// anything Envoy accepts): the node, as JSON, and the ADS server's address.
    public static func inspect(_ bootstrap: Data) throws -> (nodeJSON: Data?, ads: (host: String, port: Int)?) {
        guard let root = try JSONSerialization.jsonObject(with: bootstrap) as? [String: Any] else {
            throw AgentError("the Envoy bootstrap is not a JSON object")
        }
        let node = try (root["node"] as? [String: Any]).map { try JSONSerialization.data(withJSONObject: $0) }
        guard let name = adsClusterName(root),
              let cluster = ((root["static_resources"] as? [String: Any])?["clusters"] as? [[String: Any]])?.first(where: { $0["name"] as? String == name }),
              let endpoints = (cluster["load_assignment"] as? [String: Any])?["endpoints"] as? [[String: Any]],
              let socket = ((((endpoints.first?["lb_endpoints"] as? [[String: Any]])?.first?["endpoint"] as? [String: Any])?["address"] as? [String: Any])?["socket_address"] as? [String: Any]),
              let host = socket["address"] as? String, let port = (socket["port_value"] as? NSNumber)?.intValue else {
            return (node, nil)
        }
        return (node, (host, port))
    }

    static func sdsClusterJSON(socket: String) -> [String: Any] {
        [
            "name": sdsCluster,
            "type": "STATIC",
            "connect_timeout": "1s",
            "typed_extension_protocol_options": [
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                    "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    "explicit_http_config": ["http2_protocol_options": [String: Any]()],
                ],
            ],
            "load_assignment": [
                "cluster_name": sdsCluster,
                "endpoints": [["lb_endpoints": [["endpoint": ["address": ["pipe": ["path": socket]]]]]]],
            ],
        ]
    }

    /// Verify the control plane like Istio's bootstrap does: the mesh roots from a
    /// file, istiod's DNS name as SNI and as the required SAN.
    static func controlPlaneTLS(rootsPath: String) -> [String: Any] {
        [
            "name": "envoy.transport_sockets.tls",
            "typed_config": [
                "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
                "sni": controlPlaneName,
                "common_tls_context": [
                    "alpn_protocols": ["h2"],
                    "validation_context": [
                        "trusted_ca": ["filename": rootsPath],
                        "match_typed_subject_alt_names": [["san_type": "DNS", "matcher": ["exact": controlPlaneName]]],
                    ],
                ],
            ],
        ]
    }
}
