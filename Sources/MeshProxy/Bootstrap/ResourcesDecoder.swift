import SwiftProtobuf
import XDSAPI

/// Reads the control plane's resource dump (`swiftmesh generate --type all -o
/// json`: listeners, routes, clusters, endpoints) so the proxy can run what one
/// node would be sent, without an xDS stream. YAML is read too, by the bootstrap's
/// rule (the file name decides).
public enum ResourcesDecoder {
    public struct Resources: Sendable {
        public var listeners: [Envoy_Config_Listener_V3_Listener] = []
        public var routes: [Envoy_Config_Route_V3_RouteConfiguration] = []
        public var clusters: [Envoy_Config_Cluster_V3_Cluster] = []
        public var endpoints: [Envoy_Config_Endpoint_V3_ClusterLoadAssignment] = []
    }

    static let keys: Set<String> = ["listeners", "routes", "clusters", "endpoints", "secrets"]

    public static func decode(file path: String) throws -> Resources {
        try decode(BootstrapDocument.read(path))
    }

    public static func decode(json: String) throws -> Resources {
        try decode(BootstrapDocument.parse(json, format: .json, source: nil))
    }

    static func decode(_ document: BootstrapDocument) throws(BootstrapError) -> Resources {
        XDSAnyTypes.registerAll()
        do {
            return try decode(document.root)
        } catch {
            throw document.locating(error)
        }
    }

    private static func decode(_ document: Google_Protobuf_Struct) throws(BootstrapError) -> Resources {
        for key in document.fields.keys.sorted() where !keys.contains(key) {
            throw BootstrapError(field: key, reason: "not a resource list (expected listeners, routes, clusters, endpoints, secrets)")
        }
        if let secrets = document.fields["secrets"]?.listValue.values, !secrets.isEmpty {
            throw BootstrapError(field: "secrets", reason: "TLS secrets are not supported by this proxy")
        }
        var resources = Resources()
        resources.listeners = try BootstrapDecoder.list(document.fields["listeners"], field: "listeners")
        resources.routes = try BootstrapDecoder.list(document.fields["routes"], field: "routes")
        resources.clusters = try BootstrapDecoder.list(document.fields["clusters"], field: "clusters")
        resources.endpoints = try BootstrapDecoder.list(document.fields["endpoints"], field: "endpoints")
        return resources
    }
}
