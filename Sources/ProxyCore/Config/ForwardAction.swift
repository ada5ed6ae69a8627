import MeshCore

/// Envoy's RouteAction: forward upstream, with rewrites, timeout, retries, hashing
/// and mirrors.
public struct ForwardAction: Sendable {
    public struct RegexRewrite: Sendable {
        public let pattern: RegexPattern
        public let substitution: String

        public init(pattern: RegexPattern, substitution: String) {
            self.pattern = pattern
            self.substitution = substitution
        }
    }

    public enum HashPolicy: Sendable, Equatable {
        case header(name: String)
        case cookie(name: String, path: String, ttlNanos: Int64?)
        case sourceIP
        case queryParameter(name: String)
    }

    public struct Mirror: Sendable {
        public let cluster: String
        public let fraction: FractionalPercent?

        public init(cluster: String, fraction: FractionalPercent?) {
            self.cluster = cluster
            self.fraction = fraction
        }
    }

    public var target: ClusterTarget
    public var prefixRewrite: [UInt8]?
    public var regexRewrite: RegexRewrite?
    public var hostRewrite: [UInt8]?
    /// 0: no timeout (Istio turns Envoy's 15 s default off).
    public var timeoutNanos: Int64
    public var retryPolicy: RetryPolicyConfig?
    public var hashPolicies: [HashPolicy]
    public var mirrors: [Mirror]

    /// Envoy's default route timeout when the field is unset.
    public static let defaultTimeoutNanos: Int64 = 15_000_000_000

    public init(target: ClusterTarget, prefixRewrite: [UInt8]? = nil, regexRewrite: RegexRewrite? = nil, hostRewrite: [UInt8]? = nil,
                timeoutNanos: Int64 = ForwardAction.defaultTimeoutNanos, retryPolicy: RetryPolicyConfig? = nil,
                hashPolicies: [HashPolicy] = [], mirrors: [Mirror] = []) {
        self.target = target
        self.prefixRewrite = prefixRewrite
        self.regexRewrite = regexRewrite
        self.hostRewrite = hostRewrite
        self.timeoutNanos = timeoutNanos
        self.retryPolicy = retryPolicy
        self.hashPolicies = hashPolicies
        self.mirrors = mirrors
    }
}
