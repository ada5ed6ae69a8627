import Testing
@testable import ProxyCore

@Suite struct HTTP1ResponseParserTests {
    func parse(_ text: String, head requestWasHead: Bool = false) throws -> HTTP1ResponseHead? {
        var head = HTTP1ResponseHead()
        let complete = try Array(text.utf8).withUnsafeBytes { bytes throws(HTTPParseError) in
            try HTTP1ResponseParser().parse(bytes, requestWasHead: requestWasHead, into: &head)
        }
        return complete ? head : nil
    }

    @Test func framingRules() throws {
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")?.framing == .contentLength(5))
        #expect(try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")?.framing == .chunked)
        #expect(try parse("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n")?.framing == BodyFraming.none)
        #expect(try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", head: true)?.framing == BodyFraming.none)
        let untilClose = try parse("HTTP/1.1 200 OK\r\n\r\n")
        #expect(untilClose?.framing == .untilClose)
        #expect(untilClose?.willClose == true)
    }

    @Test func statusAndConnection() throws {
        let head = try parse("HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        #expect(head?.status == 404)
        #expect(head?.willClose == true)
        #expect(try parse("HTTP/1.1 100 Continue\r\n\r\n")?.isInformational == true)
        #expect(try parse("HTTP/1.1 200\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")?.willClose == true)
        #expect(throws: HTTPParseError.self) { try parse("HTTP/1.1 2x0 OK\r\n\r\n") }
    }
}
