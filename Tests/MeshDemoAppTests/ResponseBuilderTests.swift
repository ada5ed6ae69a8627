import Testing
@testable import MeshDemoApp

@Suite struct ResponseBuilderTests {
    let builder = DemoResponseBuilder(service: "reviews", version: "v2", instance: "127.0.0.1:9080")

    func request(_ method: String = "GET", _ target: String, _ headers: [(String, String)] = []) -> DemoRequest {
        DemoRequest(method: method, target: target, headers: headers.map { (name: $0.0, value: $0.1) })
    }

    func request(_ target: String) -> DemoRequest { request("GET", target) }

    @Test func echoDocumentHasFieldsInOrder() throws {
        let calls: [JSONValue] = [DemoResponseBuilder.callError(url: "http://x/", message: "boom")]
        let document = builder.echoDocument(for: request("GET", "/reviews/0?u=1", [("X-Request-Id", "abc"), ("Host", "reviews:9080")]), calls: calls)
        #expect(document.encodedString == #"{"service":"reviews","version":"v2","instance":"127.0.0.1:9080","method":"GET","path":"/reviews/0?u=1","headers":{"host":"reviews:9080","x-request-id":"abc"},"calls":[{"url":"http://x/","error":"boom"}]}"#)
    }

    @Test func echoResponseHeaders() throws {
        let response = builder.echoResponse(for: request("/"), calls: [])
        #expect(response.status == 200)
        #expect(response.value(of: "content-type") == "application/json")
        #expect(response.value(of: "x-served-by") == "reviews-v2")
        #expect(response.value(of: "content-length") == String(response.body.count))
        #expect(try JSONParser.parse(response.body)["calls"] == .array([]))
    }

    @Test func repeatedHeadersAreJoined() {
        let object = DemoResponseBuilder.headersObject([(name: "Cookie", value: "a=1"), (name: "cookie", value: "b=2"), (name: "accept", value: "x"), (name: "Accept", value: "y")])
        #expect(object == .object([("accept", .string("x, y")), ("cookie", .string("a=1; b=2"))]))
    }

    @Test(arguments: [
        ("GET", "/healthz", DemoResponseBuilder.Route.health),
        ("HEAD", "/healthz?x=1", .health),
        ("POST", "/healthz", .echo(status: 200)),
        ("GET", "/healthz/more", .echo(status: 200)),
        ("GET", "/status/418", .echo(status: 418)),
        ("DELETE", "/status/503?q", .echo(status: 503)),
        ("GET", "/status/200/extra", .echo(status: 200)),
        ("GET", "/", .echo(status: 200)),
        ("GET", "/productpage", .echo(status: 200)),
    ])
    func routes(method: String, target: String, expected: DemoResponseBuilder.Route) {
        #expect(DemoResponseBuilder.route(for: request(method, target)) == expected)
    }

    @Test(arguments: ["/status/abc", "/status/99", "/status/600", "/status/", "/status/0418", "/status/-1"])
    func badStatusPaths(target: String) {
        guard case .badRequest = DemoResponseBuilder.route(for: request(target)) else {
            Issue.record("\(target) should be a bad request")
            return
        }
    }

    @Test func healthIsPlainOK() {
        let response = builder.healthResponse(for: request("/healthz"))
        #expect(response.status == 200)
        #expect(response.bodyText == "ok")
        #expect(response.value(of: "x-served-by") == "reviews-v2")
    }

    @Test func failureDocument() throws {
        let response = builder.failureResponse(for: request("GET", "/x"), status: 503)
        #expect(response.status == 503)
        let body = try JSONParser.parse(response.body)
        #expect(body["error"] == .string("injected failure"))
        #expect(body["status"]?.intValue == 503)
        #expect(body["service"] == .string("reviews"))
        #expect(body["path"] == .string("/x"))
    }

    @Test func noBodyFor204And304AndHead() {
        for status in [204, 304] {
            let response = builder.echoResponse(for: request("/status/\(status)"), calls: [], status: status)
            #expect(response.body.isEmpty)
            #expect(response.value(of: "content-length") == nil)
            #expect(response.value(of: "x-served-by") == "reviews-v2")
        }
        let head = builder.echoResponse(for: request("HEAD", "/"), calls: [])
        let get = builder.echoResponse(for: request("GET", "/"), calls: [])
        #expect(head.body.isEmpty)
        #expect(head.value(of: "content-length") != "0")
        #expect(Int(head.value(of: "content-length") ?? "")! == get.body.count + 1) // "HEAD" is one byte longer than "GET"
    }

    @Test func shouldFail() {
        #expect(!DemoResponseBuilder.shouldFail(roll: 0, ratio: 0))
        #expect(DemoResponseBuilder.shouldFail(roll: 0.999, ratio: 1))
        #expect(DemoResponseBuilder.shouldFail(roll: 0.29, ratio: 0.3))
        #expect(!DemoResponseBuilder.shouldFail(roll: 0.3, ratio: 0.3))
    }

    @Test func forwardedHeadersKeepOnlyTheListInOrder() {
        let incoming = request("GET", "/", [
            ("Cookie", "a=1"), ("X-Request-Id", "r1"), ("end-user", "jason"), ("x-other", "no"),
            ("traceparent", "00-abc-def-01"), ("cookie", "b=2"), ("content-length", "0"), ("host", "h"),
        ])
        let forwarded = DemoResponseBuilder.forwardedHeaders(from: incoming)
        #expect(forwarded.map(\.name) == ["x-request-id", "traceparent", "end-user", "cookie", "cookie"])
        #expect(forwarded.map(\.value) == ["r1", "00-abc-def-01", "jason", "a=1", "b=2"])
    }

    @Test func callResultParsesJSONOnlyWhenTheCalleeSaysJSON() {
        let json = DemoResponseBuilder.callResult(url: "u", status: 200, contentType: "application/json; charset=utf-8", body: Array(#"{"a":[1,2.5e3,true,null]}"#.utf8))
        #expect(json["body"]?["a"] == .array([.number("1"), .number("2.5e3"), .bool(true), .null]))
        #expect(json["status"]?.intValue == 200)
        let text = DemoResponseBuilder.callResult(url: "u", status: 503, contentType: "text/plain", body: Array("no healthy upstream".utf8))
        #expect(text["body"] == .string("no healthy upstream"))
        let broken = DemoResponseBuilder.callResult(url: "u", status: 200, contentType: "application/json", body: Array("{oops".utf8))
        #expect(broken["body"] == .string("{oops"))
    }
}
