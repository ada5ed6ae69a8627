/// Envoy's LEAST_REQUEST. Equal weights: power of `choiceCount` choices (sample that many
/// endpoints at random, keep the one with fewest active requests; ties keep the earlier
/// sample). Unequal weights: EDF with weight `w / (active + 1)^activeRequestBias`.
public struct LeastRequestBalancer: Sendable {
    struct SourceState: Sendable {
        var positions: [Int]
        var scheduler: EDFScheduler?
    }

    public let choiceCount: Int
    public let activeRequestBias: Double
    private var selector: HostSourceSelector
    private var sourceIndex: [HostSource: Int] = [:]
    private var states: [SourceState] = []

    /// - Parameters:
    ///   - choiceCount: `choice_count`, default 2.
    ///   - activeRequestBias: `active_request_bias`, default 1.0.
    ///   - activeRequests: active requests per endpoint `index` when the balancer is built
    ///     (seeds the EDF deadlines; later picks re-read the live counts).
    public init(prioritySet: PrioritySet, choiceCount: Int = 2, activeRequestBias: Double = 1.0,
                localityWeighted: Bool = false, seed: UInt64 = 0, activeRequests: (Int) -> UInt64 = { _ in 0 }) {
        self.choiceCount = max(1, choiceCount)
        self.activeRequestBias = activeRequestBias
        selector = HostSourceSelector(prioritySet: prioritySet, localityWeighted: localityWeighted, seed: seed)
        for set in prioritySet.hostSets {
            for source in HostSourceSelector.allSources(of: set) {
                let positions = set.positions(for: source)
                var scheduler: EDFScheduler?
                if positions.count > 1, !RoundRobinBalancer.weightsEqual(positions, in: set) {
                    scheduler = EDFScheduler(items: Array(positions.indices), weight: {
                        Self.weight(set.hosts[positions[$0]], active: activeRequests(set.hosts[positions[$0]].index),
                                    bias: activeRequestBias)
                    })
                }
                sourceIndex[source] = states.count
                states.append(SourceState(positions: positions, scheduler: scheduler))
            }
        }
    }

    /// - Parameter activeRequests: live active (plus, if wanted, pending) requests per endpoint `index`.
    public mutating func choose(
        context: HostSelectionContext = .init(), random: inout some RandomSource,
        activeRequests: (Int) -> UInt64,
        rejecting shouldSelectAnother: (LBEndpoint) -> Bool = { _ in false }
    ) -> Int? {
        var chosen: LBEndpoint?
        for _ in 0...max(0, context.hostSelectionRetryCount) {
            guard let source = selector.source(hash: random.next(), context: context),
                  let endpoint = pick(from: source, random: &random, activeRequests: activeRequests)
            else { return chosen?.index }
            chosen = endpoint
            if !shouldSelectAnother(endpoint) { break }
        }
        return chosen?.index
    }

    private mutating func pick(from source: HostSource, random: inout some RandomSource,
                               activeRequests: (Int) -> UInt64) -> LBEndpoint? {
        let set = selector.prioritySet.hostSets[source.priority]
        guard let i = sourceIndex[source], !states[i].positions.isEmpty else { return nil }
        let positions = states[i].positions
        if states[i].scheduler != nil {
            let bias = activeRequestBias
            let picked = states[i].scheduler!.pickAndAdd(weight: {
                Self.weight(set.hosts[positions[$0]], active: activeRequests(set.hosts[positions[$0]].index), bias: bias)
            })!
            return set.hosts[positions[picked]]
        }
        var candidate: LBEndpoint?
        var candidateActive: UInt64 = 0
        for _ in 0..<choiceCount {
            let sampled = set.hosts[positions[Int(random.next() % UInt64(positions.count))]]
            let active = activeRequests(sampled.index)
            if candidate == nil || active < candidateActive {
                candidate = sampled
                candidateActive = active
            }
        }
        return candidate
    }

    static func weight(_ endpoint: LBEndpoint, active: UInt64, bias: Double) -> Double {
        let divisor = Double(active == .max ? active : active + 1)
        if bias == 1.0 { return Double(endpoint.weight) / divisor }
        if bias == 0.0 { return Double(endpoint.weight) }
        return Double(endpoint.weight) / power(divisor, bias)
    }
}
