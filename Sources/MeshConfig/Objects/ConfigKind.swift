/// Every kind SwiftMesh reads, with the API groups and versions it is served under.
public enum ConfigKind: String, CaseIterable, Sendable, Hashable, Codable {
    // networking.istio.io
    case virtualService = "VirtualService"
    case destinationRule = "DestinationRule"
    case gateway = "Gateway"
    case serviceEntry = "ServiceEntry"
    case workloadEntry = "WorkloadEntry"
    case workloadGroup = "WorkloadGroup"
    case sidecar = "Sidecar"
    case envoyFilter = "EnvoyFilter"
    case proxyConfig = "ProxyConfig"
    // security.istio.io
    case peerAuthentication = "PeerAuthentication"
    case authorizationPolicy = "AuthorizationPolicy"
    case requestAuthentication = "RequestAuthentication"
    // telemetry.istio.io
    case telemetry = "Telemetry"
    // extensions.istio.io
    case wasmPlugin = "WasmPlugin"
    // Kubernetes
    case namespace = "Namespace"
    case service = "Service"
    case endpoints = "Endpoints"
    case endpointSlice = "EndpointSlice"
    case pod = "Pod"
    case serviceAccount = "ServiceAccount"
    case secret = "Secret"
    case configMap = "ConfigMap"
    case deployment = "Deployment"

    public var group: String {
        switch self {
        case .virtualService, .destinationRule, .gateway, .serviceEntry, .workloadEntry, .workloadGroup,
             .sidecar, .envoyFilter, .proxyConfig:
            "networking.istio.io"
        case .peerAuthentication, .authorizationPolicy, .requestAuthentication:
            "security.istio.io"
        case .telemetry:
            "telemetry.istio.io"
        case .wasmPlugin:
            "extensions.istio.io"
        case .namespace, .service, .endpoints, .pod, .serviceAccount, .secret, .configMap:
            ""
        case .endpointSlice:
            "discovery.k8s.io"
        case .deployment:
            "apps"
        }
    }

    /// Versions served for this kind, newest first.
    public var versions: [String] {
        switch self {
        case .virtualService, .destinationRule, .gateway, .serviceEntry, .workloadEntry, .workloadGroup, .sidecar:
            ["v1", "v1beta1", "v1alpha3"]
        case .envoyFilter: ["v1alpha3"]
        case .proxyConfig: ["v1beta1"]
        case .peerAuthentication, .authorizationPolicy, .requestAuthentication: ["v1", "v1beta1"]
        case .telemetry: ["v1", "v1alpha1"]
        case .wasmPlugin: ["v1alpha1"]
        case .namespace, .service, .endpoints, .pod, .serviceAccount, .secret, .configMap, .deployment: ["v1"]
        case .endpointSlice: ["v1", "v1beta1"]
        }
    }

    public var isIstio: Bool { group.hasSuffix("istio.io") }

    /// Kinds that are namespaced (all but Namespace).
    public var isNamespaced: Bool { self != .namespace }

    /// Kinds kept as documents but not applied to proxies.
    public var isOpaque: Bool { self == .envoyFilter || self == .proxyConfig || self == .wasmPlugin }

    /// The kind for an `apiVersion` + `kind` pair, or why it is not accepted.
    public static func resolve(apiVersion: String, kind: String) -> Resolution {
        let group: String
        let version: String
        if let slash = apiVersion.lastIndex(of: "/") {
            group = String(apiVersion[..<slash])
            version = String(apiVersion[apiVersion.index(after: slash)...])
        } else {
            group = ""
            version = apiVersion
        }
        guard let known = ConfigKind(rawValue: kind), known.group == group else {
            return .unknown
        }
        guard known.versions.contains(version) else {
            return .unservedVersion(known)
        }
        return .kind(known)
    }

    public enum Resolution: Equatable, Sendable {
        case kind(ConfigKind)
        case unservedVersion(ConfigKind)
        case unknown
    }
}
