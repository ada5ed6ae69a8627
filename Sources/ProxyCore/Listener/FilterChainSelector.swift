/// Chooses a listener's filter chain for a connection as Envoy does
/// (listener_components.proto, FilterChainMatch): the candidates are narrowed in
/// eight steps - destination port, destination IP, server name, transport
/// protocol, application protocols, source type, source IP, source port. At each
/// step only the chains with the most specific value that matches the connection
/// go on; chains that name no value for the step count as the least specific
/// match. There is no going back: when a step leaves nothing, no chain matches
/// (and the listener's default chain, if any, takes the connection).
public struct FilterChainSelector: Sendable {
    public let matches: [FilterChainMatch]

    public init(matches: [FilterChainMatch]) {
        self.matches = matches
    }

    /// The index of the chosen chain, or nil when none matches.
    public func select(_ facts: ConnectionFacts) -> Int? {
        var candidates = Array(matches.indices)
        // 1. Destination port: the exact port beats "any port".
        narrow(&candidates) { match in
            guard let port = match.destinationPort else { return 0 }
            return port == facts.destinationPort ? 1 : nil
        }
        // 2. Destination IP: the longest matching prefix.
        narrow(&candidates) { Self.prefixSpecificity($0.prefixRanges, facts.destinationAddress) }
        // 3. Server name: exact, then the longest wildcard suffix, then no names.
        narrow(&candidates) { Self.serverNameSpecificity($0.serverNames, facts.serverName) }
        // 4. Transport protocol: the detected one beats "any".
        narrow(&candidates) { match in
            match.transportProtocol.isEmpty ? 0 : (match.transportProtocol == facts.transportProtocol ? 1 : nil)
        }
        // 5. Application protocols: the client's first offered protocol any chain
        //    names, in the client's order; else the chains that name none.
        let offered = facts.applicationProtocols.first { name in candidates.contains { matches[$0].applicationProtocols.contains(name) } }
        narrow(&candidates) { match in
            match.applicationProtocols.isEmpty ? 0 : (offered.map { match.applicationProtocols.contains($0) } == true ? 1 : nil)
        }
        // 6. Source type: the connection's own kind (local or external) beats ANY.
        let local = facts.isLocal
        narrow(&candidates) { match in
            switch match.sourceType {
            case .any: return 0
            case .sameIPOrLoopback: return local ? 1 : nil
            case .external: return local ? nil : 1
            }
        }
        // 7. Source IP: the longest matching prefix.
        narrow(&candidates) { Self.prefixSpecificity($0.sourcePrefixRanges, facts.sourceAddress) }
        // 8. Source port: the exact port beats "any port".
        narrow(&candidates) { match in
            match.sourcePorts.isEmpty ? 0 : (match.sourcePorts.contains(facts.sourcePort) ? 1 : nil)
        }
        // Validation rules out two chains with the same rules, so one is left at most.
        return candidates.first
    }

    /// Keeps the candidates whose specificity (nil: no match) is the highest.
    private func narrow(_ candidates: inout [Int], _ specificity: (FilterChainMatch) -> Int?) {
        guard !candidates.isEmpty else { return }
        var best = -1
        var kept: [Int] = []
        for index in candidates {
            guard let value = specificity(matches[index]), value >= best else { continue }
            if value > best {
                best = value
                kept.removeAll(keepingCapacity: true)
            }
            kept.append(index)
        }
        candidates = kept
    }

    /// The longest containing prefix length; no ranges count as /0 (Envoy inserts
    /// 0.0.0.0/0 and ::/0 for them), so they tie with an explicit /0.
    static func prefixSpecificity(_ ranges: [CIDRRange], _ address: IPAddress?) -> Int? {
        guard !ranges.isEmpty else { return 0 }
        guard let address else { return nil }
        var best: Int?
        for range in ranges where range.contains(address) { best = max(best ?? 0, range.length) }
        return best
    }

    /// No names: 0; a `*.suffix` wildcard: 1 + the suffix length; exact: highest.
    static func serverNameSpecificity(_ names: [String], _ serverName: String) -> Int? {
        guard !names.isEmpty else { return 0 }
        guard !serverName.isEmpty else { return nil }
        var best: Int?
        for name in names {
            if name == serverName { return Int.max }
            if name.hasPrefix("*."), serverName.utf8.count > name.utf8.count - 1, serverName.hasSuffix(name.dropFirst()) {
                best = max(best ?? 0, name.utf8.count)
            }
        }
        return best
    }
}
