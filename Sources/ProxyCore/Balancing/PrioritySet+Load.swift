extension PrioritySet {
    /// Per-level health and degraded availability: `min(100, factor * available / total)`,
    /// by endpoint count or (with weighted priority health) by weight. Excluded levels get 0.
    static func availability(of sets: [HostSet], excluding: [Bool]?) -> (health: [UInt32], degraded: [UInt32]) {
        var health = [UInt32](repeating: 0, count: sets.count)
        var degraded = health
        for (i, set) in sets.enumerated() where set.countedHosts > 0 {
            if let excluding, i < excluding.count, excluding[i] { continue }
            var healthyWeight: UInt64, degradedWeight: UInt64, totalWeight: UInt64
            if set.weightedPriorityHealth {
                healthyWeight = set.healthy.reduce(0) { $0 + UInt64(set.hosts[$1].weight) }
                degradedWeight = set.degraded.reduce(0) { $0 + UInt64(set.hosts[$1].weight) }
                totalWeight = set.hosts.reduce(0) { $1.health.contains(.excluded) ? $0 : $0 + UInt64($1.weight) }
            } else {
                healthyWeight = UInt64(set.healthy.count)
                degradedWeight = UInt64(set.degraded.count)
                totalWeight = UInt64(set.countedHosts)
            }
            let factor = UInt64(set.overprovisioningFactor)
            health[i] = UInt32(min(100, factor * healthyWeight / totalWeight))
            degraded[i] = UInt32(min(100, factor * degradedWeight / totalWeight))
        }
        return (health, degraded)
    }

    /// Envoy's `recalculatePerPriorityState` load split; all-zero when nothing is available.
    static func distributedLoad(health: [UInt32], degraded: [UInt32]) -> PriorityLoad {
        var load = PriorityLoad(healthy: .init(repeating: 0, count: health.count),
                                degraded: .init(repeating: 0, count: health.count))
        let normalizedTotal = min(100, health.reduce(0, +) + degraded.reduce(0, +))
        guard normalizedTotal > 0 else {
            if !load.healthy.isEmpty { load.healthy[0] = 100 }
            return load
        }
        let h = PriorityLoad.distribute(into: &load.healthy, availability: health, total: 100,
                                        normalizedTotal: normalizedTotal)
        let d = PriorityLoad.distribute(into: &load.degraded, availability: degraded, total: h.remaining,
                                        normalizedTotal: normalizedTotal)
        if d.remaining != 0 {
            // Rounding leftovers go to the first available level, healthy first.
            if let first = h.first { load.healthy[first] += d.remaining } else if let first = d.first {
                load.degraded[first] += d.remaining
            }
        }
        return load
    }

    /// A level panics when fewer than `threshold` percent of its hosts are healthy or degraded.
    static func isInPanic(_ set: HostSet, threshold: UInt32) -> Bool {
        let count = set.countedHosts
        let healthyPercent = count == 0 ? 0 : 100.0 * Double(set.healthy.count) / Double(count)
        let degradedPercent = count == 0 ? 0 : 100.0 * Double(set.degraded.count) / Double(count)
        return healthyPercent + degradedPercent < Double(threshold)
    }

    /// When every level panics, load follows raw host counts regardless of health.
    static func totalPanicLoad(_ sets: [HostSet]) -> PriorityLoad {
        var load = PriorityLoad(healthy: .init(repeating: 0, count: sets.count),
                                degraded: .init(repeating: 0, count: sets.count))
        let total = sets.reduce(0) { $0 + $1.hosts.count }
        guard total > 0 else {
            load.healthy[0] = 100
            return load
        }
        var remaining: UInt32 = 100
        var firstNonEmpty: Int?
        for (i, set) in sets.enumerated() {
            if firstNonEmpty == nil && !set.hosts.isEmpty { firstNonEmpty = i }
            let share = UInt32(100 * set.hosts.count / total)
            load.healthy[i] = share
            remaining -= share
        }
        load.healthy[firstNonEmpty!] += remaining
        return load
    }

    /// The load Envoy's `previous_priorities` retry plugin uses: levels already attempted get no
    /// load; if that leaves nothing available it falls back to all levels, and returns nil (use
    /// the normal load) when nothing is available at all.
    public func loadExcluding(priorities excluded: [Bool]) -> PriorityLoad? {
        var (health, degraded) = Self.availability(of: hostSets, excluding: excluded)
        var total = min(100, health.reduce(0, +) + degraded.reduce(0, +))
        if total == 0 {
            (health, degraded) = Self.availability(of: hostSets, excluding: nil)
            total = min(100, health.reduce(0, +) + degraded.reduce(0, +))
        }
        guard total > 0 else { return nil }
        var load = PriorityLoad(healthy: .init(repeating: 0, count: health.count),
                                degraded: .init(repeating: 0, count: health.count))
        var remaining: UInt32 = 100
        // Repeated passes hand rounding leftovers to the highest available levels.
        while remaining != 0 {
            for i in health.indices {
                let delta = min(remaining, health[i] * 100 / total)
                load.healthy[i] += delta
                remaining -= delta
            }
            for i in degraded.indices {
                let delta = min(remaining, degraded[i] * 100 / total)
                load.degraded[i] += delta
                remaining -= delta
            }
        }
        return load
    }
}
