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
