import MeshConfig
import XDSAPI

/// VirtualService `headers` (set / add / remove, request and response) on routes and
/// weighted-cluster entries. As Istio's `TranslateHeadersOperations`, setting the
/// request's `host` / `:authority` rewrites the authority (host_rewrite_literal):
/// Envoy refuses them as header mutations.
enum HeaderOperations {
    static func apply(_ headers: Headers?, to route: inout Envoy_Config_Route_V3_Route) {
        guard let headers else { return }
        route.requestHeadersToAdd += options(headers.request)
        route.requestHeadersToRemove += headers.request?.remove ?? []
        route.responseHeadersToAdd += options(headers.response)
        route.responseHeadersToRemove += headers.response?.remove ?? []
        if let authority = authority(headers.request), case .route? = route.action {
            route.route.hostRewriteLiteral = authority
        }
    }

    static func apply(_ headers: Headers?, to cluster: inout Envoy_Config_Route_V3_WeightedCluster.ClusterWeight) {
        guard let headers else { return }
        cluster.requestHeadersToAdd += options(headers.request)
        cluster.requestHeadersToRemove += headers.request?.remove ?? []
        cluster.responseHeadersToAdd += options(headers.response)
        cluster.responseHeadersToRemove += headers.response?.remove ?? []
        if let authority = authority(headers.request) { cluster.hostRewriteLiteral = authority }
    }

    static func isAuthority(_ name: String) -> Bool {
        name.lowercased() == "host" || name == ":authority"
    }

    /// The authority a request operation sets (`add` after `set`, as Istio reads them).
    static func authority(_ operations: MeshConfig.HeaderOperations?) -> String? {
        let added = operations?.add?.sorted { $0.key < $1.key }.last { isAuthority($0.key) }?.value
        let set = operations?.set?.sorted { $0.key < $1.key }.last { isAuthority($0.key) }?.value
        return added ?? set
    }

    static func options(_ operations: MeshConfig.HeaderOperations?) -> [Envoy_Config_Core_V3_HeaderValueOption] {
        guard let operations else { return [] }
        let set = (operations.set ?? [:]).filter { !isAuthority($0.key) }.sorted { $0.key < $1.key }.map { Proto.header($0.key, $0.value, append: false) }
        let add = (operations.add ?? [:]).filter { !isAuthority($0.key) }.sorted { $0.key < $1.key }.map { Proto.header($0.key, $0.value, append: true) }
        return set + add
    }
}
