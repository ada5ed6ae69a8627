import MeshCore
import Testing
@testable import MeshDemoApp

@Suite struct OptionsTests {
    @Test func parsesAll() throws {
        let options = try DemoAppOptions(
            service: "reviews", version: "v1", listen: "127.0.0.1:9080", instance: "pod-1",
            calls: ["http://127.0.0.1:9081/ratings?x=1", "http://ratings"], delay: "1.5s", failRatio: 0.3, failStatus: 500, dead: false
        )
        #expect(options.listen == DemoListenAddress(host: "127.0.0.1", port: 9080))
        #expect(options.instance == "pod-1")
        #expect(options.delayNanoseconds == 1_500_000_000)
        #expect(options.calls.map(\.pathAndQuery) == ["/ratings?x=1", "/"])
        #expect(options.calls[1].port == 80)
        #expect(options.servedBy == "reviews-v1")
    }

    @Test func defaultInstanceIsTheBoundAddress() throws {
        let options = try DemoAppOptions(service: "a", version: "v1", listen: "127.0.0.1:0")
        #expect(options.instance == nil)
    }

    @Test(arguments: [
        ("127.0.0.1:9080", "127.0.0.1", 9080), ("[::1]:80", "::1", 80), ("localhost:0", "localhost", 0), ("0.0.0.0:65535", "0.0.0.0", 65535),
    ])
    func listenAddresses(text: String, host: String, port: Int) throws {
        let address = try DemoListenAddress(parsing: text)
        #expect(address.host == host && address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: ["9080", ":9080", "127.0.0.1:", "127.0.0.1:99999", "::1:80", "[::1]80", "host:x", "host:+1"])
    func badListenAddresses(text: String) {
        #expect(throws: DemoOptionError.self) { try DemoListenAddress(parsing: text) }
    }

    @Test func callURLs() throws {
        let v6 = try DemoCallURL(parsing: "http://[::1]:9080/a/b?c=d#frag")
        #expect(v6.host == "::1" && v6.port == 9080 && v6.authority == "[::1]:9080" && v6.pathAndQuery == "/a/b?c=d")
        let bare = try DemoCallURL(parsing: "http://details.default:9080?x")
        #expect(bare.host == "details.default" && bare.pathAndQuery == "/?x" && bare.authority == "details.default:9080")
    }

    @Test(arguments: ["https://a/", "ftp://a", "http://", "http:///x", "http://a:b/", "http://u@a/", "127.0.0.1:9080/x"])
    func badCallURLs(text: String) {
        #expect(throws: DemoOptionError.self) { try DemoCallURL(parsing: text) }
    }

    @Test func rejectsBadValues() {
        #expect(throws: DemoOptionError.self) { try DemoAppOptions(service: "a", version: "v1", listen: "127.0.0.1:1", delay: "5") }
        #expect(throws: DemoOptionError.self) { try DemoAppOptions(service: "a", version: "v1", listen: "127.0.0.1:1", delay: "-1s") }
        #expect(throws: DemoOptionError.self) { try DemoAppOptions(service: "a", version: "v1", listen: "127.0.0.1:1", failRatio: 1.5) }
        #expect(throws: DemoOptionError.self) { try DemoAppOptions(service: "a", version: "v1", listen: "127.0.0.1:1", failStatus: 99) }
        #expect(throws: DemoOptionError.self) { try DemoAppOptions(service: "", version: "v1", listen: "127.0.0.1:1") }
    }

    @Test func protocolDetection() {
        let preface = DemoProtocolDetector.http2Preface
        #expect(DemoProtocolDetector.detect(preface) == .http2)
        #expect(DemoProtocolDetector.detect(preface + [0, 0, 0]) == .http2)
        #expect(DemoProtocolDetector.detect(preface.prefix(10)) == nil)
        #expect(DemoProtocolDetector.detect([UInt8]()) == nil)
        #expect(DemoProtocolDetector.detect(Array("GET / HTTP/1.1\r\n".utf8)) == .http1)
        #expect(DemoProtocolDetector.detect(Array("PRI * HTTP/1.1".utf8)) == .http1)
        #expect(DemoProtocolDetector.detect(Array("P".utf8)) == nil)
    }
}
