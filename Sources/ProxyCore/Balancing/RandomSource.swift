/// Where every load balancer, retry backoff and ejection jitter gets its randomness.
///
/// Injected (never global) so tests are deterministic and each worker thread can own its
/// generator without locks.
public protocol RandomSource {
    /// A uniformly distributed 64-bit value (Envoy's `Random::RandomGenerator::random()`).
    mutating func next() -> UInt64
}

/// A small, fast, seedable generator (SplitMix64). Good enough for load balancing; not for secrets.
public struct SplitMix64: RandomSource, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Replays a fixed list of values (cycling); for tests that need exact draws.
public struct ScriptedRandom: RandomSource, Sendable {
    private let values: [UInt64]
    private var position = 0

    public init(_ values: [UInt64]) {
        precondition(!values.isEmpty, "ScriptedRandom needs at least one value")
        self.values = values
    }

    public mutating func next() -> UInt64 {
        defer { position = (position + 1) % values.count }
        return values[position]
    }
}
