/// `outlier_detection` for the consecutive-failure detectors, with Envoy's defaults.
/// Durations are milliseconds.
public struct OutlierDetectionConfig: Sendable, Equatable {
    public var consecutive5xx: Int = 5
    public var consecutiveGatewayFailure: Int = 5
    public var consecutiveLocalOriginFailure: Int = 5
    public var intervalMs: Int64 = 10_000
    public var baseEjectionTimeMs: Int64 = 30_000
    /// Defaults to max(300 s, base ejection time), as Envoy.
    public var maxEjectionTimeMs: Int64?
    public var maxEjectionTimeJitterMs: Int64 = 0
    public var maxEjectionPercent: Int = 10
    /// `always_eject_one_host`: allow one ejection even when the percentage forbids it.
    public var alwaysEjectOneHost: Bool = false
    /// Percent chance each detection is enforced.
    public var enforcingConsecutive5xx: Int = 100
    public var enforcingConsecutiveGatewayFailure: Int = 0
    public var enforcingConsecutiveLocalOriginFailure: Int = 100
    /// Count connection failures / timeouts separately from upstream 5xx responses.
    public var splitExternalLocalOriginErrors: Bool = false

    public init() {}

    public var effectiveMaxEjectionTimeMs: Int64 { maxEjectionTimeMs ?? max(300_000, baseEjectionTimeMs) }
}

/// What the proxy reports about one upstream attempt.
public enum OutlierResult: Sendable, Equatable {
    /// A response arrived with this status (or a 5xx the router synthesized for a reset).
    case httpStatus(Int)
    /// Connecting failed (refused, reset, connect timeout).
    case localOriginConnectFailed
    /// The upstream did not answer in time.
    case localOriginTimeout
    /// The connection succeeded; the HTTP layer will report the status separately.
    case localOriginConnectSuccess
    /// Non-HTTP transaction finished well (TCP proxy) / failed at the server.
    case externalOriginRequestSuccess
    case externalOriginRequestFailed
}

public enum OutlierEjectionType: Sendable, Equatable {
    case consecutive5xx, consecutiveGatewayFailure, consecutiveLocalOriginFailure
}

public enum OutlierAction: Sendable, Equatable {
    /// Mark the endpoint `failedOutlierCheck` and rebuild the balancer.
    case eject(endpoint: Int, type: OutlierEjectionType)
    /// Clear `failedOutlierCheck`.
    case uneject(endpoint: Int)
}
