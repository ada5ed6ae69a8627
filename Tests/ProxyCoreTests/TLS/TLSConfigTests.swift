import ProxyCore
import Testing

@Suite struct TLSConfigTests {
    static func uri(_ value: String) -> SubjectAltNameMatcher {
        SubjectAltNameMatcher(kind: .uri, matcher: StringMatch(.exact(Array(value.utf8))))
    }

    @Test func subjectAltNamesMatchByKindAndValue() {
        let names = [SubjectAltName(kind: .uri, value: "spiffe://cluster.local/ns/a/sa/b"), SubjectAltName(kind: .dns, value: "b.a.svc")]
        #expect(SubjectAltNameMatcher.accepts([], names))
        #expect(SubjectAltNameMatcher.accepts([Self.uri("spiffe://x/ns/a/sa/c"), Self.uri("spiffe://cluster.local/ns/a/sa/b")], names))
        #expect(!SubjectAltNameMatcher.accepts([Self.uri("b.a.svc")], names))
        let dnsSuffix = SubjectAltNameMatcher(kind: .dns, matcher: StringMatch(.suffix(Array(".svc".utf8))))
        #expect(SubjectAltNameMatcher.accepts([dnsSuffix], names))
        #expect(Self.uri("a").sameAs(Self.uri("a")) && !Self.uri("a").sameAs(Self.uri("b")) && !Self.uri("a").sameAs(dnsSuffix))
    }

    @Test func transportSocketMatchesInEnvoysOrder() {
        let tls = TransportSocketConfig.tls(UpstreamTLSConfig(common: TLSContextConfig(), serverName: "x"))
        let matches = [TransportSocketMatch(name: "tlsMode-istio", match: ["tlsMode": "istio"], socket: tls),
                       TransportSocketMatch(name: "tlsMode-disabled", match: [:], socket: .plaintext)]
        #expect(TransportSocketMatch.firstIndex(matches, metadata: ["tlsMode": "istio", "other": "1"]) == 0)
        #expect(TransportSocketMatch.firstIndex(matches, metadata: ["tlsMode": "disabled"]) == 1)
        #expect(TransportSocketMatch.firstIndex([matches[0]], metadata: [:]) == nil)
        guard case .plaintext = TransportSocketMatch.select([matches[0]], metadata: [:], fallback: .plaintext) else {
            Issue.record("no match falls back to the cluster's transport socket")
            return
        }
    }

    @Test func peerFactsOperatorsInAccessLogs() throws {
        let format = try AccessLogFormat("%DOWNSTREAM_PEER_URI_SAN% %DOWNSTREAM_LOCAL_URI_SAN% %REQUESTED_SERVER_NAME%")
        #expect(format.segments.contains(.downstreamPeerURISAN) && format.segments.contains(.downstreamLocalURISAN)
            && format.segments.contains(.requestedServerName))
    }

    @Test func securityLabelsOnlyForTerminatedInboundConnections() {
        var store = TelemetryStore()
        var facts = ConnectionFacts()
        #expect(store.slot(forConnection: facts, reporter: .destination) == 0)
        facts.tlsTerminated = true
        facts.mutualTLS = true
        facts.peerURISAN = "spiffe://cluster.local/ns/a/sa/client"
        #expect(store.slot(forConnection: facts, reporter: .source) == 0)
        let slot = store.slot(forConnection: facts, reporter: .destination)
        #expect(slot != 0 && store.slot(forConnection: facts, reporter: .destination) == slot)
        #expect(ConnectionSecurity(mutualTLS: true, sourcePrincipal: "", destinationPrincipal: "").policy == "mutual_tls")
        #expect(ConnectionSecurity(mutualTLS: false, sourcePrincipal: "", destinationPrincipal: "").policy == "none")
        #expect(store.slot(upstreamLocal: "", upstreamPeer: "") == 0)
        #expect(ConnectionSecurity(upstreamLocal: "a", upstreamPeer: "b").policy == "unknown")
    }
}
