import MeshCore
import SwiftProtobuf
import XDSAPI

/// The parts of an Envoy v3 bootstrap the proxy starts from: static listeners and
/// clusters, and the admin address. The same file starts stock Envoy.
public struct ProxyBootstrap: Sendable {
    public var listeners: [Envoy_Config_Listener_V3_Listener]
    public var clusters: [Envoy_Config_Cluster_V3_Cluster]
    public var adminHost: String?
    public var adminPort: Int?
    /// `node`: identity sent on ADS (id, cluster, metadata, locality).
    public var node: Envoy_Config_Core_V3_Node?
    /// `dynamic_resources.ads_config`: the ADS server, resolved from the static
    /// cluster it names.
    public var ads: ADSServerAddress?

    public init(listeners: [Envoy_Config_Listener_V3_Listener] = [], clusters: [Envoy_Config_Cluster_V3_Cluster] = [],
                adminHost: String? = nil, adminPort: Int? = nil) {
        self.listeners = listeners
        self.clusters = clusters
        self.adminHost = adminHost
        self.adminPort = adminPort
    }
}

/// Where `dynamic_resources.ads_config` points: the first endpoint of the named
/// static cluster.
public struct ADSServerAddress: Sendable, Equatable {
    public var cluster: String
    public var host: String
    public var port: Int
    /// `api_type: DELTA_GRPC`: incremental xDS.
    public var delta: Bool

    public init(cluster: String, host: String, port: Int, delta: Bool = false) {
        self.cluster = cluster
        self.host = host
        self.port = port
        self.delta = delta
    }
}

/// A bootstrap the proxy cannot start from, naming the field and, when the file is
/// known, where in it (line and column of the value, for YAML and JSON alike).
public struct BootstrapError: Error, CustomStringConvertible, Sendable {
    public var field: String
    public var reason: String
    /// The file read (`-c` / `--resources`), when there was one.
    public var source: String?
    public var location: SourceLocation?
    /// The field as a path, when it was built as one (keys may contain dots).
    var path: FieldPath?

    init(field: String, reason: String, source: String? = nil, location: SourceLocation? = nil) {
        self.field = field
        self.reason = reason
        self.source = source
        self.location = location
    }

    init(path: FieldPath, reason: String) {
        self.init(field: path.isEmpty ? "(document)" : path.description, reason: reason)
        self.path = path
    }

    public var description: String {
        let place = [source ?? "bootstrap", location.map { "\($0.line):\($0.column)" }].compactMap { $0 }.joined(separator: ":")
        return "\(place): \(field): \(reason)"
    }
}
