import MeshRegistry
import SwiftProtobuf
import XDSAPI

/// Istio tags inbound clusters with the services they serve
/// (`metadata.filter_metadata.istio.services: [{host, name, namespace}]`); its
/// telemetry reads `destination_service*` from there on the destination side,
/// where the request alone does not say which service it was sent to.
extension ClusterGenerator {
    /// Services in the proxy's namespace that select this workload and send to
    /// `port` (their target port, or their port when it has none).
    func inboundServices(port: Int) -> [MeshService] {
        snapshot.registry.services.filter { service in
            guard let selector = service.selector, !selector.isEmpty, service.namespace == scope.proxy.namespace,
                  scope.proxy.matches(selector) else { return false }
            return service.ports.contains { ($0.targetPort ?? $0.number) == port }
        }.sorted { $0.hostname < $1.hostname }
    }

    static func istioMetadata(services: [MeshService]) -> Envoy_Config_Core_V3_Metadata? {
        guard !services.isEmpty else { return nil }
        var list = Google_Protobuf_ListValue()
        list.values = services.map { service in
            let labels = service.hostname.split(separator: ".", omittingEmptySubsequences: false)
            let name = labels.count >= 3 && labels[2] == "svc" ? String(labels[0]) : service.hostname
            var entry = Google_Protobuf_Struct()
            entry.fields["host"] = Google_Protobuf_Value(stringValue: service.hostname)
            entry.fields["name"] = Google_Protobuf_Value(stringValue: service.kubernetesName ?? name)
            entry.fields["namespace"] = Google_Protobuf_Value(stringValue: service.namespace)
            return Google_Protobuf_Value(structValue: entry)
        }
        var istio = Google_Protobuf_Struct()
        istio.fields["services"] = Google_Protobuf_Value(listValue: list)
        var metadata = Envoy_Config_Core_V3_Metadata()
        metadata.filterMetadata["istio"] = istio
        return metadata
    }
}
