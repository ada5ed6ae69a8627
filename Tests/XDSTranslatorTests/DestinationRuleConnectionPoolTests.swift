import Testing
import XDSAPI
@testable import XDSTranslator

/// DestinationRule connectionPool and outlierDetection -> circuit breakers, upstream
/// HTTP protocol options and outlier detection, as Istio's `applyConnectionPool`,
/// `applyH2Upgrade` and `applyOutlierDetection` (cluster_traffic_policy.go).
@Suite struct DestinationRuleConnectionPoolTests {
    typealias F = TranslatorFixture
    let ratings = "outbound|9080||ratings.default.svc.cluster.local"
    static let unlimited = UInt32.max

    func cluster(_ spec: String) throws -> Envoy_Config_Cluster_V3_Cluster {
        try F.translate(F.ratingsDR(spec)).cluster(ratings)
    }

    @Test func defaultsAreUnlimitedBreakersAndTenSecondConnects() throws {
        let c = try F.translate("").cluster(ratings)
        let t = try #require(c.circuitBreakers.thresholds.first)
        #expect(c.circuitBreakers.thresholds.count == 1)
        #expect([t.maxConnections.value, t.maxPendingRequests.value, t.maxRequests.value, t.maxRetries.value] == Array(repeating: Self.unlimited, count: 4))
        #expect(t.trackRemaining)
        #expect(seconds(c.connectTimeout) == 10)
        #expect(!c.hasOutlierDetection)
    }

    @Test func tcpAndHTTPLimitsBecomeCircuitBreakers() throws {
        let c = try cluster("""
          trafficPolicy:
            connectionPool:
              tcp: {maxConnections: 100, connectTimeout: 30ms}
              http: {http1MaxPendingRequests: 10, http2MaxRequests: 1000, maxRetries: 3}
        """)
        let t = try #require(c.circuitBreakers.thresholds.first)
        #expect(t.maxConnections.value == 100)
        #expect(t.maxPendingRequests.value == 10)
        #expect(t.maxRequests.value == 1000)
        #expect(t.maxRetries.value == 3)
        #expect(t.trackRemaining)
        #expect(seconds(c.connectTimeout) == 0.03)
    }

    @Test func partialLimitsKeepTheOthersUnlimited() throws {
        let t = try #require(cluster("  trafficPolicy: {connectionPool: {http: {http2MaxRequests: 7}}}\n").circuitBreakers.thresholds.first)
        #expect(t.maxRequests.value == 7)
        #expect(t.maxConnections.value == Self.unlimited)
        #expect(t.maxPendingRequests.value == Self.unlimited)
        #expect(t.maxRetries.value == Self.unlimited)
    }

    @Test func maxRequestsPerConnectionAndIdleTimeout() throws {
        let c = try cluster("  trafficPolicy: {connectionPool: {http: {maxRequestsPerConnection: 1, idleTimeout: 15s}}}\n")
        let options = try Unpack.httpOptions(c)
        #expect(options.commonHTTPProtocolOptions.maxRequestsPerConnection.value == 1)
        #expect(seconds(options.commonHTTPProtocolOptions.idleTimeout) == 15)
        // Envoy requires an upstream protocol; plain HTTP/1.1 on an http port.
        #expect(options.explicitHTTPConfig.isHTTP1)
    }

    @Test func tcpIdleTimeoutAndMaxConnectionDuration() throws {
        // Istio: tcp.idleTimeout is the idle timeout unless http.idleTimeout is set;
        // tcp.maxConnectionDuration -> common_http_protocol_options.max_connection_duration.
        let c = try cluster("  trafficPolicy: {connectionPool: {tcp: {idleTimeout: 1h, maxConnectionDuration: 10m}}}\n")
        let options = try Unpack.httpOptions(c)
        #expect(seconds(options.commonHTTPProtocolOptions.idleTimeout) == 3600)
        #expect(seconds(options.commonHTTPProtocolOptions.maxConnectionDuration) == 600)
    }

    @Test func h2UpgradePolicyUpgradeSpeaksHTTP2Upstream() throws {
        let c = try cluster("  trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: UPGRADE}}}\n")
        let options = try Unpack.httpOptions(c)
        #expect(options.explicitHTTPConfig.isHTTP2)
        #expect(!options.explicitHTTPConfig.isHTTP1)
    }

    @Test func h2UpgradePolicyDoNotUpgradeKeepsHTTP1() throws {
        let c = try cluster("  trafficPolicy: {connectionPool: {http: {h2UpgradePolicy: DO_NOT_UPGRADE}}}\n")
        if let options = try Unpack.httpOptionsIfAny(c) {
            #expect(!options.explicitHTTPConfig.isHTTP2)
        }
    }

    @Test func useClientProtocolUsesTheDownstreamProtocol() throws {
        let c = try cluster("  trafficPolicy: {connectionPool: {http: {useClientProtocol: true, idleTimeout: 5s}}}\n")
        let options = try Unpack.httpOptions(c)
        #expect(options.useDownstreamProtocolConfig.hasHTTPProtocolOptions)
        #expect(options.useDownstreamProtocolConfig.hasHTTP2ProtocolOptions)
        #expect(seconds(options.commonHTTPProtocolOptions.idleTimeout) == 5)
    }

