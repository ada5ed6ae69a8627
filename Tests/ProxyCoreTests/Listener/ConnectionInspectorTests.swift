import ProxyCore
import Testing

/// The listener filters in front of chain selection on Istio's inbound shape:
/// tls_inspector + http_inspector, plaintext HTTP/1.1 and h2c to the HCM chain,
/// everything else to tcp_proxy; bytes fed as they arrive.
@Suite struct ConnectionInspectorTests {
    static func tcp(_ cluster: String) -> ListenerConfig.Chain {
        .tcp(TCPProxyConfig(statPrefix: cluster, target: .cluster(cluster)))
    }

    static func inbound(tlsInspector: Bool = true, httpInspector: Bool = true, continueOnTimeout: Bool = true) -> ListenerConfig {
        ListenerConfig(name: "virtualInbound", host: "0.0.0.0", port: 15006, filterChains: [
            FilterChainConfig(name: "http", match: FilterChainMatch(transportProtocol: "raw_buffer", applicationProtocols: ["http/1.1", "h2c"]),
                              chain: tcp("hcm")),
            FilterChainConfig(name: "tls-h2", match: FilterChainMatch(transportProtocol: "tls", applicationProtocols: ["h2"]), chain: tcp("tls-h2")),
            // Istio names the transport here too: without it this chain would lose at
            // the transport step and plaintext that is not HTTP would match nothing.
            FilterChainConfig(name: "tcp", match: FilterChainMatch(transportProtocol: "raw_buffer"), chain: tcp("tcp")),
        ], inspection: ListenerInspection(tlsInspector: tlsInspector, httpInspector: httpInspector, timeoutNanos: 1_000_000_000,
                                          continueOnTimeout: continueOnTimeout))
    }

    /// Feeds `reads` one after another (each the bytes so far) and returns the
    /// chain's name after the last step, with the steps taken.
    static func run(_ listener: ListenerConfig, _ reads: [String]) -> (steps: [ConnectionInspector.Step], chain: String?) {
        var inspector = ConnectionInspector(listener: listener)
        var facts = ConnectionFacts()
        var sofar: [UInt8] = []
        var steps: [ConnectionInspector.Step] = []
        for read in reads {
            sofar += Array(read.utf8)
            steps.append(inspector.inspect(sofar, facts: &facts))
            if steps.last != .needMoreBytes { break }
        }
        guard steps.last == .choose else { return (steps, nil) }
        return (steps, listener.chain(for: facts)?.config.name)
    }

    @Test func plaintextHTTPIsDetectedForTheHCMChain() {
        let listener = Self.inbound()
        #expect(listener.needsHTTPInspection)
        #expect(Self.run(listener, ["GET / HTTP/1.1\r\nHost: a\r\n\r\n"]) == ([.choose], "http"))
        #expect(Self.run(listener, ["GE", "T /x HTT", "P/1.1\r", "\n"]) == ([.needMoreBytes, .needMoreBytes, .needMoreBytes, .choose], "http"))
        #expect(Self.run(listener, ["get / HTTP/1.1\r\n"]).chain == "http")
        // HTTP/1.0 and HTTP/0.9 are "http/1.0", which this chain does not list.
        #expect(Self.run(listener, ["GET / HTTP/1.0\r\n\r\n"]).chain == "tcp")
        #expect(Self.run(listener, ["GET /\r\n"]).chain == "tcp")
    }

    @Test func h2cPrefaceSplitAcrossReads() {
        let reads = ["PRI * HT", "TP/2.0\r\n", "\r\nSM\r", "\n\r\n\u{0}\u{0}"]
        #expect(Self.run(Self.inbound(), reads) == ([.needMoreBytes, .needMoreBytes, .needMoreBytes, .choose], "http"))
    }

    @Test func otherBytesGoToTheTCPChain() {
        #expect(Self.run(Self.inbound(), ["hello\n"]) == ([.choose], "tcp"))
        #expect(Self.run(Self.inbound(), ["\u{0}\u{1}"]) == ([.choose], "tcp"))
        // No LF yet: still waiting, until the timeout.
        #expect(Self.run(Self.inbound(), ["hello"]) == ([.needMoreBytes], nil))
    }

    @Test func aClientHelloIsNotSniffedForHTTP() {
        var inspector = ConnectionInspector(listener: Self.inbound())
        var facts = ConnectionFacts()
        #expect(inspector.inspect(ClientHelloFixtures.withSNIAndALPN, facts: &facts) == .choose)
        #expect(facts.transportProtocol == "tls")
        #expect(facts.applicationProtocols == ["h2", "http/1.1"])
        #expect(Self.inbound().chain(for: facts)?.config.name == "tls-h2")
    }

    @Test func withoutTheTLSInspectorPlaintextIsStillSniffed() {
        let listener = Self.inbound(tlsInspector: false)
        #expect(Self.run(listener, ["GET / HTTP/1.1\r\n"]).chain == "http")
        // A ClientHello is not HTTP; no transport protocol is learnt either.
        var inspector = ConnectionInspector(listener: listener)
        var facts = ConnectionFacts()
        #expect(inspector.inspect(ClientHelloFixtures.withSNIAndALPN, facts: &facts) == .choose)
        #expect(facts.transportProtocol == "raw_buffer" && facts.applicationProtocols.isEmpty)
    }

    @Test func tooLongAFirstLineCloses() {
        let line = "GET /" + String(repeating: "a", count: HTTPInspectorParser.defaultMaxBytes)
        #expect(Self.run(Self.inbound(), [line]) == ([.close], nil))
    }

    @Test func timeoutContinuesOrCloses() {
        #expect(ConnectionInspector(listener: Self.inbound()).timedOut() == .choose)
        #expect(ConnectionInspector(listener: Self.inbound(continueOnTimeout: false)).timedOut() == .close)
        // Continuing after a silent client: nothing was detected, the TCP chain.
        #expect(Self.inbound().chain(for: ConnectionFacts())?.config.name == "tcp")
    }

    @Test func sniffingOnlyWhenAChainLooks() {
        // Without the HTTP inspector, or without a chain naming a detected
        // protocol for plaintext, nothing waits for HTTP bytes.
        #expect(!Self.inbound(httpInspector: false).needsHTTPInspection)
        let alpnOnly = ListenerConfig(name: "l", host: "0.0.0.0", port: 1, filterChains: [
            FilterChainConfig(match: FilterChainMatch(transportProtocol: "tls", applicationProtocols: ["http/1.1"]), chain: Self.tcp("a")),
            FilterChainConfig(match: FilterChainMatch(), chain: Self.tcp("b")),
        ], inspection: ListenerInspection(httpInspector: true))
        #expect(!alpnOnly.needsHTTPInspection)
        #expect(!ConnectionInspector(listener: alpnOnly).waitsForBytes)
        #expect(ConnectionInspector(listener: Self.inbound(tlsInspector: false)).waitsForBytes)
    }
}
