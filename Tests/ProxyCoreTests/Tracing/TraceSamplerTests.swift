import ProxyCore
import Testing

/// Envoy's decision order: parent flag, request id reason, client / forced,
/// random, overall cap.
struct TraceSamplerTests {
    let exporter = OTLPExporterConfig(cluster: "c", authority: "a", path: "/v1/traces", serviceName: "s")

    func config(random: Double, overall: Double = 100) -> TracingConfig {
        TracingConfig(operation: .ingress, randomSampling: random, overallSampling: overall, exporter: exporter)
    }

    @Test func randomSamplingPercentages() {
        let rolls = (0..<10_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        func share(_ percent: Double) -> Int {
            rolls.filter { TraceSampler.sampled(.init(random: $0), config: config(random: percent)) }.count
        }
        #expect(share(0) == 0)
        #expect(share(100) == 10_000)
        #expect((2_200...2_800).contains(share(25)))
        #expect(rolls.allSatisfy { !TraceSampler.sampled(.init(forceTrace: true, random: $0), config: config(random: 100, overall: 0)) },
                "overall sampling caps every reason")
    }

    @Test func parentAndRequestIDDecideFirst() {
        let off = config(random: 0)
        #expect(TraceSampler.sampled(.init(parentSampled: true, random: 1), config: off))
        #expect(!TraceSampler.sampled(.init(parentSampled: false, requestIDReason: .sampling, random: 1), config: config(random: 100)))
        #expect(TraceSampler.reason(.init(requestIDReason: .sampling, random: 1), config: off) == .sampling)
        var ignoring = off
        ignoring.useRequestIDForTraceSampling = false
        #expect(TraceSampler.reason(.init(requestIDReason: .sampling, random: 1), config: ignoring) == .notTraceable)
        #expect(TraceSampler.reason(.init(hasClientTraceID: true, random: 1), config: off) == .client)
        #expect(TraceSampler.reason(.init(forceTrace: true, random: 1), config: off) == .forced)
    }

    @Test func requestIDReason() {
        func reason(_ id: String) -> TraceSampler.Reason? { Array(id.utf8).withUnsafeBytes { TraceSampler.reason(requestID: $0) } }
        #expect(reason("0d4c3a5e-0000-9000-8000-000000000000") == .sampling)
        #expect(reason("0d4c3a5e-0000-a000-8000-000000000000") == .forced)
        #expect(reason("0d4c3a5e-0000-b000-8000-000000000000") == .client)
        #expect(reason("0d4c3a5e-0000-4000-8000-000000000000") == .notTraceable)
        #expect(reason("not-a-uuid") == nil)
    }
}
