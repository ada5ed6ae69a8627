extension OutlierDetector {
    /// The detector for a new endpoint list that keeps what was learnt about endpoints that
    /// stayed: `previous[i]` is the old index of new endpoint `i` (nil: a new endpoint).
    /// Envoy keeps a host's detector state across EDS updates while the host stays; without
    /// this, every xDS push (the proxy rebuilds its clusters) would un-eject everything.
    public func carriedOver(to previous: [Int?], config: OutlierDetectionConfig) -> OutlierDetector {
        var next = OutlierDetector(config: config, endpointCount: previous.count)
        for (index, old) in previous.enumerated() {
            guard let old, old >= 0, old < hosts.count else { continue }
            next.hosts[index] = hosts[old]
            if hosts[old].ejected { next.ejectedCount += 1 }
        }
        return next
    }

    /// Endpoints ejected now, in index order (to mark them when a balancer is rebuilt).
    public var ejectedEndpoints: [Int] { hosts.indices.filter { hosts[$0].ejected } }
}
