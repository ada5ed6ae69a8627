import MeshConfig
import MeshCore

/// Load balancer settings, including consistent hashing and locality settings.
enum LoadBalancerRules {
    static let maxMaglevTableSize = 5_000_011

    static func validate(_ lb: LoadBalancerSettings, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if let hash = lb.consistentHash {
            let hashPath = path / "consistentHash"
            if let cookie = hash.httpCookie {
                if (cookie.name ?? "").isEmpty { sink.error(hashPath / "httpCookie" / "name", "cookie name is required") }
                CommonChecks.duration(cookie.ttl, hashPath / "httpCookie" / "ttl", allowZero: true, &sink)
            }
            if let ring = hash.minimumRingSize, ring != 0 {
                sink.warning(hashPath / "minimumRingSize", "minimumRingSize is deprecated: use ringHash.minimumRingSize")
                if hash.ringHash != nil || hash.maglev != nil {
                    sink.error(hashPath / "minimumRingSize", "minimumRingSize cannot be combined with ringHash or maglev")
                }
            }
            if let size = hash.maglev?.tableSize {
                if size == 0 { sink.error(hashPath / "maglev" / "tableSize", "table size must be greater than 0") }
                else if size >= maxMaglevTableSize { sink.error(hashPath / "maglev" / "tableSize", "table size must be less than \(maxMaglevTableSize)") }
                else if !isPrime(size) { sink.error(hashPath / "maglev" / "tableSize", "table size \(size) must be a prime number") }
            }
        }
        if let warmup = lb.warmup {
            if warmup.duration == nil { sink.error(path / "warmup" / "duration", "duration is required") }
            if let minimum = warmup.minimumPercent, minimum < 0 || minimum > 100 {
                sink.error(path / "warmup" / "minimumPercent", "minimumPercent must be in the range 0..100")
            }
            if let aggression = warmup.aggression, aggression < 1 {
                sink.error(path / "warmup" / "aggression", "aggression must be at least 1")
            }
        }
        if let utilization = lb.backendUtilization {
            for (field, value) in [("weightExpirationPeriod", utilization.weightExpirationPeriod), ("weightStabilizationPeriod", utilization.weightStabilizationPeriod), ("weightUpdatePeriod", utilization.weightUpdatePeriod)] {
                CommonChecks.duration(value, path / "backendUtilization" / field, allowZero: false, &sink)
            }
        }
        if let locality = lb.localityLbSetting { LocalityRules.validate(locality, path / "localityLbSetting", &sink) }
    }

    /// Envoy's (and Istio's) `isPrime`: any of 1, 2, 3 counts as prime.
    static func isPrime(_ value: Int) -> Bool {
        if value < 1 { return false }
        if value < 4 { return true }
        if value % 2 == 0 { return false }
        var divisor = 3
        while divisor * divisor <= value {
            if value % divisor == 0 { return false }
            divisor += 2
        }
        return true
    }
}

/// Locality-weighted distribution and failover.
enum LocalityRules {
    static let topologyKeys: Set<String> = ["topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"]

    static func validate(_ setting: LocalityLoadBalancerSetting, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let distribute = setting.distribute ?? []
        let failover = setting.failover ?? []
        if !distribute.isEmpty && !failover.isEmpty {
            sink.error(path, "distribute and failover cannot both be set")
            return
        }
        if !failover.isEmpty, (setting.failoverPriority ?? []).contains(where: topologyKeys.contains) {
            sink.error(path / "failoverPriority", "failoverPriority cannot use region/zone/subzone labels together with failover")
        }
        var froms: [String] = []
        for (index, rule) in distribute.enumerated() {
            let rulePath = path / "distribute" / index
            let from = rule.from ?? ""
            if let problem = localityProblem(from) { sink.error(rulePath / "from", problem) }
            else if froms.contains(where: { covers($0, from) || covers(from, $0) }) {
                sink.error(rulePath / "from", "locality \"\(from)\" overlaps an earlier distribute entry")
            }
            froms.append(from)
            var total = 0
            for (locality, weight) in (rule.to ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let problem = localityProblem(locality) { sink.error(rulePath / "to" / locality, problem) }
                if weight < 1 || weight > 100 { sink.error(rulePath / "to" / locality, "weight \(weight) must be in the range 1..100") }
                total += weight
            }
            if total != 100 { sink.error(rulePath / "to", "weights must add up to 100, got \(total)") }
        }
        for (index, rule) in failover.enumerated() {
            let rulePath = path / "failover" / index
            let from = rule.from ?? "", to = rule.to ?? ""
            if from == to { sink.error(rulePath, "failover from and to must differ (\"\(from)\")") }
            for (field, value) in [("from", from), ("to", to)] {
                if value.contains("/") { sink.error(rulePath / field, "failover only takes a region, not \"\(value)\"") }
                if value.contains("*") { sink.error(rulePath / field, "failover does not take wildcards") }
            }
        }
    }

    /// `region/zone/subzone`, at most one `*`, only at the end, no empty segment.
    static func localityProblem(_ locality: String) -> String? {
        if locality.isEmpty { return "locality must not be empty" }
        let parts = locality.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 3 { return "locality \"\(locality)\" has more than region/zone/subzone" }
        for (index, part) in parts.enumerated() {
            if part.isEmpty { return "locality \"\(locality)\" has an empty segment" }
            if part.contains("*") && (part != "*" || index != parts.count - 1) {
                return "locality \"\(locality)\": a wildcard may only be the whole last segment"
            }
        }
        return nil
    }

    static func covers(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if a.hasSuffix("*") { return b.hasPrefix(String(a.dropLast())) }
        return false
    }
}
