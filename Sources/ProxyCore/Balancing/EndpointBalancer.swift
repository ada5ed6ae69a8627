/// One cluster's balancer, whichever policy it uses, behind a single `choose` (so the proxy
/// holds one value per cluster and worker). Rebuild it when endpoints or their health change.
public struct EndpointBalancer: Sendable {
    enum Storage: Sendable {
        case roundRobin(RoundRobinBalancer)
        case leastRequest(LeastRequestBalancer)
        case random(RandomBalancer)
        case hashing(HashingBalancer)
        /// Placeholder while a payload is mutated, so the payload is uniquely referenced.
        case transient
    }

    var storage: Storage

    public enum Policy: Sendable, Equatable {
        case roundRobin
        case leastRequest(choiceCount: Int = 2, activeRequestBias: Double = 1.0)
        case random
        case ringHash(minimumRingSize: Int = RingHashTable.defaultMinimumRingSize,
                      maximumRingSize: Int = RingHashTable.defaultMaximumRingSize)
        case maglev(tableSize: Int = MaglevTable.defaultTableSize)
    }

    public init(policy: Policy, prioritySet: PrioritySet, localityWeighted: Bool = false, seed: UInt64 = 0) {
        switch policy {
        case .roundRobin:
            storage = .roundRobin(RoundRobinBalancer(prioritySet: prioritySet, localityWeighted: localityWeighted, seed: seed))
        case .leastRequest(let choices, let bias):
            storage = .leastRequest(LeastRequestBalancer(
                prioritySet: prioritySet, choiceCount: choices, activeRequestBias: bias,
                localityWeighted: localityWeighted, seed: seed))
        case .random:
            storage = .random(RandomBalancer(prioritySet: prioritySet, localityWeighted: localityWeighted, seed: seed))
        case .ringHash(let minimum, let maximum):
            storage = .hashing(HashingBalancer(
                prioritySet: prioritySet, algorithm: .ringHash(minimumRingSize: minimum, maximumRingSize: maximum),
                localityWeighted: localityWeighted))
        case .maglev(let size):
            storage = .hashing(HashingBalancer(
                prioritySet: prioritySet, algorithm: .maglev(tableSize: size), localityWeighted: localityWeighted))
        }
    }

    /// Whether the policy consumes `HostSelectionContext.hash`.
    public var usesHash: Bool { if case .hashing = storage { true } else { false } }

    /// The chosen endpoint's `index`, or nil (no endpoint: the proxy answers 503 with flag `UH`).
    public mutating func choose(
        context: HostSelectionContext = .init(), random: inout some RandomSource,
        activeRequests: (Int) -> UInt64 = { _ in 0 },
        rejecting shouldSelectAnother: (LBEndpoint) -> Bool = { _ in false }
    ) -> Int? {
        switch storage {
        case .roundRobin(var balancer):
            storage = .transient
            defer { storage = .roundRobin(balancer) }
            return balancer.choose(context: context, random: &random, rejecting: shouldSelectAnother)
        case .leastRequest(var balancer):
            storage = .transient
            defer { storage = .leastRequest(balancer) }
            return balancer.choose(context: context, random: &random, activeRequests: activeRequests,
                                   rejecting: shouldSelectAnother)
        case .random(var balancer):
            storage = .transient
            defer { storage = .random(balancer) }
            return balancer.choose(context: context, random: &random, rejecting: shouldSelectAnother)
        case .hashing(let balancer):
            return balancer.choose(context: context, random: &random, rejecting: shouldSelectAnother)
        case .transient:
            return nil
        }
    }
}
