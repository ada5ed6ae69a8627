import ProxyCore
import Testing

/// Envoy's order (listener_components.proto, FilterChainMatch): destination port,
/// destination IP, server name, transport protocol, application protocols, source
/// type, source IP, source port; the most specific value wins at each step.
@Suite struct FilterChainSelectorTests {
    static func cidr(_ text: String) -> CIDRRange {
        let parts = text.split(separator: "/")
        return CIDRRange(address: String(parts[0]), length: Int(parts[1])!)!
    }

    static func facts(dst: String = "10.0.0.1", dstPort: Int = 443, src: String = "192.168.1.5", srcPort: Int = 50000,
                      sni: String = "", transport: String = "raw_buffer", alpn: [String] = []) -> ConnectionFacts {
        ConnectionFacts(destinationAddress: IPAddress(dst), destinationPort: dstPort, sourceAddress: IPAddress(src), sourcePort: srcPort,
                        serverName: sni, transportProtocol: transport, applicationProtocols: alpn)
    }

    @Test func serverNamesExactThenLongestWildcardThenNone() {
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(serverNames: ["*.com"]),
            FilterChainMatch(serverNames: ["*.example.com"]),
            FilterChainMatch(serverNames: ["www.example.com", "other.org"]),
            FilterChainMatch(),
        ])
        #expect(selector.select(Self.facts(sni: "www.example.com")) == 2)
        #expect(selector.select(Self.facts(sni: "WWW.Example.com")) == 2)
        #expect(selector.select(Self.facts(sni: "api.example.com")) == 1)
        #expect(selector.select(Self.facts(sni: "a.b.example.com")) == 1)
        #expect(selector.select(Self.facts(sni: "example.com")) == 0)
        #expect(selector.select(Self.facts(sni: "other.org")) == 2)
        #expect(selector.select(Self.facts(sni: "x.net")) == 3)
        #expect(selector.select(Self.facts()) == 3)
    }

    @Test func noMatchWithoutCatchAll() {
        let selector = FilterChainSelector(matches: [FilterChainMatch(serverNames: ["a.example.com"]), FilterChainMatch(serverNames: ["b.example.com"])])
        #expect(selector.select(Self.facts(sni: "c.example.com")) == nil)
        #expect(selector.select(Self.facts()) == nil)
    }

    @Test func destinationPortComesFirstAndDoesNotBacktrack() {
        // The port-specific chain wins step 1 even though its server name then fails:
        // Envoy does not go back to the chain without a port.
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(destinationPort: 443, serverNames: ["a.example.com"]),
            FilterChainMatch(serverNames: ["b.example.com"]),
        ])
        #expect(selector.select(Self.facts(dstPort: 443, sni: "a.example.com")) == 0)
        #expect(selector.select(Self.facts(dstPort: 443, sni: "b.example.com")) == nil)
        #expect(selector.select(Self.facts(dstPort: 8443, sni: "b.example.com")) == 1)
    }

    @Test func destinationIPLongestPrefix() {
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(prefixRanges: [Self.cidr("10.0.0.0/8")]),
            FilterChainMatch(prefixRanges: [Self.cidr("10.0.0.0/24"), Self.cidr("::1/128")]),
            FilterChainMatch(),
        ])
        #expect(selector.select(Self.facts(dst: "10.0.0.7")) == 1)
        #expect(selector.select(Self.facts(dst: "10.9.0.7")) == 0)
        #expect(selector.select(Self.facts(dst: "11.0.0.1")) == 2)
        #expect(selector.select(Self.facts(dst: "::1")) == 1)
        #expect(selector.select(Self.facts(dst: "::2")) == 2)
    }

    @Test func transportThenApplicationProtocolsInTheClientsOrder() {
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(transportProtocol: "tls", applicationProtocols: ["http/1.1"]),
            FilterChainMatch(transportProtocol: "tls", applicationProtocols: ["h2"]),
            FilterChainMatch(transportProtocol: "tls"),
            FilterChainMatch(),
        ])
        #expect(selector.select(Self.facts(transport: "tls", alpn: ["h2", "http/1.1"])) == 1)
        #expect(selector.select(Self.facts(transport: "tls", alpn: ["http/1.1", "h2"])) == 0)
        #expect(selector.select(Self.facts(transport: "tls", alpn: ["spdy/3"])) == 2)
        #expect(selector.select(Self.facts(transport: "tls")) == 2)
        #expect(selector.select(Self.facts()) == 3)
    }

    @Test func sourceTypeThenSourceIPThenSourcePort() {
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(sourceType: .sameIPOrLoopback),
            FilterChainMatch(sourceType: .external, sourcePrefixRanges: [Self.cidr("192.168.0.0/16")]),
            FilterChainMatch(sourceType: .external, sourcePrefixRanges: [Self.cidr("192.168.0.0/16")], sourcePorts: [50000]),
            FilterChainMatch(sourceType: .external),
            FilterChainMatch(),
        ])
        #expect(selector.select(Self.facts(src: "127.0.0.1")) == 0)
        #expect(selector.select(Self.facts(dst: "10.0.0.1", src: "10.0.0.1")) == 0)  // same IP as the listener side
        #expect(selector.select(Self.facts(src: "192.168.1.5", srcPort: 50000)) == 2)
        #expect(selector.select(Self.facts(src: "192.168.1.5", srcPort: 50001)) == 1)
        #expect(selector.select(Self.facts(src: "172.16.0.1")) == 3)
        let anyOnly = FilterChainSelector(matches: [FilterChainMatch(sourceType: .external), FilterChainMatch()])
        #expect(anyOnly.select(Self.facts(src: "127.0.0.1")) == 1)
    }

    @Test func laterStepsOnlyBreakTies() {
        // The server name (step 3) decides before the transport protocol (step 4).
        let selector = FilterChainSelector(matches: [
            FilterChainMatch(transportProtocol: "tls"),
            FilterChainMatch(serverNames: ["a.example.com"], transportProtocol: "raw_buffer"),
        ])
        #expect(selector.select(Self.facts(sni: "a.example.com", transport: "tls")) == nil)
        #expect(selector.select(Self.facts(sni: "b.example.com", transport: "tls")) == 0)
    }

    @Test func validationRefusesWhatEnvoyRefuses() {
        #expect(throws: FilterChainMatchError.self) {
            try FilterChainSelector.validate([FilterChainMatch(serverNames: ["*w.example.com"])])
        }
        #expect(throws: FilterChainMatchError.self) { try FilterChainSelector.validate([FilterChainMatch(serverNames: ["*"])]) }
        #expect(throws: FilterChainMatchError(chain: 2, field: "(match)",
                                              reason: "multiple filter chains with the same matching rules are defined (filter_chains[0] has them too)")) {
            try FilterChainSelector.validate([FilterChainMatch(serverNames: ["a", "b"]), FilterChainMatch(), FilterChainMatch(serverNames: ["b"])])
        }
        #expect(throws: FilterChainMatchError.self) { try FilterChainSelector.validate([FilterChainMatch(), FilterChainMatch()]) }
        #expect(throws: Never.self) {
            try FilterChainSelector.validate([FilterChainMatch(serverNames: ["a"]), FilterChainMatch(serverNames: ["b"]), FilterChainMatch(),
                                              FilterChainMatch(serverNames: ["*.a"]), FilterChainMatch(transportProtocol: "tls")])
        }
    }

    @Test func addressesParse() {
        #expect(IPAddress("10.1.2.3")?.description == "10.1.2.3")
        #expect(IPAddress("::ffff:127.0.0.1")?.isLoopback == true)
        #expect(IPAddress("fe80::1:2")?.description == "fe80:0:0:0:0:0:1:2")
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("1:2:3:4:5:6:7:8:9") == nil)
        #expect(IPAddress("256.1.1.1") == nil)
        #expect(CIDRRange(address: "10.1.2.3", length: 8)?.description == "10.0.0.0/8")
        #expect(CIDRRange(address: "10.1.2.3", length: 33) == nil)
    }
}
