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

/// A bootstrap the proxy cannot start from, naming the field.
public struct BootstrapError: Error, CustomStringConvertible, Sendable {
    public let field: String
    public let reason: String

    public var description: String { "bootstrap: \(field): \(reason)" }
}
