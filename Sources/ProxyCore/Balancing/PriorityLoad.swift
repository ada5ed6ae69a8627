/// Percent of traffic per priority level, split into load served by healthy and by degraded
/// endpoints; the two arrays always sum to 100 together.
public struct PriorityLoad: Sendable, Equatable {
    public var healthy: [UInt32]
    public var degraded: [UInt32]

    public init(healthy: [UInt32], degraded: [UInt32]) {
        self.healthy = healthy
        self.degraded = degraded
    }

    public enum Availability: Sendable, Equatable { case healthy, degraded }

    /// Envoy's `choosePriority`: `hash % 100 + 1` walks the healthy loads, then the degraded.
    public func choosePriority(hash: UInt64) -> (priority: Int, availability: Availability) {
        let point = UInt32(hash % 100) + 1
        var aggregate: UInt32 = 0
        for (priority, load) in healthy.enumerated() {
            aggregate += load
            if point <= aggregate { return (priority, .healthy) }
        }
        for (priority, load) in degraded.enumerated() {
            aggregate += load
            if point <= aggregate { return (priority, .degraded) }
        }
        return (0, .healthy)
    }

    /// Assigns as much of `total` as possible to the highest priorities, each up to its share of
    /// availability; returns the first priority with availability (or nil) and what is left.
    static func distribute(into load: inout [UInt32], availability: [UInt32], total: UInt32,
                           normalizedTotal: UInt32) -> (first: Int?, remaining: UInt32) {
        var remaining = total
        var first: Int?
        for i in availability.indices {
            if first == nil && availability[i] > 0 { first = i }
            let share = min(remaining, availability[i] * 100 / normalizedTotal)
            load[i] = share
            remaining -= share
        }
        return (first, remaining)
    }
}
