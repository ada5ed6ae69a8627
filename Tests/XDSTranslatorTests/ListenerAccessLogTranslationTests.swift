import MeshConfig
import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// As Istio's `setListenerAccessLog`: virtualOutbound (client side), virtualInbound
/// and inbound listeners bound to a port (server side) and every gateway listener
/// carry the chains' logs of their side on `Listener.access_log`, each behind a
/// response flag filter on NR (and a Telemetry CEL filter under an and_filter);
/// the per-port outbound listeners carry none; MeshConfig `disableEnvoyListenerLog`
/// removes them all.
@Suite struct ListenerAccessLogTranslationTests {
    typealias F = TranslatorFixture
    typealias AccessLog = Envoy_Config_Accesslog_V3_AccessLog

    func telemetry(_ rules: String) -> String {
        "\n---\napiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata: {name: logs, namespace: istio-system}\nspec:\n  accessLogging:\n" + rules
    }

    func mesh(_ settings: String) -> String {
        "\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n" + settings
    }

    /// The log without its filter, and its filter.
    func split(_ log: AccessLog) -> (AccessLog, Envoy_Config_Accesslog_V3_AccessLogFilter) {
        var bare = log
        bare.clearFilter()
        return (bare, log.filter)
    }

    func isNoFilterChain(_ filter: Envoy_Config_Accesslog_V3_AccessLogFilter) -> Bool {
        filter.responseFlagFilter.flags == ["NR"]
    }

    @Test func virtualListenersLogWhatNoChainTakesWithTheChainsLog() throws {
        let resources = try F.translate(F.dbService)
        let outbound = try resources.listener("virtualOutbound").accessLog
        #expect(outbound.count == 1)
        let (bare, filter) = split(try #require(outbound.first))
        #expect(isNoFilterChain(filter))
        let chainLog = try Unpack.tcpProxy(try #require(resources.listener("virtualOutbound").filterChains.first?.filters.last)).accessLog
        #expect([bare] == chainLog, "the same logger, path and format as the chains")
        let inbound = try resources.listener("virtualInbound").accessLog
        #expect(inbound.count == 1)
        #expect(isNoFilterChain(try #require(inbound.first).filter))
        for listener in resources.listeners where !listener.name.hasPrefix("virtual") {
            #expect(listener.accessLog.isEmpty, "\(listener.name): Istio puts none on per-port outbound listeners")
        }
    }

    @Test func telemetryFilterAndModeApply() throws {
        let filtered = try F.translate(F.dbService + telemetry("  - providers: [{name: envoy}]\n    filter: {expression: \"response.code >= 400\"}\n"))
        let log = try #require(try filtered.listener("virtualOutbound").accessLog.first)
        let both = log.filter.andFilter.filters
        #expect(both.count == 2)
        #expect(isNoFilterChain(try #require(both.first)), "NR first, as istiod orders them")
        #expect(both.last?.extensionFilter.name == AccessLogBuilder.celFilterName)

        let serverOnly = try F.translate(F.dbService + telemetry("  - match: {mode: SERVER}\n    providers: [{name: envoy}]\n  - match: {mode: CLIENT}\n    disabled: true\n"))
        #expect(try serverOnly.listener("virtualOutbound").accessLog.isEmpty)
        #expect(try serverOnly.listener("virtualInbound").accessLog.count == 1)
    }

    @Test func meshConfigEncodingAndSwitch() throws {
        let json = try F.translate(F.dbService + mesh("    accessLogFile: /tmp/mesh.log\n    accessLogEncoding: JSON\n"))
        let log = try #require(try json.listener("virtualInbound").accessLog.first)
        let file = try Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog(unpackingAny: log.typedConfig)
        #expect(file.path == "/tmp/mesh.log")
        #expect(file.logFormat.jsonFormat.fields["response_flags"]?.stringValue == "%RESPONSE_FLAGS%")
        #expect(isNoFilterChain(log.filter))

        let off = try F.translate(F.dbService + mesh("    disableEnvoyListenerLog: true\n"))
        #expect(off.listeners.allSatisfy { $0.accessLog.isEmpty })
        #expect(try !Unpack.tcpProxy(try #require(off.listener("virtualOutbound").filterChains.first?.filters.last)).accessLog.isEmpty,
                "the chains keep logging")
        let none = try F.translate(F.dbService + mesh("    accessLogFile: \"\"\n"))
        #expect(none.listeners.allSatisfy { $0.accessLog.isEmpty })
    }

    @Test func boundInboundListenerLogs() throws {
        let resources = F.resources(F.captureNoneSidecar(), proxy: F.reviews)
        #expect(try resources.listener("10.0.0.11_19080").accessLog.count == 1)
        #expect(try resources.listener("10.0.0.11_9080").accessLog.isEmpty, "an outbound listener bound to a port carries none")
    }

    @Test func everyGatewayListenerLogs() throws {
        let resources = try F.translate("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["*"]
          - port: {number: 443, name: tls, protocol: TLS}
            hosts: ["a.example.com"]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tls, namespace: default}
        spec:
          hosts: ["a.example.com"]
          gateways: [istio-system/public]
          tls:
          - match: [{port: 443, sniHosts: [a.example.com]}]
            route: [{destination: {host: reviews, port: {number: 9080}}}]
        """, proxy: F.gateway())
        #expect(resources.listeners.count == 2)
        for listener in resources.listeners {
            #expect(listener.accessLog.count == 1, "\(listener.name)")
            #expect(isNoFilterChain(try #require(listener.accessLog.first).filter))
        }
    }
}
