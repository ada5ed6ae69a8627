import Testing
@testable import ProxyCore

/// The line of a connection no filter chain took (Envoy 1.40's, from the
/// listener-log differential): NR with details `filter_chain_not_found` in text,
/// JSON and CEL; and which filters admit only such lines.
@Suite struct ListenerAccessLogRecordTests {
    static func noChain() -> TCPAccessLogFacts {
        var facts = TCPAccessLogFacts()
        facts.startEpochNanos = 1_795_000_000_123_000_000
        facts.flags = .noRouteFound
        facts.responseCodeDetails = TCPAccessLogFacts.filterChainNotFound
        facts.downstreamRemote = Array("127.0.0.1".utf8)
        facts.downstreamRemotePort = 53482
        facts.downstreamLocal = Array("127.0.0.1:18101".utf8)
        facts.requestedServerName = Array("bar.example.com".utf8)
        return facts
    }

    @Test func textJSONAndCELSeeTheDetails() throws {
        let istio = try AccessLogFormat(TCPAccessLogRecordTests.istioText)
        #expect(TCPAccessLogRecordTests.line(Self.noChain(), istio) == "[2026-11-18T11:06:40.123Z] \"- - -\" 0 NR filter_chain_not_found - \"-\" 0 0 0 - "
            + "\"-\" \"-\" \"-\" \"-\" \"-\" - - 127.0.0.1:18101 127.0.0.1:53482 bar.example.com -\n")
        let json = try AccessLogFormat(json: [("response_code_details", .string("%RESPONSE_CODE_DETAILS%")), ("protocol", .string("%PROTOCOL%")),
                                             ("response_flags", .string("%RESPONSE_FLAGS%"))])
        #expect(TCPAccessLogRecordTests.line(Self.noChain(), json)
            == #"{"protocol":null,"response_code_details":"filter_chain_not_found","response_flags":"NR"}"# + "\n")
        var format = istio
        let record = Self.noChain().record(format: format)
        #expect((try AccessLogJSONAndFilterTests.expression("response.code_details == 'filter_chain_not_found'", &format)).admits(record, random: 0))
        #expect(!(try AccessLogJSONAndFilterTests.expression("response.code >= 400", &format)).admits(record, random: 0))
        #expect(!(try AccessLogJSONAndFilterTests.expression("response.code_details == 'x'", &format))
            .admits(TCPAccessLogRecordTests.refused().record(format: format), random: 0), "a tcp_proxy line has none")
    }

    @Test func filtersAdmittingOnlyNR() {
        let nr = AccessLogFilter.responseFlags(.noRouteFound)
        let uf = AccessLogFilter.responseFlags(.upstreamConnectionFailure)
        #expect(nr.admitsOnly(.noRouteFound))
        #expect(AccessLogFilter.all([nr, .statusCode(.atLeast, 400)]).admitsOnly(.noRouteFound))
        #expect(AccessLogFilter.any([nr, nr]).admitsOnly(.noRouteFound))
        #expect(!AccessLogFilter.any([nr, uf]).admitsOnly(.noRouteFound))
        #expect(!AccessLogFilter.responseFlags([.noRouteFound, .upstreamConnectionFailure]).admitsOnly(.noRouteFound))
        #expect(!AccessLogFilter.responseFlags(nil).admitsOnly(.noRouteFound), "any flag at all")
        #expect(!AccessLogFilter.any([]).admitsOnly(.noRouteFound))
        #expect(!AccessLogFilter.statusCode(.atLeast, 400).admitsOnly(.noRouteFound))
    }
}
