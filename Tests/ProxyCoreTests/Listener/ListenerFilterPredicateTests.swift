import ProxyCore
import Testing

/// Istio's per-port `filter_disabled` on the inspectors.
@Suite struct ListenerFilterPredicateTests {
    /// Istio's listenerPredicateExcludePorts: one-port ranges in an or_match.
    static let excludes9080And9090 = ListenerFilterPredicate.or([.destinationPorts(start: 9080, end: 9081), .destinationPorts(start: 9090, end: 9091)])

    @Test func predicatesMatchAsEnvoys() {
        #expect(Self.excludes9080And9090.matches(destinationPort: 9080))
        #expect(!Self.excludes9080And9090.matches(destinationPort: 9081))
        #expect(ListenerFilterPredicate.not(Self.excludes9080And9090).matches(destinationPort: 8080))
        #expect(ListenerFilterPredicate.any.matches(destinationPort: 1))
        #expect(ListenerFilterPredicate.and([.any, .destinationPorts(start: 10, end: 20)]).matches(destinationPort: 19))
        #expect(!ListenerFilterPredicate.and([.any, .destinationPorts(start: 10, end: 20)]).matches(destinationPort: 20))
        // An inverted range matches nothing (Envoy accepts it).
        #expect(!ListenerFilterPredicate.destinationPorts(start: 5, end: 2).matches(destinationPort: 3))
    }

    @Test func aDisabledInspectorIsSkippedOnItsPorts() {
        var listener = ConnectionInspectorTests.inbound()
        listener.inspection.httpInspectorDisabled = Self.excludes9080And9090
        listener.inspection.tlsInspectorDisabled = .not(.destinationPorts(start: 9443, end: 9444))
        let template = ConnectionInspector(listener: listener)
        // 9080: no HTTP sniffing; the TLS inspector is off too (only 9443 keeps it).
        var on9080 = template.starting(destinationPort: 9080)
        #expect(!on9080.waitsForBytes)
        var facts = ConnectionFacts(destinationPort: 9080)
        #expect(on9080.inspect(Array("GET / HTTP/1.1\r\n".utf8), facts: &facts) == .choose)
        #expect(facts.applicationProtocols.isEmpty)
        // 8080: HTTP sniffed, the ClientHello not looked at.
        var on8080 = template.starting(destinationPort: 8080)
        facts = ConnectionFacts(destinationPort: 8080)
        #expect(on8080.inspect(Array("GET / HTTP/1.1\r\n".utf8), facts: &facts) == .choose)
        #expect(facts.applicationProtocols == ["http/1.1"])
        facts = ConnectionFacts(destinationPort: 8080)
        on8080 = template.starting(destinationPort: 8080)
        #expect(on8080.inspect(ClientHelloFixtures.withSNIAndALPN, facts: &facts) == .choose)
        #expect(facts.transportProtocol == "raw_buffer" && facts.serverName.isEmpty)
        // A TLS-terminating chain still peeks where the TLS inspector is off: the
        // SNI is kept for after selection, not matched on.
        let terminating = ListenerConfig(name: listener.name, host: listener.host, port: listener.port,
                                     filterChains: listener.filterChains + [FilterChainConfig(name: "sni", match: FilterChainMatch(serverNames: ["api.example.com"]),
                                                                                              chain: ConnectionInspectorTests.tcp("sni"),
                                                                                              tls: DownstreamTLSConfig(common: TLSContextConfig()))],
                                     inspection: listener.inspection)
        var peeking = ConnectionInspector(listener: terminating).starting(destinationPort: 9080)
        facts = ConnectionFacts(destinationPort: 9080)
        #expect(peeking.inspect(ClientHelloFixtures.withSNIAndALPN, facts: &facts) == .choose)
        #expect(facts.serverName.isEmpty && peeking.serverNameAfterSelection == "api.example.com")
        #expect(terminating.chain(for: facts)?.config.name == "tcp")
        // 9443: both.
        var on9443 = template.starting(destinationPort: 9443)
        facts = ConnectionFacts(destinationPort: 9443)
        #expect(on9443.inspect(ClientHelloFixtures.withSNIAndALPN, facts: &facts) == .choose)
        #expect(facts.transportProtocol == "tls" && facts.serverName == "api.example.com")
    }
}
