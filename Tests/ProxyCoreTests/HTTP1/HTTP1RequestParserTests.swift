import Testing
@testable import ProxyCore

@Suite struct HTTP1RequestParserTests {
    func parse(_ text: String, parser: HTTP1RequestParser = HTTP1RequestParser()) throws -> (HTTP1RequestHead, Bool, [UInt8]) {
        let bytes = Array(text.utf8)
        var head = HTTP1RequestHead()
        let complete = try bytes.withUnsafeBytes { buffer throws(HTTPParseError) in try parser.parse(buffer, into: &head) }
        return (head, complete, bytes)
    }

    func text(_ span: ByteSpan, _ bytes: [UInt8]) -> String {
        String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self)
    }

    @Test func parsesSimpleGet() throws {
        let request = "GET /a/b?x=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n"
        let (head, complete, bytes) = try parse(request)
        #expect(complete)
        #expect(head.length == request.utf8.count)
        #expect(text(head.method, bytes) == "GET")
        #expect(text(head.path, bytes) == "/a/b?x=1")
        #expect(text(head.authority, bytes) == "example.com")
        #expect(head.version == .http11)
        #expect(head.fields.count == 2)
        #expect(head.fields[0].kind == .host)
        #expect(text(head.fields[1].value, bytes) == "t")
        #expect(head.framing == .none)
        #expect(!head.wantsClose)
    }

    @Test func incompleteHeadNeedsMore() throws {
        let (_, complete, _) = try parse("GET / HTTP/1.1\r\nHost: a\r\n")
        #expect(!complete)
    }

    @Test func contentLengthAndChunkedFraming() throws {
        #expect(try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n\r\n").0.framing == .contentLength(12))
        #expect(try parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n").0.framing == .chunked)
        #expect(try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n").0.framing == .none)
    }

    @Test func rejectsSmugglingShapes() {
        #expect(throws: HTTPParseError.badRequest("content-length with transfer-encoding")) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        }
        #expect(throws: HTTPParseError.badRequest("conflicting content-length")) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n")
        }
        #expect(throws: HTTPParseError.badRequest("obs-fold")) {
            try parse("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n")
        }
        #expect(throws: HTTPParseError.badRequest("invalid header name")) {
            try parse("GET / HTTP/1.1\r\nHost : a\r\n\r\n")
        }
        #expect(throws: HTTPParseError.notImplemented("unsupported transfer encoding")) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n")
        }
    }

    @Test func rejectsMalformedRequestLines() {
        for bad in ["GET\r\n\r\n", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", "GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n"] {
            #expect(throws: HTTPParseError.self) { try parse(bad) }
        }
    }

    @Test func requiresHostOnHTTP11Only() throws {
        #expect(throws: HTTPParseError.badRequest("missing host header")) { try parse("GET / HTTP/1.1\r\n\r\n") }
        let (head, complete, _) = try parse("GET / HTTP/1.0\r\n\r\n")
        #expect(complete && head.wantsClose && head.version == .http10)
        #expect(try !parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").0.wantsClose)
        #expect(try parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n").0.wantsClose)
    }

    @Test func headersTooLargeIs431() {
        let parser = HTTP1RequestParser(maxHeadBytes: 64)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + String(repeating: "x", count: 100) + "\r\n\r\n"
        #expect(throws: HTTPParseError.headersTooLarge) { try parse(big, parser: parser) }
        // Even before the head is complete.
        #expect(throws: HTTPParseError.headersTooLarge) { try parse(String(repeating: "x", count: 100), parser: parser) }
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(throws: HTTPParseError.headersTooLarge) { try parse(many) }
    }

    @Test func absoluteFormTakesAuthorityFromTarget() throws {
        let (head, _, bytes) = try parse("GET http://Svc.NS:9080/p?q HTTP/1.1\r\nHost: other\r\n\r\n")
        #expect(head.absoluteForm)
        #expect(text(head.authority, bytes) == "Svc.NS:9080")
        #expect(text(head.path, bytes) == "/p?q")
    }

    @Test func expectContinueAndRequestIDFlags() throws {
        let (head, _, _) = try parse("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nX-Request-Id: r\r\nContent-Length: 1\r\n\r\n")
        #expect(head.expectsContinue)
        #expect(head.hasRequestID)
        #expect(head.fields.map(\.kind) == [.host, .expect, .xRequestID, .contentLength])
    }

    @Test func toleratesBareLFAndLeadingBlankLines() throws {
        let (head, complete, bytes) = try parse("\r\nGET / HTTP/1.1\nHost: a\n\n")
        #expect(complete)
        #expect(head.skipped == 2)
        #expect(text(head.authority, bytes) == "a")
    }
}
