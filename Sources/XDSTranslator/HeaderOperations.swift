import MeshConfig
import XDSAPI

/// VirtualService `headers` (set / add / remove, request and response) on routes and
/// weighted-cluster entries.
enum HeaderOperations {
    static func apply(_ headers: Headers?, to route: inout Envoy_Config_Route_V3_Route) {
        guard let headers else { return }
        route.requestHeadersToAdd += options(headers.request)
        route.requestHeadersToRemove += headers.request?.remove ?? []
        route.responseHeadersToAdd += options(headers.response)
        route.responseHeadersToRemove += headers.response?.remove ?? []
    }

    static func apply(_ headers: Headers?, to cluster: inout Envoy_Config_Route_V3_WeightedCluster.ClusterWeight) {
        guard let headers else { return }
        cluster.requestHeadersToAdd += options(headers.request)
        cluster.requestHeadersToRemove += headers.request?.remove ?? []
        cluster.responseHeadersToAdd += options(headers.response)
        cluster.responseHeadersToRemove += headers.response?.remove ?? []
    }

    static func options(_ operations: MeshConfig.HeaderOperations?) -> [Envoy_Config_Core_V3_HeaderValueOption] {
        guard let operations else { return [] }
        let set = (operations.set ?? [:]).sorted { $0.key < $1.key }.map { Proto.header($0.key, $0.value, append: false) }
        let add = (operations.add ?? [:]).sorted { $0.key < $1.key }.map { Proto.header($0.key, $0.value, append: true) }
        return set + add
    }
}
