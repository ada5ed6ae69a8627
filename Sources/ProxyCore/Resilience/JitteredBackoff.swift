/// Envoy's `JitteredExponentialBackOffStrategy`: the n-th delay is uniform in
/// [0, base × 2^(n-1)), the ceiling doubling until it reaches `max`, never above `max`.
/// Used for retry backoff (25 ms / 250 ms) and xDS reconnects (500 ms / 30 s).
public struct JitteredBackoff: Sendable, Equatable {
    public let baseMs: Int64
    public let maxMs: Int64
    private var nextCeilingMs: Int64

    public init(baseMs: Int64, maxMs: Int64) {
        self.baseMs = max(1, baseMs)
        self.maxMs = max(self.baseMs, maxMs)
        nextCeilingMs = self.baseMs
    }

    public mutating func nextDelayMs(random: inout some RandomSource) -> Int64 {
        let ceiling = nextCeilingMs
        nextCeilingMs = nextCeilingMs < maxMs / 2 ? nextCeilingMs * 2 : maxMs
        return min(Int64(random.next() % UInt64(ceiling)), maxMs)
    }

    public mutating func reset() { nextCeilingMs = baseMs }
}
