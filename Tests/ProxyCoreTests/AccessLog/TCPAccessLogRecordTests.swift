import Testing
@testable import ProxyCore

/// A tcp_proxy connection's record as Envoy 1.40 prints it (lines taken from
/// stock Envoy with the same formats): no HTTP (`"- - -"`, response code 0,
/// null protocol and details in JSON), flags, bytes, the upstream picked.
@Suite struct TCPAccessLogRecordTests {
    static func refused() -> TCPAccessLogFacts {
        var facts = TCPAccessLogFacts()
        facts.startEpochNanos = 1_795_000_000_123_000_000
        facts.flags = [.upstreamConnectionFailure, .connectAttemptsExceeded]
        facts.upstreamHost = Array("127.0.0.1:21199".utf8)
        facts.upstreamCluster = Array("closed".utf8)
        facts.upstreamTransportFailureReason = TCPAccessLogFacts.connectFailureReason("Connection refused")
        facts.downstreamRemote = Array("127.0.0.1".utf8)
        facts.downstreamRemotePort = 45930
        facts.downstreamLocal = Array("127.0.0.1:21002".utf8)
        return facts
    }

    static func served() -> TCPAccessLogFacts {
        var facts = refused()
        facts.flags = []
        facts.upstreamTransportFailureReason = []
        facts.upstreamHost = Array("127.0.0.1:21100".utf8)
        facts.upstreamCluster = Array("backend".utf8)
        facts.upstreamLocal = Array("127.0.0.1:58624".utf8)
        facts.bytesReceived = 5
        facts.bytesSent = 23
        facts.durationNanos = 25_400_000
        return facts
    }

    static let istioText = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\" %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\" \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\" \"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n"

    static func line(_ facts: TCPAccessLogFacts, _ format: AccessLogFormat) -> String {
        var out: [UInt8] = []
        AccessLogFormatter.write(facts.record(format: format), format: format, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func envoyDefaultAndIstioTextFormats() throws {
        let envoy = try AccessLogFormat(AccessLogFormat.envoyDefault)
        #expect(Self.line(Self.refused(), envoy)
            == "[2026-11-18T11:06:40.123Z] \"- - -\" 0 UF,URX 0 0 0 - \"-\" \"-\" \"-\" \"-\" \"127.0.0.1:21199\"\n")
        let istio = try AccessLogFormat(Self.istioText)
        #expect(Self.line(Self.served(), istio)
            == "[2026-11-18T11:06:40.123Z] \"- - -\" 0 - - - \"-\" 5 23 25 - \"-\" \"-\" \"-\" \"-\" \"127.0.0.1:21100\" backend 127.0.0.1:58624 127.0.0.1:21002 127.0.0.1:45930 - -\n")
        #expect(Self.line(Self.refused(), istio).contains(" 0 UF,URX - - \"delayed_connect_error:_Connection_refused\" 0 0 0 - "))
        var denied = Self.served()
        denied.connectionTerminationDetails = Array("rbac_access_denied_matched_policy[none]".utf8)
        #expect(Self.line(denied, istio).contains("\" 0 - - rbac_access_denied_matched_policy[none] \"-\" 5 23 "))
    }

    @Test func jsonLeavesHTTPValuesNull() throws {
        let format = try AccessLogFormat(json: [
            ("protocol", .string("%PROTOCOL%")), ("method", .string("%REQ(:METHOD)%")), ("response_code", .string("%RESPONSE_CODE%")),
            ("response_code_details", .string("%RESPONSE_CODE_DETAILS%")), ("response_flags", .string("%RESPONSE_FLAGS%")),
            ("bytes_sent", .string("%BYTES_SENT%")), ("upstream_local_address", .string("%UPSTREAM_LOCAL_ADDRESS%")),
            ("requested_server_name", .string("%REQUESTED_SERVER_NAME%")),
        ])
        #expect(Self.line(Self.served(), format) == #"{"bytes_sent":23,"method":null,"protocol":null,"requested_server_name":null,"response_code":0,"#
            + #""response_code_details":null,"response_flags":"-","upstream_local_address":"127.0.0.1:58624"}"# + "\n")
        var sni = Self.refused()
        sni.requestedServerName = Array("db.example.com".utf8)
        #expect(Self.line(sni, format).contains(#""requested_server_name":"db.example.com""#))
        #expect(Self.line(sni, format).contains(#""upstream_local_address":null"#))
    }

    @Test func filtersSeeNoResponse() throws {
        var format = try AccessLogFormat(AccessLogFormat.envoyDefault)
        let record = Self.refused().record(format: format)
        // Envoy's CEL has no response.code for TCP: comparisons on it are errors (not logged).
        #expect(!(try AccessLogJSONAndFilterTests.expression("response.code >= 400", &format)).admits(record, random: 0))
        #expect(!(try AccessLogJSONAndFilterTests.expression("response.code == 0", &format)).admits(record, random: 0))
        #expect((try AccessLogJSONAndFilterTests.expression("xds.cluster_name == 'closed'", &format)).admits(record, random: 0))
        #expect(AccessLogFilter.responseFlags(ResponseFlags.named("URX")).admits(record, random: 0))
        #expect(AccessLogFilter.responseFlags(ResponseFlags.named("UF")).admits(record, random: 0))
        #expect(!AccessLogFilter.responseFlags(ResponseFlags.named("UH")).admits(record, random: 0))
        #expect(AccessLogFilter.statusCode(.equal, 0).admits(record, random: 0), "the status-code filter compares 0")
    }

    @Test func flagsPrintInTheOrderTCPProxySetsThem() {
        #expect(ResponseFlags([.upstreamConnectionFailure, .connectAttemptsExceeded]).envoyString == "UF,URX")
        #expect(ResponseFlags([.upstreamConnectionFailure, .upstreamRetryLimitExceeded]).envoyString == "URX,UF", "the router's order")
        #expect(ResponseFlags.named("URX") == [.upstreamRetryLimitExceeded, .connectAttemptsExceeded])
    }
}
