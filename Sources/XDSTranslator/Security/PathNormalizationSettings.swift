import XDSAPI

/// MeshConfig `pathNormalization` on a connection manager, as Istio sets it where
/// authorization applies (sidecar inbound, gateways), so the path RBAC sees is the
/// path the application gets.
enum PathNormalizationSettings {
    typealias Manager = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager

    static func apply(_ normalization: MeshSecurityOptions.PathNormalization, to manager: inout Manager) {
        switch normalization {
        case .none:
            manager.normalizePath = Proto.bool(false)
            manager.mergeSlashes = false
            manager.pathWithEscapedSlashesAction = .keepUnchanged
        case .base:
            manager.normalizePath = Proto.bool(true)
            manager.mergeSlashes = false
            manager.pathWithEscapedSlashesAction = .keepUnchanged
        case .mergeSlashes:
            manager.normalizePath = Proto.bool(true)
            manager.mergeSlashes = true
            manager.pathWithEscapedSlashesAction = .keepUnchanged
        case .decodeAndMergeSlashes:
            manager.normalizePath = Proto.bool(true)
            manager.mergeSlashes = true
            manager.pathWithEscapedSlashesAction = .unescapeAndForward
        }
    }
}
