/// Istio's MeshConfig (the `mesh` key of ConfigMap `istio` in the root namespace):
/// the mesh-wide settings SwiftMesh honours. Fields not modelled here are ignored,
/// as istiod ignores what it does not know when it reads the ConfigMap leniently.
public struct IstioMeshConfig: Codable, Sendable, Equatable {
    public var trustDomain: String?
    public var trustDomainAliases: [String]?
    public var rootNamespace: String?
    /// Istio's mesh-wide access log (empty: off); `/dev/stdout` is common.
    public var accessLogFile: String?
    public var accessLogEncoding: AccessLogEncoding?
    public var accessLogFormat: String?
    /// Istio: no listener-level access log (the one for connections no filter chain takes).
    public var disableEnvoyListenerLog: Bool?
    public var enableTracing: Bool?
    /// Default true: use mTLS to destinations with a sidecar unless a DestinationRule says otherwise.
    public var enableAutoMtls: Bool?
    public var outboundTrafficPolicy: OutboundTrafficPolicy?
    public var pathNormalization: PathNormalization?
    public var defaultProviders: DefaultProviders?
    public var extensionProviders: [ExtensionProvider]?

    public enum AccessLogEncoding: String, Codable, Sendable, Equatable {
        case text = "TEXT"
        case json = "JSON"
    }

    public struct OutboundTrafficPolicy: Codable, Sendable, Equatable {
        public enum Mode: String, Codable, Sendable, Equatable {
            case registryOnly = "REGISTRY_ONLY"
            case allowAny = "ALLOW_ANY"
        }
        public var mode: Mode?
    }

    public struct PathNormalization: Codable, Sendable, Equatable {
        public enum Normalization: String, Codable, Sendable, Equatable {
            case `default` = "DEFAULT"
            case none = "NONE"
            case base = "BASE"
            case mergeSlashes = "MERGE_SLASHES"
            case decodeAndMergeSlashes = "DECODE_AND_MERGE_SLASHES"
        }
        public var normalization: Normalization?
    }

    public struct DefaultProviders: Codable, Sendable, Equatable {
        public var tracing: [String]?
        public var metrics: [String]?
        public var accessLogging: [String]?
    }

    public init() {}

    public static let defaultTrustDomain = "cluster.local"

    /// The trust domain in force (Istio's default `cluster.local`).
    public var effectiveTrustDomain: String {
        guard let value = trustDomain, !value.isEmpty else { return Self.defaultTrustDomain }
        return value
    }

    /// The named extension provider, if declared.
    public func provider(named name: String) -> ExtensionProvider? {
        extensionProviders?.first { $0.name == name }
    }
}
