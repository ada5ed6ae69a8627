import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// Listeners with several filter chains, matches, a default chain and listener
/// filters, shaped as the translator emits them (SNI chains behind the TLS
/// inspector, the last one to PassthroughCluster).
@Suite struct FilterChainConversionTests {
    typealias F = XDSFixtures

    static func tcpChain(_ cluster: String, serverNames: [String] = []) -> Envoy_Config_Listener_V3_FilterChain {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = cluster
        proxy.cluster = cluster
        var filter = Envoy_Config_Listener_V3_Filter()
        filter.name = "envoy.filters.network.tcp_proxy"
        filter.typedConfig = F.any(proxy)
        var chain = Envoy_Config_Listener_V3_FilterChain()
        if !serverNames.isEmpty {
            var match = Envoy_Config_Listener_V3_FilterChainMatch()
            match.serverNames = serverNames
            chain.filterChainMatch = match
        }
        chain.filters = [filter]
        return chain
    }

    static func inspector(_ name: String = "envoy.filters.listener.tls_inspector") -> Envoy_Config_Listener_V3_ListenerFilter {
        var filter = Envoy_Config_Listener_V3_ListenerFilter()
        filter.name = name
        filter.typedConfig = F.any(Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector())
        return filter
    }

    static func sniListener() -> Envoy_Config_Listener_V3_Listener {
        var listener = F.listener(name: "0.0.0.0_443")
        listener.listenerFilters = [inspector()]
        listener.filterChains = [tcpChain("outbound|443||a.example.com", serverNames: ["a.example.com"]),
                                 tcpChain("outbound|443||wild", serverNames: ["*.example.com"]),
                                 tcpChain("PassthroughCluster")]
        return listener
    }

    @Test func sniChainsConvertAndSelectAsEnvoy() throws {
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(Self.sniListener(), warnings: &warnings)
        #expect(converted.filterChains.count == 3)
        #expect(converted.needsTLSInspection)
        #expect(converted.singleChain == nil)
        #expect(converted.inspection.timeoutNanos == 15_000_000_000)
        func cluster(_ sni: String) -> String? {
            guard case .tcp(let tcp)? = converted.chain(for: ConnectionFacts(serverName: sni, transportProtocol: "tls"))?.config.chain,
                  case .cluster(let name) = tcp.target else { return nil }
            return name
        }
        #expect(cluster("a.example.com") == "outbound|443||a.example.com")
        #expect(cluster("b.example.com") == "outbound|443||wild")
        #expect(cluster("other.org") == "PassthroughCluster")
        #expect(warnings.messages.isEmpty)
    }

    @Test func matchFieldsAndDefaultChain() throws {
        var listener = Self.sniListener()
        listener.filterChains.removeLast()
        var match = Envoy_Config_Listener_V3_FilterChainMatch()
        match.destinationPort = Google_Protobuf_UInt32Value(443)
        var range = Envoy_Config_Core_V3_CidrRange()
        range.addressPrefix = "10.1.0.0"
        range.prefixLen = Google_Protobuf_UInt32Value(16)
        match.prefixRanges = [range]
        match.sourcePrefixRanges = [range]
        match.sourcePorts = [1234]
        match.sourceType = .external
        match.transportProtocol = "tls"
        match.applicationProtocols = ["h2"]
        listener.filterChains[1].filterChainMatch = match
        listener.defaultFilterChain = Self.tcpChain("BlackHoleCluster")
        listener.listenerFiltersTimeout = Google_Protobuf_Duration(seconds: 2)
        listener.continueOnListenerFiltersTimeout = true
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(listener, warnings: &warnings)
        let second = converted.filterChains[1].match
        #expect(second.destinationPort == 443)
        #expect(second.prefixRanges.map(\.description) == ["10.1.0.0/16"])
        #expect(second.sourcePrefixRanges.map(\.description) == ["10.1.0.0/16"])
        #expect(second.sourcePorts == [1234])
        #expect(second.sourceType == .external)
        #expect(second.transportProtocol == "tls")
        #expect(second.applicationProtocols == ["h2"])
        #expect(converted.inspection == ListenerInspection(tlsInspector: true, timeoutNanos: 2_000_000_000, continueOnTimeout: true))
        // Nothing matches plaintext without SNI: the default chain takes it.
        #expect(converted.chain(for: ConnectionFacts())?.index == 2)
    }

