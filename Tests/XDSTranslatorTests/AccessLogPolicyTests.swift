import Testing
import XDSAPI
@testable import XDSTranslator

/// Istio's Telemetry API decides where access logs are written: the most specific
/// Telemetry wins; `disabled` and `match.mode` per side; no Telemetry: the mesh default.
struct AccessLogPolicyTests {
    typealias F = TranslatorFixture
    let reviews = F.sidecar("10.0.0.11", name: "reviews-v1", labels: ["app": "reviews", "version": "v1"])

    func telemetry(_ name: String, namespace: String = "default", selector: String? = nil, _ logging: String) -> String {
        """
        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
        \(selector.map { "  selector: {matchLabels: {app: \($0)}}\n" } ?? "")  accessLogging:
        \(logging)
        """
    }

    /// (outbound logs, inbound logs) for the reviews sidecar.
    func logs(_ yaml: String) throws -> (Bool, Bool) {
        let resources = try F.translate(yaml, proxy: reviews)
        let outbound = try resources.listener("0.0.0.0_9080")
        let inbound = try resources.listener("virtualInbound")
        let chain = try #require(inbound.filterChains.first { $0.filterChainMatch.destinationPort.value == 9080 })
        return (!(try Unpack.hcm(outbound.filterChains[0].filters[0]).accessLog.isEmpty),
                !(try Unpack.hcm(chain.filters[0]).accessLog.isEmpty))
    }

    @Test func meshDefaultThenNamespaceThenWorkload() throws {
        #expect(try logs("") == (true, true), "no Telemetry: the mesh default (on)")
        let off = telemetry("logs-off", "  - disabled: true")
        #expect(try logs(off) == (false, false))
        let workloadOn = telemetry("reviews", selector: "reviews", "  - providers: [{name: envoy}]")
        #expect(try logs(off + "\n" + workloadOn) == (true, true), "the workload's Telemetry beats the namespace's")
        let rootOff = telemetry("mesh", namespace: "istio-system", "  - disabled: true")
        #expect(try logs(rootOff) == (false, false), "the root namespace's applies mesh-wide")
    }

    @Test func modeLimitsTheSide() throws {
        #expect(try logs(telemetry("server", "  - match: {mode: SERVER}\n    providers: [{name: envoy}]\n  - match: {mode: CLIENT}\n    disabled: true")) == (false, true))
        #expect(try logs(telemetry("client", "  - match: {mode: CLIENT}\n    providers: [{name: envoy}]\n  - match: {mode: SERVER}\n    disabled: true")) == (true, false))
    }
}

/// Providers and formats: `envoyFileAccessLog` extension providers (text and JSON
/// labels), `filter.expression` as Envoy's CEL filter, MeshConfig defaults.
struct AccessLogProviderTests {
    typealias F = TranslatorFixture
    let reviews = F.sidecar("10.0.0.11", name: "reviews-v1", labels: ["app": "reviews", "version": "v1"])

    static let mesh = """
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: istio, namespace: istio-system}
    data:
      mesh: |
        extensionProviders:
        - name: json-file
          envoyFileAccessLog:
            path: /tmp/json.log
            logFormat: {labels: {code: "%RESPONSE_CODE%", path: "%REQ(:PATH)%"}}
        - name: text-file
          envoyFileAccessLog: {path: /tmp/text.log, logFormat: {text: "%RESPONSE_CODE% %REQ(:PATH)%"}}
    """

    func outboundLogs(_ yaml: String) throws -> [Envoy_Config_Accesslog_V3_AccessLog] {
        let resources = try F.translate(yaml, proxy: reviews)
        return try Unpack.hcm(try resources.listener("0.0.0.0_9080").filterChains[0].filters[0]).accessLog
    }

    func file(_ log: Envoy_Config_Accesslog_V3_AccessLog) throws -> Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog {
        try Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog(unpackingAny: log.typedConfig)
    }

    @Test func providersWithFormatsAndFilter() throws {
        let logs = try outboundLogs(Self.mesh + """

        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: logs, namespace: istio-system}
        spec:
          accessLogging:
          - providers: [{name: json-file}, {name: text-file}]
            filter: {expression: "response.code >= 400"}
        """)
        #expect(logs.count == 2)
        let json = try file(logs[0])
        #expect(json.path == "/tmp/json.log")
        #expect(json.logFormat.jsonFormat.fields["code"]?.stringValue == "%RESPONSE_CODE%")
        let text = try file(logs[1])
        #expect(text.logFormat.textFormatSource.inlineString == "%RESPONSE_CODE% %REQ(:PATH)%\n")
        for log in logs {
            #expect(log.filter.extensionFilter.name == "envoy.access_loggers.extension_filters.cel")
            let cel = try Envoy_Extensions_AccessLoggers_Filters_Cel_V3_ExpressionFilter(unpackingAny: log.filter.extensionFilter.typedConfig)
            #expect(cel.expression == "response.code >= 400")
        }
    }

    @Test func meshConfigDefaults() throws {
        let defaults = Self.mesh + "\n    defaultProviders: {accessLogging: [text-file]}"
        #expect(try outboundLogs(defaults).map { try file($0).path } == ["/tmp/text.log"], "defaultProviders without Telemetry")
        let jsonFile = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            accessLogFile: /dev/stdout
            accessLogEncoding: JSON
        """
        let log = try #require(try outboundLogs(jsonFile).first)
        #expect(try file(log).logFormat.jsonFormat.fields["response_code"]?.stringValue == "%RESPONSE_CODE%")
        let off = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: 'accessLogFile: \"\"'"
        #expect(try outboundLogs(off).isEmpty, "an empty accessLogFile turns the default log off")
    }
}
