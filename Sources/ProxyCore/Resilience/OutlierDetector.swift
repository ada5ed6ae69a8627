/// Envoy's outlier detector for consecutive failures, as a state machine over endpoint
/// indexes 0..<count. Results eject inline; `intervalElapsed(now:)` (every `intervalMs`)
/// returns endpoints whose ejection time is over and decays the ejection backoff.
public struct OutlierDetector: Sendable {
    struct HostState: Sendable {
        var consecutive5xx = 0
        var consecutiveGatewayFailure = 0
        var consecutiveLocalOriginFailure = 0
        var ejected = false
        var numEjections = 0
        /// Multiplier of base ejection time; grows per ejection, decays while healthy.
        var ejectTimeBackoff: Int64 = 0
        var lastEjectionMs: Int64?
        var lastUnejectionMs: Int64?
        var jitterMs: Int64 = 0
    }

    public let config: OutlierDetectionConfig
    var hosts: [HostState]
    public internal(set) var ejectedCount = 0

    public init(config: OutlierDetectionConfig = .init(), endpointCount: Int) {
        self.config = config
        hosts = [HostState](repeating: HostState(), count: endpointCount)
    }

    public var endpointCount: Int { hosts.count }
    public func isEjected(_ endpoint: Int) -> Bool { hosts[endpoint].ejected }
    public func ejectionCount(_ endpoint: Int) -> Int { hosts[endpoint].numEjections }

    /// Adds or removes endpoints at the end (membership change); removed ejections are released.
    public mutating func resize(endpointCount: Int) {
        if endpointCount < hosts.count {
            ejectedCount -= hosts[endpointCount...].filter(\.ejected).count
            hosts.removeLast(hosts.count - endpointCount)
        } else {
            hosts.append(contentsOf: repeatElement(HostState(), count: endpointCount - hosts.count))
        }
    }

    /// Records one result. `random` decides enforcement percentages and ejection jitter.
    public mutating func record(_ result: OutlierResult, endpoint: Int, now: Int64,
                                random: inout some RandomSource) -> OutlierAction? {
        if config.splitExternalLocalOriginErrors {
            switch result {
            case .localOriginConnectSuccess:
                hosts[endpoint].consecutiveLocalOriginFailure = 0
                return nil
            case .localOriginTimeout, .localOriginConnectFailed:
                hosts[endpoint].consecutiveLocalOriginFailure += 1
                guard hosts[endpoint].consecutiveLocalOriginFailure == config.consecutiveLocalOriginFailure else { return nil }
                return detected(.consecutiveLocalOriginFailure, endpoint: endpoint, now: now, random: &random)
            case .externalOriginRequestFailed:
                return recordStatus(503, endpoint: endpoint, now: now, random: &random)
            case .externalOriginRequestSuccess:
                hosts[endpoint].consecutiveLocalOriginFailure = 0
                return recordStatus(200, endpoint: endpoint, now: now, random: &random)
            case .httpStatus(let status):
                return recordStatus(status, endpoint: endpoint, now: now, random: &random)
            }
        }
        // Without the split, local-origin events count as the HTTP status they would produce.
        switch result {
        case .httpStatus(let status): return recordStatus(status, endpoint: endpoint, now: now, random: &random)
        case .localOriginTimeout: return recordStatus(504, endpoint: endpoint, now: now, random: &random)
        case .localOriginConnectFailed: return recordStatus(503, endpoint: endpoint, now: now, random: &random)
        case .externalOriginRequestFailed: return recordStatus(500, endpoint: endpoint, now: now, random: &random)
        case .externalOriginRequestSuccess: return recordStatus(200, endpoint: endpoint, now: now, random: &random)
        case .localOriginConnectSuccess: return nil
        }
    }

    private mutating func recordStatus(_ status: Int, endpoint: Int, now: Int64,
                                       random: inout some RandomSource) -> OutlierAction? {
        guard (500...599).contains(status) else {
            hosts[endpoint].consecutive5xx = 0
            hosts[endpoint].consecutiveGatewayFailure = 0
            return nil
        }
        var action: OutlierAction?
        if status == 502 || status == 503 || status == 504 {
            hosts[endpoint].consecutiveGatewayFailure += 1
            if hosts[endpoint].consecutiveGatewayFailure == config.consecutiveGatewayFailure {
                action = detected(.consecutiveGatewayFailure, endpoint: endpoint, now: now, random: &random)
            }
        } else {
            hosts[endpoint].consecutiveGatewayFailure = 0
        }
        hosts[endpoint].consecutive5xx += 1
        if hosts[endpoint].consecutive5xx == config.consecutive5xx {
            action = detected(.consecutive5xx, endpoint: endpoint, now: now, random: &random) ?? action
        }
        return action
    }
}
