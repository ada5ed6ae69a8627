/// Envoy's RANDOM: one random draw picks the priority and, modulo the list size, the endpoint.
/// Weights are ignored, as in Envoy.
public struct RandomBalancer: Sendable {
    private var selector: HostSourceSelector

    public init(prioritySet: PrioritySet, localityWeighted: Bool = false, seed: UInt64 = 0) {
        selector = HostSourceSelector(prioritySet: prioritySet, localityWeighted: localityWeighted, seed: seed)
    }

    public mutating func choose(
        context: HostSelectionContext = .init(), random: inout some RandomSource,
        rejecting shouldSelectAnother: (LBEndpoint) -> Bool = { _ in false }
    ) -> Int? {
        var chosen: LBEndpoint?
        for _ in 0...max(0, context.hostSelectionRetryCount) {
            let draw = random.next()
            guard let source = selector.source(hash: draw, context: context) else { return chosen?.index }
            let set = selector.prioritySet.hostSets[source.priority]
            let count = set.count(for: source)
            guard count > 0 else { return chosen?.index }
            let endpoint = set.hosts[set.position(for: source, at: Int(draw % UInt64(count)))]
            chosen = endpoint
            if !shouldSelectAnother(endpoint) { break }
        }
        return chosen?.index
    }
}
