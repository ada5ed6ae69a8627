/// Envoy's Maglev table: each host walks its own permutation of the (prime-sized) table,
/// offset `xxHash64(key, 0) % M`, skip `xxHash64(key, 1) % (M - 1) + 1`, claiming free slots
/// in turn; heavier hosts take turns more often. Hosts are ordered by key first so the table
/// does not depend on endpoint order.
public struct MaglevTable: Sendable {
    public static let defaultTableSize = 65537

    private(set) var table: [Int32] = []
    public let tableSize: Int

    public init(weights: NormalizedHostWeights, hosts: [LBEndpoint], tableSize: Int = defaultTableSize) {
        self.tableSize = tableSize
        guard !weights.entries.isEmpty, tableSize > 1 else { return }
        struct Builder {
            var position: Int32
            var offset: UInt64
            var skip: UInt64
            var weight: Double
            var targetWeight = 0.0
            var next: UInt64 = 0
        }
        let sorted = weights.entries.sorted {
            let a = hosts[$0.position].hashKey.utf8, b = hosts[$1.position].hashKey.utf8
            return a.lexicographicallyPrecedes(b) || (a.elementsEqual(b) && $0.position < $1.position)
        }
        let size = UInt64(tableSize)
        var builders = sorted.map { entry -> Builder in
            let key = hosts[entry.position].hashKey
            return Builder(position: Int32(entry.position), offset: XXHash64.hash(key, seed: 0) % size,
                           skip: XXHash64.hash(key, seed: 1) % (size - 1) + 1, weight: entry.weight)
        }
        table = [Int32](repeating: -1, count: tableSize)
        let maxWeight = weights.maxWeight
        var filled = 0
        var iteration = 1.0
        while filled < tableSize {
            for i in builders.indices where filled < tableSize {
                // A host of weight max/k claims a slot every k-th pass.
                if iteration * builders[i].weight < builders[i].targetWeight { continue }
                builders[i].targetWeight += maxWeight
                var slot = Int((builders[i].offset &+ builders[i].skip &* builders[i].next) % size)
                while table[slot] >= 0 {
                    builders[i].next += 1
                    slot = Int((builders[i].offset &+ builders[i].skip &* builders[i].next) % size)
                }
                table[slot] = builders[i].position
                builders[i].next += 1
                filled += 1
            }
            iteration += 1
        }
    }

    /// Position into the host set's `hosts`. Retries flip most bits of the hash (Envoy's
    /// `hash ^= ~0 - attempt + 1`) so they land far from the first choice.
    public func choose(hash: UInt64, attempt: Int = 0) -> Int? {
        guard !table.isEmpty else { return nil }
        var h = hash
        if attempt > 0 { h ^= UInt64.max &- UInt64(attempt) &+ 1 }
        return Int(table[Int(h % UInt64(tableSize))])
    }
}
