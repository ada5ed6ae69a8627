/// Why an endpoint is (un)available, as Envoy's host health flags.
///
/// An endpoint is unhealthy if any `failed*` flag is set, degraded if only `degraded*` flags
/// are set, excluded (kept out of load and panic maths) if `excluded` is set.
public struct EndpointHealth: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let failedActiveHealthCheck = EndpointHealth(rawValue: 1 << 0)
    public static let failedOutlierCheck = EndpointHealth(rawValue: 1 << 1)
    /// EDS said UNHEALTHY / DRAINING / TIMEOUT.
    public static let failedEDSHealth = EndpointHealth(rawValue: 1 << 2)
    public static let degradedActiveHealthCheck = EndpointHealth(rawValue: 1 << 3)
    /// EDS said DEGRADED.
    public static let degradedEDSHealth = EndpointHealth(rawValue: 1 << 4)
    /// Envoy's "excluded" hosts (e.g. pending active health check): not counted anywhere.
    public static let excluded = EndpointHealth(rawValue: 1 << 5)

    public static let healthy: EndpointHealth = []

    public enum Coarse: Sendable, Equatable { case healthy, degraded, unhealthy }

    /// Envoy's `coarseHealth()`: failure beats degradation.
    public var coarse: Coarse {
        if !isDisjoint(with: [.failedActiveHealthCheck, .failedOutlierCheck, .failedEDSHealth]) { return .unhealthy }
        if !isDisjoint(with: [.degradedActiveHealthCheck, .degradedEDSHealth]) { return .degraded }
        return .healthy
    }
}
