import Testing
@testable import ProxyCore

@Suite struct HTTP1HeadRewriteTests {
    static func parse(_ text: String, strict: Bool = true) throws -> (HTTP1RequestHead, [UInt8]) {
        let bytes = Array(text.utf8)
        var head = HTTP1RequestHead()
        _ = try bytes.withUnsafeBytes { try HTTP1RequestParser(knownMethodsOnly: strict).parse($0, into: &head) }
        return (head, bytes)
    }

    @Test func pathIsReplacedAndTheRestKept() throws {
        let (head, bytes) = try Self.parse("GET /a/../b?q HTTP/1.1\r\nHost: h\r\n\r\nbody")
        let out = bytes.withUnsafeBytes { HTTP1HeadRewrite.replacingPath($0, head: head, with: Array("/b?q".utf8)) }
        #expect(String(decoding: out, as: UTF8.self) == "GET /b?q HTTP/1.1\r\nHost: h\r\n\r\nbody")
    }

    @Test func repeatedHostsAreJoinedIntoTheFirst() throws {
        let (head, bytes) = try Self.parse("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\nhost: b\r\n\r\n")
        #expect(head.repeatedHost)
        let out = bytes.withUnsafeBytes { HTTP1HeadRewrite.joiningHosts($0, head: head) }
        #expect(String(decoding: out, as: UTF8.self) == "GET / HTTP/1.1\r\nhost: a,b\r\nX: 1\r\n\r\n")
        let (again, _) = try Self.parse(String(decoding: out, as: UTF8.self))
        #expect(!again.repeatedHost)
    }

    @Test func onlyEnvoysMethodsOnHTTP1() throws {
        for bad in ["delete", "DELete", "FOO", "M-SEARCH", "PRI"] {
            #expect(throws: HTTPParseError.badRequest("invalid method"), "\(bad)") { try Self.parse("\(bad) / HTTP/1.1\r\nHost: h\r\n\r\n") }
        }
        for good in ["GET", "DELETE", "PROPFIND", "MSEARCH", "PURGE"] {
            #expect(throws: Never.self) { try Self.parse("\(good) / HTTP/1.1\r\nHost: h\r\n\r\n") }
        }
        // Heads that did not come from an HTTP/1 client are not held to the list.
        #expect(throws: Never.self) { try Self.parse("FOO / HTTP/1.1\r\nHost: h\r\n\r\n", strict: false) }
    }

    @Test func asteriskFormIsForOptionsOnly() throws {
        #expect(throws: Never.self) { try Self.parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n") }
        #expect(throws: HTTPParseError.badRequest("invalid target")) { try Self.parse("GET * HTTP/1.1\r\nHost: h\r\n\r\n") }
    }
}
