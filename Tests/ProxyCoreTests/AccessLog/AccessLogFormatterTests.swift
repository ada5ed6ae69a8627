import ProxyCore
import Testing

/// Envoy's access-log text: the default format, commands with alternatives and
/// lengths, response flags in Envoy's order and text.
@Suite struct AccessLogFormatterTests {
    static func head(_ text: String) throws -> (bytes: [UInt8], head: HTTP1RequestHead) {
        let bytes = Array(text.utf8)
        var head = HTTP1RequestHead()
        let parser = HTTP1RequestParser(maxHeadBytes: 60 * 1024)
        let complete = try bytes.withUnsafeBytes { try parser.parse($0, into: &head) }
        #expect(complete)
        return (bytes, head)
    }

    static func line(_ record: AccessLogRecord, _ format: AccessLogFormat) -> String {
        var out: [UInt8] = []
        AccessLogFormatter.write(record, format: format, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func envoyDefaultFormat() throws {
        let format = try AccessLogFormat(AccessLogFormat.envoyDefault)
        let (bytes, head) = try Self.head("GET /items?id=3 HTTP/1.1\r\nHost: catalog:9080\r\nUser-Agent: curl/8.0\r\nX-Request-Id: abc-123\r\n\r\n")
        var record = AccessLogRecord()
        record.reset(format: format)
        bytes.withUnsafeBytes { record.captureRequest($0, head: head, format: format) }
        record.startEpochNanos = 1_764_120_852_123_456_789  // 2025-11-26T01:34:12.123Z
        record.durationNanos = 12_900_000
        record.responseCode = 200
        record.bytesSent = 297
        record.upstreamHost = Array("127.0.10.2:19080".utf8)
        #expect(Self.line(record, format) ==
            "[2025-11-26T01:34:12.123Z] \"GET /items?id=3 HTTP/1.1\" 200 - 0 297 12 - \"-\" \"curl/8.0\" \"abc-123\" \"catalog:9080\" \"127.0.10.2:19080\"\n")
        // A request that came on an HTTP/2 stream.
        record.isHTTP2 = true
        #expect(Self.line(record, format).hasPrefix("[2025-11-26T01:34:12.123Z] \"GET /items?id=3 HTTP/2\" 200"))
    }

    @Test func noRouteLineAndForwardedValues() throws {
        let format = try AccessLogFormat(#"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH):4% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% "%REQ(X-FORWARDED-FOR)%" %UPSTREAM_CLUSTER% %CONNECTION_TERMINATION_DETAILS% 100%%"#)
        let (bytes, head) = try Self.head("GET /nope HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.0.0.1\r\n\r\n")
        var record = AccessLogRecord()
        record.reset(format: format)
        bytes.withUnsafeBytes { record.captureRequest($0, head: head, format: format) }
        record.responseCode = 404
        record.flags = .noRouteFound
        record.responseCodeDetails = record.flags.responseCodeDetails
        record.setRequestHeader(Array("x-forwarded-for".utf8), format: format) { $0 += Array("10.0.0.1,127.0.0.1".utf8) }
        #expect(Self.line(record, format) == "/nop 404 NR route_not_found \"10.0.0.1,127.0.0.1\" - - 100%")
    }

    @Test func responseFlagsUseEnvoysNamesAndOrder() {
        let cases: [(ResponseFlags, String)] = [
            ([], "-"), (.noRouteFound, "NR"), (.noHealthyUpstream, "UH"), (.upstreamConnectionFailure, "UF"),
            (.upstreamOverflow, "UO"), (.upstreamRetryLimitExceeded, "URX"), (.upstreamRequestTimeout, "UT"),
            (.downstreamConnectionTermination, "DC"), (.upstreamConnectionTermination, "UC"), (.delayInjected, "DI"),
            (.faultInjected, "FI"), (.localReset, "LR"), (.rateLimited, "RL"), (.noClusterFound, "NC"),
            ([.upstreamConnectionFailure, .upstreamRetryLimitExceeded], "URX,UF"),
            ([.upstreamRequestTimeout, .noHealthyUpstream], "UH,UT"),
            ([.downstreamConnectionTermination, .upstreamConnectionTermination], "UC,DC"),
        ]
        for (flags, text) in cases {
            #expect(flags.envoyString == text)
            var out: [UInt8] = []
            flags.write(into: &out)
            #expect(String(decoding: out, as: UTF8.self) == text)
        }
    }

    @Test func timestampsAreUTCWithMilliseconds() {
        var out: [UInt8] = []
        AccessLogFormatter.writeTimestamp(epochNanos: 0, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1970-01-01T00:00:00.000Z")
        out = []
        AccessLogFormatter.writeTimestamp(epochNanos: 951_782_400_999_000_000, into: &out)  // leap day
        #expect(String(decoding: out, as: UTF8.self) == "2000-02-29T00:00:00.999Z")
    }

    @Test func unknownCommandsAreRefused() {
        #expect(throws: AccessLogFormat.ParseError.self) { try AccessLogFormat("%NOT_A_COMMAND%") }
        #expect(throws: AccessLogFormat.ParseError.self) { try AccessLogFormat("%START_TIME") }
    }
}
