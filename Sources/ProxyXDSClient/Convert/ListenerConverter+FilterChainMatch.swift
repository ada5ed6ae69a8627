import ProxyCore
import XDSAPI

/// Filter chain matches and the listener filters whose findings they use.
extension ListenerConverter {
    static let tlsInspector = "envoy.filters.listener.tls_inspector"
    static let httpInspector = "envoy.filters.listener.http_inspector"
    static let originalDst = "envoy.filters.listener.original_dst"

    static func filterChainMatch(_ match: Envoy_Config_Listener_V3_FilterChainMatch, _ scope: ConversionScope) throws(XDSConversionError) -> FilterChainMatch {
        var converted = FilterChainMatch()
        if match.hasDestinationPort {
            let port = Int(match.destinationPort.value)
            guard (1...65535).contains(port) else { throw scope.child("destination_port").error("must be 1-65535, got \(port)") }
            converted.destinationPort = port
        }
        converted.prefixRanges = try ranges(match.prefixRanges, scope, "prefix_ranges")
        if !match.directSourcePrefixRanges.isEmpty {
            throw scope.child("direct_source_prefix_ranges").unsupported("matching the directly connected source")
        }
        switch match.sourceType {
        case .any: converted.sourceType = .any
        case .sameIpOrLoopback: converted.sourceType = .sameIPOrLoopback
        case .external: converted.sourceType = .external
        case .UNRECOGNIZED(let value): throw scope.child("source_type").error("unknown value \(value)")
        }
        converted.sourcePrefixRanges = try ranges(match.sourcePrefixRanges, scope, "source_prefix_ranges")
        for (index, port) in match.sourcePorts.enumerated() where !(1...65535).contains(port) {
            throw scope.index("source_ports", index).error("must be 1-65535, got \(port)")
        }
        converted.sourcePorts = match.sourcePorts.map(Int.init)
        converted.serverNames = match.serverNames.map { $0.lowercased() }
        converted.transportProtocol = match.transportProtocol
        converted.applicationProtocols = match.applicationProtocols
        return converted
    }

    static func ranges(_ ranges: [Envoy_Config_Core_V3_CidrRange], _ scope: ConversionScope, _ field: String) throws(XDSConversionError) -> [CIDRRange] {
        var result: [CIDRRange] = []
        for (index, range) in ranges.enumerated() {
            // An unset prefix_len is 0, as in Envoy.
            guard let cidr = CIDRRange(address: range.addressPrefix, length: Int(range.prefixLen.value)) else {
                throw scope.index(field, index).error("malformed IP address or prefix length: \(range.addressPrefix)/\(range.prefixLen.value)")
            }
            result.append(cidr)
        }
        return result
    }

    /// Listener filters: the TLS and HTTP inspectors and original_dst are run;
    /// any other is refused, since chain selection or the connection would
    /// differ from Envoy's.
    static func inspection(_ listener: Envoy_Config_Listener_V3_Listener, _ scope: ConversionScope,
                           warnings: inout ConversionWarnings) throws(XDSConversionError) -> ListenerInspection {
        var inspection = ListenerInspection()
        if listener.hasListenerFiltersTimeout { inspection.timeoutNanos = ProtoValues.nanos(listener.listenerFiltersTimeout) }
        inspection.continueOnTimeout = listener.continueOnListenerFiltersTimeout
        for (index, filter) in listener.listenerFilters.enumerated() {
            let filterScope = scope.index("listener_filters", index)
            let disabled = filter.hasFilterDisabled ? try predicate(filter.filterDisabled, filterScope.child("filter_disabled")) : nil
            switch filter.name {
            case tlsInspector:
                inspection.tlsInspector = true
                inspection.tlsInspectorDisabled = disabled
            case httpInspector:
                inspection.httpInspector = true
                inspection.httpInspectorDisabled = disabled
            case originalDst:
                if disabled != nil { throw filterScope.child("filter_disabled").unsupported("disabling original_dst by predicate") }
                inspection.originalDestination = true
            default: throw filterScope.child("name").unsupported("listener filter \"\(filter.name)\"")
            }
        }
        return inspection
    }

    /// A listener filter's filter_disabled, with Envoy's validation: a rule is
    /// required, any_match must be true, and/or sets need two rules at least.
    static func predicate(_ predicate: Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate,
                          _ scope: ConversionScope) throws(XDSConversionError) -> ListenerFilterPredicate {
        func rules(_ set: Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate.MatchSet, _ field: String) throws(XDSConversionError) -> [ListenerFilterPredicate] {
            guard set.rules.count >= 2 else { throw scope.child("\(field).rules").error("must contain at least 2 rules, got \(set.rules.count)") }
            var converted: [ListenerFilterPredicate] = []
            for (index, rule) in set.rules.enumerated() {
                converted.append(try Self.predicate(rule, scope.index("\(field).rules", index)))
            }
            return converted
        }
        switch predicate.rule {
        case .anyMatch(let value):
            guard value else { throw scope.child("any_match").error("must be true") }
            return .any
        case .destinationPortRange(let range): return .destinationPorts(start: Int(range.start), end: Int(range.end))
        case .orMatch(let set): return .or(try rules(set, "or_match"))
        case .andMatch(let set): return .and(try rules(set, "and_match"))
        case .notMatch(let inner): return .not(try Self.predicate(inner, scope.child("not_match")))
        case nil: throw scope.error("a rule is required")
        }
    }
}
