/// Envoy's ListenerFilterChainMatchPredicate as a listener filter's
/// `filter_disabled`: when it matches a connection, that filter is skipped.
/// Istio uses it to turn the TLS and HTTP inspectors off on ports whose
/// protocol it knows (an `or_match` of one-port ranges, or its `not_match`).
public indirect enum ListenerFilterPredicate: Sendable, Equatable {
    case any
    /// [start, end) of the destination port (the original one when restored).
    case destinationPorts(start: Int, end: Int)
    case or([ListenerFilterPredicate])
    case and([ListenerFilterPredicate])
    case not(ListenerFilterPredicate)

    public func matches(destinationPort port: Int) -> Bool {
        switch self {
        case .any: return true
        case .destinationPorts(let start, let end): return start <= port && port < end
        case .or(let rules): return rules.contains { $0.matches(destinationPort: port) }
        case .and(let rules): return rules.allSatisfy { $0.matches(destinationPort: port) }
        case .not(let rule): return !rule.matches(destinationPort: port)
        }
    }
}
