/// What Envoy refuses in a listener's filter chain matches.
public struct FilterChainMatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The chain's index in `filter_chains`.
    public let chain: Int
    public let field: String
    public let reason: String

    public init(chain: Int, field: String, reason: String) {
        self.chain = chain
        self.field = field
        self.reason = reason
    }

    public var description: String { "filter_chains[\(chain)].filter_chain_match.\(field): \(reason)" }
}

extension FilterChainSelector {
    /// Envoy's checks: only whole-label wildcards (`*.example.com`), and no two
    /// chains with the same matching rules (a connection both could take, value by
    /// value), which is what guarantees one chain at most after the eight steps.
    public static func validate(_ matches: [FilterChainMatch]) throws(FilterChainMatchError) {
        for (index, match) in matches.enumerated() {
            for name in match.serverNames where name.contains("*") {
                guard name.hasPrefix("*."), name.utf8.count > 2, !name.dropFirst().contains("*") else {
                    throw FilterChainMatchError(chain: index, field: "server_names",
                                                reason: "partial wildcards are not supported: \"\(name)\"")
                }
            }
        }
        for second in matches.indices {
            for first in 0..<second where overlaps(matches[first], matches[second]) {
                throw FilterChainMatchError(chain: second, field: "(match)",
                                            reason: "multiple filter chains with the same matching rules are defined (filter_chains[\(first)] has them too)")
            }
        }
    }

    /// Whether some connection attribute combination reaches both chains at the
    /// same leaf of Envoy's matching tree: every step's value sets share a value
    /// (an empty set being the "any" value).
    static func overlaps(_ a: FilterChainMatch, _ b: FilterChainMatch) -> Bool {
        func share<T: Hashable>(_ x: [T], _ y: [T]) -> Bool {
            if x.isEmpty || y.isEmpty { return x.isEmpty && y.isEmpty }
            return !Set(x).isDisjoint(with: y)
        }
        return a.destinationPort == b.destinationPort
            && share(a.prefixRanges, b.prefixRanges)
            && share(a.serverNames, b.serverNames)
            && a.transportProtocol == b.transportProtocol
            && share(a.applicationProtocols, b.applicationProtocols)
            && a.sourceType == b.sourceType
            && share(a.sourcePrefixRanges, b.sourcePrefixRanges)
            && share(a.sourcePorts, b.sourcePorts)
    }
}
