extension OutlierDetector {
    /// A consecutive-failure threshold was hit: eject if allowed, then reset that counter
    /// (Envoy resets it whether or not the ejection was enforced; an already ejected host is
    /// left alone, counter included).
    mutating func detected(_ type: OutlierEjectionType, endpoint: Int, now: Int64,
                           random: inout some RandomSource) -> OutlierAction? {
        guard !hosts[endpoint].ejected else { return nil }
        let ejected = ejectIfAllowed(type, endpoint: endpoint, now: now, random: &random)
        switch type {
        case .consecutive5xx: hosts[endpoint].consecutive5xx = 0
        case .consecutiveGatewayFailure: hosts[endpoint].consecutiveGatewayFailure = 0
        case .consecutiveLocalOriginFailure: hosts[endpoint].consecutiveLocalOriginFailure = 0
        }
        return ejected ? .eject(endpoint: endpoint, type: type) : nil
    }

    private mutating func ejectIfAllowed(_ type: OutlierEjectionType, endpoint: Int, now: Int64,
                                         random: inout some RandomSource) -> Bool {
        let maxPercent = Double(min(100, config.maxEjectionPercent))
        let percentAfter = 100.0 * Double(ejectedCount + 1) / Double(hosts.count)
        var allowed = percentAfter <= maxPercent
        if config.alwaysEjectOneHost { allowed = allowed || ejectedCount == 0 }
        guard allowed else { return false }
        let enforcing: Int
        switch type {
        case .consecutive5xx: enforcing = config.enforcingConsecutive5xx
        case .consecutiveGatewayFailure: enforcing = config.enforcingConsecutiveGatewayFailure
        case .consecutiveLocalOriginFailure: enforcing = config.enforcingConsecutiveLocalOriginFailure
        }
        // Envoy's runtime featureEnabled(key, percent): random % 100 < percent.
        guard random.next() % 100 < UInt64(max(0, enforcing)) else { return false }
        ejectedCount += 1
        hosts[endpoint].ejected = true
        hosts[endpoint].numEjections += 1
        hosts[endpoint].lastEjectionMs = now
        hosts[endpoint].jitterMs = Int64(random.next() % UInt64(config.maxEjectionTimeJitterMs + 1))
        let base = config.baseEjectionTimeMs
        if hosts[endpoint].ejectTimeBackoff * base < config.effectiveMaxEjectionTimeMs + base {
            hosts[endpoint].ejectTimeBackoff += 1
        }
        return true
    }

    /// How long the endpoint stays ejected this time: base × backoff, capped, plus jitter.
    public func ejectionDurationMs(_ endpoint: Int) -> Int64 {
        let host = hosts[endpoint]
        return min(config.baseEjectionTimeMs * host.ejectTimeBackoff, config.effectiveMaxEjectionTimeMs) + host.jitterMs
    }

    /// The interval timer fired: uneject endpoints whose time is up, and let the ejection
    /// multiplier of endpoints healthy for a whole interval decay by one.
    public mutating func intervalElapsed(now: Int64) -> [OutlierAction] {
        var actions: [OutlierAction] = []
        for endpoint in hosts.indices where hosts[endpoint].ejected {
            if let ejectedAt = hosts[endpoint].lastEjectionMs, ejectionDurationMs(endpoint) <= now - ejectedAt {
                uneject(endpoint, now: now)
                actions.append(.uneject(endpoint: endpoint))
            }
        }
        for endpoint in hosts.indices where !hosts[endpoint].ejected {
            if let unejectedAt = hosts[endpoint].lastUnejectionMs, now - unejectedAt >= config.intervalMs,
               hosts[endpoint].ejectTimeBackoff > 0 {
                hosts[endpoint].ejectTimeBackoff -= 1
            }
        }
        return actions
    }

    /// Active health checking passed for an ejected endpoint
    /// (`successful_active_health_check_uneject_host`).
    public mutating func healthCheckSucceeded(_ endpoint: Int, now: Int64) -> OutlierAction? {
        guard hosts[endpoint].ejected else { return nil }
        uneject(endpoint, now: now)
        return .uneject(endpoint: endpoint)
    }

    private mutating func uneject(_ endpoint: Int, now: Int64) {
        ejectedCount -= 1
        hosts[endpoint].ejected = false
        // Fresh counters so a nearly-tripped detector does not re-eject on one more error.
        hosts[endpoint].consecutive5xx = 0
        hosts[endpoint].consecutiveGatewayFailure = 0
        hosts[endpoint].consecutiveLocalOriginFailure = 0
        hosts[endpoint].lastUnejectionMs = now
    }
}
