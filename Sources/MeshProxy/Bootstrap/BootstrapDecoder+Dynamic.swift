import MeshCore
import SwiftProtobuf
import XDSAPI

/// `node` and `dynamic_resources` of an Envoy bootstrap: the subset a mesh proxy
/// uses (ADS over gRPC to a static cluster, LDS and CDS from ADS). Anything else is
/// refused with the field named, so a bootstrap never half-works.
extension BootstrapDecoder {
    static func decodeNode(_ value: Google_Protobuf_Value) throws(BootstrapError) -> Envoy_Config_Core_V3_Node {
        guard case .structValue? = value.kind else { throw BootstrapError(field: "node", reason: "expected an object") }
        return try typed(Envoy_Config_Core_V3_Node.self, value, at: FieldPath(parsing: "node"))
    }

    static func decodeDynamicResources(_ value: Google_Protobuf_Value, clusters: [Envoy_Config_Cluster_V3_Cluster]) throws(BootstrapError) -> ADSServerAddress? {
        guard case .structValue(let dynamic)? = value.kind else {
            throw BootstrapError(field: "dynamic_resources", reason: "expected an object")
        }
        for key in dynamic.fields.keys.sorted() where !["ads_config", "lds_config", "cds_config"].contains(key) {
            throw BootstrapError(field: "dynamic_resources.\(key)", reason: "not supported by this proxy (supported: ads_config, lds_config, cds_config)")
        }
        for key in ["lds_config", "cds_config"] {
            guard let source = dynamic.fields[key]?.structValue else { continue }
            guard source.fields["ads"] != nil else {
                throw BootstrapError(field: "dynamic_resources.\(key)", reason: "only {ads: {}} is supported")
            }
            if let version = source.fields["resource_api_version"]?.stringValue, version != "V3" {
                throw BootstrapError(field: "dynamic_resources.\(key).resource_api_version", reason: "only V3 is supported, got \(version)")
            }
        }
        guard let ads = dynamic.fields["ads_config"]?.structValue else { return nil }
        return try adsServer(ads, clusters: clusters)
    }

    private static func adsServer(_ ads: Google_Protobuf_Struct, clusters: [Envoy_Config_Cluster_V3_Cluster]) throws(BootstrapError) -> ADSServerAddress {
        let field = "dynamic_resources.ads_config"
        let known: Set<String> = ["api_type", "transport_api_version", "grpc_services", "set_node_on_first_message_only"]
        for key in ads.fields.keys.sorted() where !known.contains(key) {
            throw BootstrapError(field: "\(field).\(key)", reason: "not supported by this proxy")
        }
        let apiType = ads.fields["api_type"]?.stringValue ?? "GRPC"
        guard apiType == "GRPC" || apiType == "DELTA_GRPC" else {
            throw BootstrapError(field: "\(field).api_type", reason: "\(apiType) is not supported (this proxy speaks GRPC and DELTA_GRPC)")
        }
        if let version = ads.fields["transport_api_version"]?.stringValue, version != "V3" {
            throw BootstrapError(field: "\(field).transport_api_version", reason: "only V3 is supported, got \(version)")
        }
        guard case .listValue(let services)? = ads.fields["grpc_services"]?.kind, services.values.count == 1,
              let name = services.values[0].structValue.fields["envoy_grpc"]?.structValue.fields["cluster_name"]?.stringValue
        else {
            throw BootstrapError(field: "\(field).grpc_services", reason: "expected exactly one {envoy_grpc: {cluster_name}}")
        }
        guard let index = clusters.firstIndex(where: { $0.name == name }) else {
            throw BootstrapError(field: "\(field).grpc_services[0].envoy_grpc.cluster_name", reason: "no static cluster named \(name)")
        }
        guard let socket = clusters[index].loadAssignment.endpoints.first?.lbEndpoints.first?.endpoint.address.socketAddress,
              !socket.address.isEmpty, socket.portValue > 0
        else {
            throw BootstrapError(field: "static_resources.clusters[\(index)].load_assignment", reason: "the ADS cluster \(name) needs one socket address endpoint")
        }
        return ADSServerAddress(cluster: name, host: socket.address, port: Int(socket.portValue), delta: apiType == "DELTA_GRPC")
    }
}
