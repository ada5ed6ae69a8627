import ProxyCore
import Testing

/// JSON access logs (Envoy's rendering: sorted keys, typed single commands, null
/// for missing values) and access-log filters including CEL expressions.
@Suite struct AccessLogJSONAndFilterTests {
    static func record(_ request: String, format: AccessLogFormat, code: Int = 404, flags: ResponseFlags = []) throws -> AccessLogRecord {
        let (bytes, head) = try AccessLogFormatterTests.head(request)
        var record = AccessLogRecord()
        record.reset(format: format)
        bytes.withUnsafeBytes { record.captureRequest($0, head: head, format: format) }
        record.responseCode = code
        record.flags = flags
        record.bytesSent = 2
        record.durationNanos = 3_400_000
        return record
    }

    /// The same line stock Envoy 1.40 wrote for this json_format (checked by hand).
    @Test func jsonLineMatchesEnvoys() throws {
        let format = try AccessLogFormat(json: [
            ("code", .string("%RESPONSE_CODE%")), ("zflags", .string("%RESPONSE_FLAGS%")), ("a_method", .string("%REQ(:METHOD)%")),
            ("mixed", .string("c=%RESPONSE_CODE%")), ("missing", .string("%REQ(x-nope)%")), ("dur", .string("%DURATION%")),
            ("nested", .object([("p", .string("%REQ(:PATH)%"))])), ("bytes", .string("%BYTES_SENT%")), ("lit", .string("hello")), ("num", .number(5)),
        ])
        let record = try Self.record("GET /x HTTP/1.1\r\nHost: a\r\n\r\n", format: format)
        #expect(AccessLogFormatterTests.line(record, format) ==
            #"{"a_method":"GET","bytes":2,"code":404,"dur":3,"lit":"hello","missing":null,"mixed":"c=404","nested":{"p":"/x"},"num":5,"zflags":"-"}"# + "\n")
    }

    @Test func jsonEscapesHeaderValues() throws {
        let format = try AccessLogFormat(json: [("ua", .string("%REQ(USER-AGENT)%"))])
        let record = try Self.record("GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: a\"b\\c\r\n\r\n", format: format)
        #expect(AccessLogFormatterTests.line(record, format) == #"{"ua":"a\"b\\c"}"# + "\n")
    }

    static func expression(_ text: String, _ format: inout AccessLogFormat) throws -> AccessLogFilter {
        var requested: [(String, Bool)] = []
        let parsed = try CELParser.parse(text) { name, response in
            requested.append((name, response))
            return requested.count - 1
        }
        let slots = requested.map { format.headerSlot($0.0, response: $0.1) }
        return .expression(parsed.remappedCapture(slots))
    }

    @Test(arguments: [
        ("response.code >= 400", true),
        ("response.code >= 500", false),
        ("response.code >= 400 && request.headers['x-debug'] == 'on'", true),
        ("request.headers['x-debug'] == 'off' || request.method == 'GET'", true),
        ("request.method in ['POST', 'PUT']", false),
        ("!(response.code == 404)", false),
        ("request.url_path == '/items' && request.path == '/items?id=3'", true),
        ("request.path.startsWith('/it') && request.host.endsWith(':9080')", true),
        ("request.headers['absent'] == 'x'", false),
        ("has(request.headers['absent']) || response.code == 404", true),
        ("request.duration > duration('2ms') && request.duration < duration('1s')", true),
        ("size(request.method) == 3 && response.size + 1 == 3", true),
        ("xds.cluster_name.contains('catalog')", false),
        ("response.code == 404 ? request.method == 'GET' : false", true),
    ])
    func celExpressions(_ text: String, _ expected: Bool) throws {
        var format = try AccessLogFormat("%RESPONSE_CODE%")
        let filter = try Self.expression(text, &format)
        let record = try Self.record("GET /items?id=3 HTTP/1.1\r\nHost: catalog:9080\r\nX-Debug: on\r\n\r\n", format: format)
        #expect(filter.admits(record, random: 0) == expected, "\(text)")
    }

    @Test(arguments: ["response.code >=", "request.nope == 1", "foo(1)", "'unterminated", "request.headers[x]"])
    func celErrorsNameTheProblem(_ text: String) {
        var format = try! AccessLogFormat("%RESPONSE_CODE%")
        #expect(throws: CELParseError.self) { try Self.expression(text, &format) }
    }

    @Test func structuralFilters() throws {
        let format = try AccessLogFormat("%RESPONSE_CODE%")
        let record = try Self.record("GET / HTTP/1.1\r\nHost: a\r\n\r\n", format: format, code: 503, flags: .noHealthyUpstream)
        #expect(AccessLogFilter.statusCode(.atLeast, 500).admits(record, random: 0))
        #expect(!AccessLogFilter.statusCode(.equal, 200).admits(record, random: 0))
        #expect(AccessLogFilter.duration(.atMost, 3).admits(record, random: 0))
        #expect(AccessLogFilter.responseFlags(nil).admits(record, random: 0))
        #expect(!AccessLogFilter.responseFlags(.faultInjected).admits(record, random: 0))
        #expect(AccessLogFilter.any([.statusCode(.equal, 200), .responseFlags(.noHealthyUpstream)]).admits(record, random: 0))
        #expect(!AccessLogFilter.all([.notHealthCheck, .statusCode(.equal, 200)]).admits(record, random: 0))
        #expect(AccessLogFilter.sampled(FractionalPercent(numerator: 50, denominator: 100)).admits(record, random: 10))
        #expect(!AccessLogFilter.sampled(FractionalPercent(numerator: 50, denominator: 100)).admits(record, random: 70))
    }

    /// Two logs of one connection manager share one capture table.
    @Test func logsShareHeaderSlots() throws {
        var second = try AccessLogFormat("%REQ(X-B)% %REQ(X-A)%")
        let filter = try Self.expression("request.headers['x-c'] == '3'", &second)
        let logs = AccessLogConfig.sharingHeaderSlots([
            AccessLogConfig(path: "/a", format: try AccessLogFormat("%REQ(X-A)%")),
            AccessLogConfig(path: "/b", format: second, filter: filter),
        ])
        let record = try Self.record("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\nX-C: 3\r\n\r\n", format: logs[0].format)
        #expect(AccessLogFormatterTests.line(record, logs[0].format) == "1")
        #expect(AccessLogFormatterTests.line(record, logs[1].format) == "2 1")
        #expect(logs[1].filter!.admits(record, random: 0))
    }
}
