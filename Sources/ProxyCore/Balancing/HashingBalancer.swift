/// Envoy's consistent-hashing balancers (RING_HASH, MAGLEV): one immutable table per priority,
/// built from normalized weights; the request hash picks the priority and the table entry.
/// Immutable after construction, so one instance can be shared by all workers.
public struct HashingBalancer: Sendable {
    public enum Algorithm: Sendable, Equatable {
        case ringHash(minimumRingSize: Int = RingHashTable.defaultMinimumRingSize,
                      maximumRingSize: Int = RingHashTable.defaultMaximumRingSize)
        case maglev(tableSize: Int = MaglevTable.defaultTableSize)
    }

    enum Table: Sendable {
        case ring(RingHashTable)
        case maglev(MaglevTable)

        func choose(hash: UInt64, attempt: Int) -> Int? {
            switch self {
            case .ring(let ring): return ring.choose(hash: hash, attempt: attempt)
            case .maglev(let maglev): return maglev.choose(hash: hash, attempt: attempt)
            }
        }
    }

    public let prioritySet: PrioritySet
    let tables: [Table]

    public init(prioritySet: PrioritySet, algorithm: Algorithm, localityWeighted: Bool = false) {
        self.prioritySet = prioritySet
        tables = prioritySet.hostSets.enumerated().map { priority, set in
            let weights = NormalizedHostWeights(hostSet: set, inPanic: prioritySet.panic[priority],
                                                localityWeighted: localityWeighted)
            switch algorithm {
            case .ringHash(let minimum, let maximum):
                return .ring(RingHashTable(weights: weights, hosts: set.hosts,
                                           minimumRingSize: minimum, maximumRingSize: maximum))
            case .maglev(let size):
                return .maglev(MaglevTable(weights: weights, hosts: set.hosts, tableSize: size))
            }
        }
    }

    /// The chosen endpoint's `index`. Without `context.hash` a random value stands in (Envoy
    /// then behaves like the random balancer). As in Envoy's thread-aware balancers the
    /// priority comes from the set's own load: `context.priorityLoad` is not consulted.
    public func choose(
        context: HostSelectionContext = .init(), random: inout some RandomSource,
        rejecting shouldSelectAnother: (LBEndpoint) -> Bool = { _ in false }
    ) -> Int? {
        let hash = context.hash ?? random.next()
        let priority = prioritySet.load.choosePriority(hash: hash).priority
        guard priority < tables.count else { return nil }
        let hosts = prioritySet.hostSets[priority].hosts
        var chosen: Int?
        for attempt in 0...max(0, context.hostSelectionRetryCount) {
            guard let position = tables[priority].choose(hash: hash, attempt: attempt) else { return chosen }
            chosen = hosts[position].index
            if !shouldSelectAnother(hosts[position]) { break }
        }
        return chosen
    }
}
