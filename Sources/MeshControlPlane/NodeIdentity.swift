import MeshSnapshot
import SwiftProtobuf
import XDSAPI

/// Reads a proxy's identity from its xDS node: Istio's node id plus the metadata
/// keys Istio's bootstrap sets (NAMESPACE, LABELS, WORKLOAD_NAME, SERVICE_ACCOUNT...).
enum NodeIdentity {
    static func proxy(from node: Envoy_Config_Core_V3_Node) throws -> ProxyNode {
        var metadata: [String: String] = [:]
        var labels: [String: String] = [:]
        for (key, value) in node.metadata.fields {
            switch value.kind {
            case .stringValue(let text)?: metadata[key] = text
            case .structValue(let nested)? where key == "LABELS":
                for (label, labelValue) in nested.fields {
                    if case .stringValue(let text)? = labelValue.kind { labels[label] = text }
                }
            default: continue
            }
        }
        var locality: String?
        if node.hasLocality, !node.locality.region.isEmpty {
            let parts = [node.locality.region, node.locality.zone, node.locality.subZone]
            locality = parts.reversed().drop { $0.isEmpty }.reversed().joined(separator: "/")
        }
        return try ProxyNode(nodeID: node.id, metadata: metadata, labels: labels, locality: locality)
    }

    /// The metadata struct a bootstrap or test client sends for these values.
    static func metadata(namespace: String?, labels: [String: String], extra: [String: String]) -> Google_Protobuf_Struct {
        var fields: [String: Google_Protobuf_Value] = [:]
        for (key, value) in extra { fields[key] = Google_Protobuf_Value(stringValue: value) }
        if let namespace { fields["NAMESPACE"] = Google_Protobuf_Value(stringValue: namespace) }
        if !labels.isEmpty {
            var nested = Google_Protobuf_Struct()
            for (key, value) in labels { nested.fields[key] = Google_Protobuf_Value(stringValue: value) }
            fields["LABELS"] = Google_Protobuf_Value(structValue: nested)
        }
        var result = Google_Protobuf_Struct()
        result.fields = fields
        return result
    }
}
