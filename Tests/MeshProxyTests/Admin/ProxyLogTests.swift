import Testing
@testable import MeshProxy

/// Envoy's `/logging`: listing, `level=` for all loggers, `paths=` and `name=level`
/// for some, usage text for what is not understood. Serialized: levels are global.
@Suite(.serialized) struct ProxyLogTests {
    @Test func levelsChangeLikeEnvoys() {
        defer { ProxyLog.setLevel(.info) }
        ProxyLog.setLevel(.info)
        #expect(ProxyLog.listing().contains("  config: info\n"))
        #expect(!ProxyLog.enabled(.http, .debug))
        #expect(ProxyLog.apply(query: "level=debug")?.contains("  http: debug\n") == true)
        #expect(ProxyLog.enabled(.http, .debug))
        #expect(ProxyLog.apply(query: "paths=config:error,http:warning") != nil)
        #expect(ProxyLog.level(.config) == .error && ProxyLog.level(.http) == .warning && ProxyLog.level(.main) == .debug)
        #expect(ProxyLog.apply(query: "upstream=off") != nil)
        #expect(!ProxyLog.enabled(.upstream, .critical))
        #expect(ProxyLog.apply(query: "level=loud") == nil)
        #expect(ProxyLog.apply(query: "paths=nope:debug") == nil)
        #expect(ProxyLog.Level(name: "warn") == .warning)
    }
}
