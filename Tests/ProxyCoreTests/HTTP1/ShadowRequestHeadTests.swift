import Testing
@testable import ProxyCore

@Suite struct ShadowRequestHeadTests {
    func shadow(_ head: String) -> String {
        let bytes = Array(head.utf8)
        return String(decoding: bytes.withUnsafeBytes { ShadowRequestHead.make(from: $0) }, as: UTF8.self)
    }

    @Test func theAuthorityGetsTheShadowSuffixBeforeThePort() {
        #expect(shadow("GET /a HTTP/1.1\r\nHost: reviews:9080\r\nx: host: y\r\n\r\n")
                    == "GET /a HTTP/1.1\r\nHost: reviews-shadow:9080\r\nx: host: y\r\n\r\n")
        #expect(shadow("POST / HTTP/1.1\r\ncontent-length: 2\r\nhost: reviews\r\n\r\n")
                    == "POST / HTTP/1.1\r\ncontent-length: 2\r\nhost: reviews-shadow\r\n\r\n")
    }

    @Test func anIPAuthorityIsSuffixedAtTheEnd() {
        #expect(ShadowRequestHead.shadowHost(Array("10.0.0.1:80".utf8)) == Array("10.0.0.1:80-shadow".utf8))
        #expect(ShadowRequestHead.shadowHost(Array("[::1]:80".utf8)) == Array("[::1]:80-shadow".utf8))
    }
}
