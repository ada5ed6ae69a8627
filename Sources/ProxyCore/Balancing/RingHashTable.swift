/// Envoy's ketama-style ring: each host gets about `scale * weight` points hashed from
/// `"<hashKey>_<i>"` with xxHash64; a request takes the first point at or after its hash.
public struct RingHashTable: Sendable {
    /// Envoy's defaults: `minimum_ring_size` 1024, `maximum_ring_size` 8M.
    public static let defaultMinimumRingSize = 1024
    public static let defaultMaximumRingSize = 8 * 1024 * 1024

    struct Point: Sendable {
        var hash: UInt64
        var position: Int32
    }

    private(set) var ring: [Point] = []

    public var size: Int { ring.count }

    public init(weights: NormalizedHostWeights, hosts: [LBEndpoint],
                minimumRingSize: Int = defaultMinimumRingSize, maximumRingSize: Int = defaultMaximumRingSize) {
        guard !weights.entries.isEmpty else { return }
        // Scale so the lightest host gets a whole number of points, capped at the maximum size.
        let minWeight = weights.minWeight
        let scale = min((minWeight * Double(minimumRingSize)).rounded(.up) / minWeight, Double(maximumRingSize))
        ring.reserveCapacity(Int(scale.rounded(.up)))
        var current = 0.0
        var target = 0.0
        for entry in weights.entries {
            let key = hosts[entry.position].hashKey
            target += scale * entry.weight
            var i = 0
            while current < target {
                ring.append(Point(hash: Self.pointHash(key: key, index: i), position: Int32(entry.position)))
                i += 1
                current += 1
            }
        }
        ring.sort { $0.hash < $1.hash }
    }

    /// xxHash64 of `key + "_" + decimal(index)`, streamed to avoid building strings.
    static func pointHash(key: String, index: Int) -> UInt64 {
        var hasher = XXHash64.Hasher()
        hasher.update(key)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var value = index
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            raw[0] = UInt8(ascii: "_")
            repeat {
                count += 1
                raw[count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            } while value > 0
            // Digits were written least significant first; reverse them in place.
            var lo = 1, hi = count
            while lo < hi {
                raw.swapAt(lo, hi)
                lo += 1
                hi -= 1
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: raw[0...count]))
        }
        return hasher.finalize()
    }

    /// Position into the host set's `hosts`. `attempt > 0` (host selection retries) steps that
    /// many points further around the ring, as Envoy does.
    public func choose(hash: UInt64, attempt: Int = 0) -> Int? {
        guard !ring.isEmpty else { return nil }
        var low = 0, high = ring.count
        while low < high {
            let mid = (low + high) / 2
            if ring[mid].hash < hash { low = mid + 1 } else { high = mid }
        }
        var index = low == ring.count ? 0 : low
        if attempt > 0 { index = (index + attempt) % ring.count }
        return Int(ring[index].position)
    }
}
