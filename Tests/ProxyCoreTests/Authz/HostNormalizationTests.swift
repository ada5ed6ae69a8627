import Testing
@testable import ProxyCore

@Suite struct HostNormalizationTests {
    static func apply(_ options: HostNormalization, _ host: String, port: Int = 8080) -> String? {
        Array(host.utf8).withUnsafeBytes { options.apply($0, listenerPort: port) }.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func envoysHostRules() {
        let dot = HostNormalization(stripTrailingDot: true)
        #expect(Self.apply(dot, "a.example.") == "a.example")
        #expect(Self.apply(dot, "a.example.:80") == "a.example:80")
        #expect(Self.apply(dot, "a.example") == nil)
        let matching = HostNormalization(stripPort: .matching)
        #expect(Self.apply(matching, "a:8080") == "a")
        #expect(Self.apply(matching, "a:9090") == nil)
        #expect(Self.apply(matching, "[::1]:8080") == "[::1]")
        #expect(Self.apply(matching, "[::1]") == nil)
        let any = HostNormalization(stripPort: .any, stripTrailingDot: true)
        #expect(Self.apply(any, "a.example.:9090") == "a.example")
        #expect(Self.apply(any, "a:x") == nil)
        #expect(Array("a:80".utf8).withUnsafeBytes { any.apply($0, listenerPort: 80, isConnect: true) } == nil)
    }
}
