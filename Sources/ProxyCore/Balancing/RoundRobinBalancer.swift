/// Envoy's ROUND_ROBIN: plain rotation when all weights in a list are equal, otherwise an EDF
/// schedule (smooth weighted round robin: weights respected and picks interleaved).
public struct RoundRobinBalancer: Sendable {
    struct SourceState: Sendable {
        var positions: [Int]
        var index: UInt64
        var scheduler: EDFScheduler?
    }

    private var selector: HostSourceSelector
    private var sourceIndex: [HostSource: Int] = [:]
    // Kept in an array and mutated in place so picks never copy a scheduler's heap.
    private var states: [SourceState] = []

    /// - Parameter seed: random start offset (Envoy draws one per balancer so proxies started
    ///   together do not all send their first request to the same endpoint).
    public init(prioritySet: PrioritySet, localityWeighted: Bool = false, seed: UInt64 = 0) {
        selector = HostSourceSelector(prioritySet: prioritySet, localityWeighted: localityWeighted, seed: seed)
        for set in prioritySet.hostSets {
            for source in HostSourceSelector.allSources(of: set) {
                let positions = set.positions(for: source)
                var scheduler: EDFScheduler?
                if positions.count > 1, !Self.weightsEqual(positions, in: set) {
                    let total = positions.reduce(0) { $0 + Int(set.hosts[$1].weight) }
                    scheduler = EDFScheduler(items: Array(positions.indices),
                                             weight: { Double(set.hosts[positions[$0]].weight) },
                                             prepicks: Int(seed % UInt64(max(1, min(total, 10_000)))))
                }
                sourceIndex[source] = states.count
                states.append(SourceState(positions: positions, index: seed, scheduler: scheduler))
            }
        }
    }

    /// The chosen endpoint's `index`, or nil when nothing can be picked.
    public mutating func choose(
        context: HostSelectionContext = .init(), random: inout some RandomSource,
        rejecting shouldSelectAnother: (LBEndpoint) -> Bool = { _ in false }
    ) -> Int? {
        var chosen: LBEndpoint?
        for _ in 0...max(0, context.hostSelectionRetryCount) {
            guard let source = selector.source(hash: random.next(), context: context),
                  let endpoint = pick(from: source) else { return chosen?.index }
            chosen = endpoint
            if !shouldSelectAnother(endpoint) { break }
        }
        return chosen?.index
    }

    private mutating func pick(from source: HostSource) -> LBEndpoint? {
        let set = selector.prioritySet.hostSets[source.priority]
        guard let i = sourceIndex[source], !states[i].positions.isEmpty else { return nil }
        let positions = states[i].positions
        let position: Int
        if states[i].scheduler != nil {
            position = positions[states[i].scheduler!.pickAndAdd(weight: { Double(set.hosts[positions[$0]].weight) })!]
        } else {
            position = positions[Int(states[i].index % UInt64(positions.count))]
            states[i].index &+= 1
        }
        return set.hosts[position]
    }

    static func weightsEqual(_ positions: [Int], in set: HostSet) -> Bool {
        guard let first = positions.first else { return true }
        let weight = set.hosts[first].weight
        return positions.allSatisfy { set.hosts[$0].weight == weight }
    }
}