    @Test func outlierDetectionFields() throws {
        let c = try cluster("""
          trafficPolicy:
            outlierDetection:
              consecutive5xxErrors: 7
              consecutiveGatewayErrors: 2
              interval: 10s
              baseEjectionTime: 3m
              maxEjectionPercent: 40
        """)
        let o = c.outlierDetection
        #expect(o.consecutive5Xx.value == 7)
        #expect(o.enforcingConsecutive5Xx.value == 100)
        #expect(o.consecutiveGatewayFailure.value == 2)
        #expect(o.enforcingConsecutiveGatewayFailure.value == 100)
        #expect(seconds(o.interval) == 10)
        #expect(seconds(o.baseEjectionTime) == 180)
        #expect(o.maxEjectionPercent.value == 40)
    }

    @Test func zeroConsecutive5xxDisablesThatDetector() throws {
        let o = try cluster("  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 0, consecutiveGatewayErrors: 3}}\n").outlierDetection
        #expect(o.consecutive5Xx.value == 0)
        #expect(o.enforcingConsecutive5Xx.value == 0)
        #expect(o.consecutiveGatewayFailure.value == 3)
    }

    @Test func localOriginErrorsAreSplitWhenAsked() throws {
        let o = try cluster("  trafficPolicy: {outlierDetection: {splitExternalLocalOriginErrors: true, consecutiveLocalOriginFailures: 4}}\n").outlierDetection
        #expect(o.splitExternalLocalOriginErrors)
        #expect(o.consecutiveLocalOriginFailure.value == 4)
        #expect(o.enforcingConsecutiveLocalOriginFailure.value == 100)
    }

    @Test func outlierDetectionDisablesSuccessRateAndThePanicThreshold() throws {
        // Istio: enforcing_success_rate 0 always; healthy_panic_threshold = minHealthPercent (0 by default).
        let c = try cluster("  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 1, interval: 1s, baseEjectionTime: 30s}}\n")
        #expect(c.outlierDetection.hasEnforcingSuccessRate && c.outlierDetection.enforcingSuccessRate.value == 0)
        #expect(c.commonLbConfig.hasHealthyPanicThreshold && c.commonLbConfig.healthyPanicThreshold.value == 0)
    }

    @Test func unsetConsecutive5xxKeepsEnvoysDefaultDetector() throws {
        // Istio leaves consecutive_5xx unset (Envoy: 5, enforced 100 %) when the rule does not set it.
        let o = try cluster("  trafficPolicy: {outlierDetection: {interval: 1s, baseEjectionTime: 30s}}\n").outlierDetection
        #expect(seconds(o.interval) == 1)
        #expect(!o.hasEnforcingConsecutive5Xx || o.enforcingConsecutive5Xx.value == 100)
    }

    @Test func subsetInheritsTheTopLevelPoolAndOverridesItsOwn() throws {
        let resources = try F.translate(F.ratingsDR("""
          trafficPolicy:
            connectionPool: {tcp: {maxConnections: 10}}
            outlierDetection: {consecutive5xxErrors: 5}
          subsets:
          - name: v1
            labels: {version: v1}
          - name: canary
            labels: {version: v1}
            trafficPolicy:
              connectionPool: {tcp: {maxConnections: 1}}
        """))
        let v1 = try resources.cluster("outbound|9080|v1|ratings.default.svc.cluster.local")
        let canary = try resources.cluster("outbound|9080|canary|ratings.default.svc.cluster.local")
        #expect(v1.circuitBreakers.thresholds.first?.maxConnections.value == 10)
        #expect(v1.outlierDetection.consecutive5Xx.value == 5)
        #expect(canary.circuitBreakers.thresholds.first?.maxConnections.value == 1)
        #expect(canary.outlierDetection.consecutive5Xx.value == 5)
    }

    @Test func portLevelSettingsOverrideThePoolForTheirPort() throws {
        let resources = try F.translate("""
        apiVersion: v1
        kind: Service
        metadata: {name: multi, namespace: default}
        spec:
          ports: [{name: http, port: 8080}, {name: http-alt, port: 8081}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: multi, namespace: default}
        spec:
          host: multi
          trafficPolicy:
            connectionPool: {tcp: {maxConnections: 50}}
            portLevelSettings:
            - port: {number: 8081}
              connectionPool: {tcp: {maxConnections: 5}}
              outlierDetection: {consecutive5xxErrors: 2}
        """)
        let a = try resources.cluster("outbound|8080||multi.default.svc.cluster.local")
        let b = try resources.cluster("outbound|8081||multi.default.svc.cluster.local")
        #expect(a.circuitBreakers.thresholds.first?.maxConnections.value == 50)
        #expect(!a.hasOutlierDetection)
        #expect(b.circuitBreakers.thresholds.first?.maxConnections.value == 5)
        #expect(b.outlierDetection.consecutive5Xx.value == 2)
    }
}