    @Test func refusalsNameTheField() {
        var warnings = ConversionWarnings()
        func refusal(_ listener: Envoy_Config_Listener_V3_Listener) -> XDSConversionError? {
            do {
                _ = try ListenerConverter.convert(listener, warnings: &warnings)
                return nil
            } catch {
                return error
            }
        }
        var unknown = Self.sniListener()
        unknown.listenerFilters.append(Self.inspector("envoy.filters.listener.proxy_protocol"))
        #expect(refusal(unknown) == XDSConversionError(resource: "Listener 0.0.0.0_443", field: "listener_filters[1].name",
                                                       reason: "listener filter \"envoy.filters.listener.proxy_protocol\" is not supported by this proxy"))
        var tls = Self.sniListener()
        tls.filterChains[1].transportSocket.name = "envoy.transport_sockets.alts"
        #expect(refusal(tls)?.field == "filter_chains[1].transport_socket.name")
        var duplicate = Self.sniListener()
        duplicate.filterChains.append(Self.tcpChain("again", serverNames: ["a.example.com"]))
        #expect(refusal(duplicate)?.field == "filter_chains[3].filter_chain_match")
        var partial = Self.sniListener()
        partial.filterChains[0].filterChainMatch.serverNames = ["*a.example.com"]
        #expect(refusal(partial)?.field == "filter_chains[0].filter_chain_match.server_names")
        var badRange = Self.sniListener()
        var range = Envoy_Config_Core_V3_CidrRange()
        range.addressPrefix = "not-an-ip"
        badRange.filterChains[0].filterChainMatch.prefixRanges = [range]
        #expect(refusal(badRange)?.field == "filter_chains[0].filter_chain_match.prefix_ranges[0]")
        var empty = Self.sniListener()
        empty.filterChains = []
        #expect(refusal(empty)?.field == "filter_chains")
    }

    @Test func otherListenerFiltersTheTranslatorEmitsAreAccepted() throws {
        var listener = Self.sniListener()
        listener.listenerFilters += [Self.inspector("envoy.filters.listener.http_inspector"), Self.inspector("envoy.filters.listener.original_dst")]
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(listener, warnings: &warnings)
        // Both are honoured, without warnings.
        #expect(warnings.messages.isEmpty)
        #expect(converted.inspection.originalDestination)
        #expect(converted.inspection.httpInspector)
        // No chain matches a detected protocol: nothing is sniffed.
        #expect(!converted.needsHTTPInspection)
    }

    /// Istio's inbound shape: chains for plaintext HTTP by the HTTP inspector's
    /// finding, the rest to tcp_proxy.
    @Test func plaintextHTTPDetectionIsAccepted() throws {
        var listener = Self.sniListener()
        listener.listenerFilters.append(Self.inspector("envoy.filters.listener.http_inspector"))
        listener.filterChains[1].filterChainMatch = Envoy_Config_Listener_V3_FilterChainMatch()
        listener.filterChains[1].filterChainMatch.applicationProtocols = ["http/1.1", "h2c"]
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(listener, warnings: &warnings)
        #expect(warnings.messages.isEmpty)
        #expect(converted.needsHTTPInspection)
        func cluster(_ protocols: [String]) -> String? {
            guard case .tcp(let tcp)? = converted.chain(for: ConnectionFacts(applicationProtocols: protocols))?.config.chain,
                  case .cluster(let name) = tcp.target else { return nil }
            return name
        }
        #expect(cluster(["h2c"]) == "outbound|443||wild")
        #expect(cluster(["http/1.1"]) == "outbound|443||wild")
        #expect(cluster(["http/1.0"]) == "PassthroughCluster")
        #expect(cluster([]) == "PassthroughCluster")
    }

    static func portRange(_ port: Int32) -> Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate {
        var predicate = Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate()
        var range = Envoy_Type_V3_Int32Range()
        range.start = port
        range.end = port + 1
        predicate.destinationPortRange = range
        return predicate
    }

    /// Istio's listenerPredicateExcludePorts: the inspectors off on ports whose
    /// protocol is known.
    @Test func filterDisabledPredicatesConvert() throws {
        var listener = Self.sniListener()
        var http = Self.inspector("envoy.filters.listener.http_inspector")
        http.filterDisabled.orMatch.rules = [Self.portRange(9080), Self.portRange(9090)]
        listener.listenerFilters.append(http)
        listener.listenerFilters[0].filterDisabled.notMatch = Self.portRange(443)
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(listener, warnings: &warnings)
        #expect(converted.inspection.httpInspectorDisabled == .or([.destinationPorts(start: 9080, end: 9081), .destinationPorts(start: 9090, end: 9091)]))
        #expect(converted.inspection.tlsInspectorDisabled == .not(.destinationPorts(start: 443, end: 444)))
    }

    @Test func filterDisabledRefusesWhatEnvoyRefuses() {
        func refusal(_ edit: (inout Envoy_Config_Listener_V3_ListenerFilter) -> Void) -> XDSConversionError? {
            var listener = Self.sniListener()
            edit(&listener.listenerFilters[0])
            var warnings = ConversionWarnings()
            do {
                _ = try ListenerConverter.convert(listener, warnings: &warnings)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal { $0.filterDisabled.orMatch.rules = [Self.portRange(1)] }?.field == "listener_filters[0].filter_disabled.or_match.rules")
        #expect(refusal { $0.filterDisabled.anyMatch = false }?.field == "listener_filters[0].filter_disabled.any_match")
        #expect(refusal { $0.filterDisabled = Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate() }?.field == "listener_filters[0].filter_disabled")
        #expect(refusal {
            $0.filterDisabled.andMatch.rules = [Self.portRange(1), Envoy_Config_Listener_V3_ListenerFilterChainMatchPredicate()]
        }?.field == "listener_filters[0].filter_disabled.and_match.rules[1]")
        #expect(refusal {
            $0.name = "envoy.filters.listener.original_dst"
            $0.filterDisabled.anyMatch = true
        }?.field == "listener_filters[0].filter_disabled")
        #expect(refusal { $0.filterDisabled.anyMatch = true } == nil)
    }
}
