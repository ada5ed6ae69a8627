import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// `circuit_breakers`: the default priority's thresholds as Istio sets them, a
/// retry budget, and the limits the proxy would not apply refused by name.
@Suite struct CircuitBreakerConversionTests {
    typealias Thresholds = Envoy_Config_Cluster_V3_CircuitBreakers.Thresholds

    static func convert(_ thresholds: [Thresholds], perHost: [Thresholds] = []) throws -> ClusterConfig.Thresholds {
        var cluster = XDSFixtures.edsCluster("c")
        var breakers = Envoy_Config_Cluster_V3_CircuitBreakers()
        breakers.thresholds = thresholds
        breakers.perHostThresholds = perHost
        cluster.circuitBreakers = breakers
        var warnings = ConversionWarnings()
        return try ClusterConverter.convert(cluster, warnings: &warnings).0.thresholds
    }

    @Test func istiosThresholdsAreTakenAndHighPriorityIsNot() throws {
        var istio = Thresholds()
        istio.maxConnections = Google_Protobuf_UInt32Value(1)
        istio.maxPendingRequests = Google_Protobuf_UInt32Value(2)
        istio.maxRequests = Google_Protobuf_UInt32Value(3)
        istio.maxRetries = Google_Protobuf_UInt32Value(4)
        istio.trackRemaining = true
        var high = Thresholds()
        high.priority = .high
        high.maxConnections = Google_Protobuf_UInt32Value(9)
        let result = try Self.convert([istio, high])
        #expect([result.maxConnections, result.maxPendingRequests, result.maxRequests, result.maxRetries] == [1, 2, 3, 4])
        #expect(result.retryBudget == nil)
        #expect(try Self.convert([]) == ClusterConfig.Thresholds())
    }

    @Test func aRetryBudgetWithEnvoysDefaults() throws {
        var threshold = Thresholds()
        threshold.retryBudget = Thresholds.RetryBudget()
        #expect(try Self.convert([threshold]).retryBudget == .init(budgetPercent: 20, minRetryConcurrency: 3))
        var percent = Envoy_Type_V3_Percent()
        percent.value = 50
        threshold.retryBudget.budgetPercent = percent
        threshold.retryBudget.minRetryConcurrency = Google_Protobuf_UInt32Value(1)
        #expect(try Self.convert([threshold]).retryBudget == .init(budgetPercent: 50, minRetryConcurrency: 1))
        percent.value = 150
        threshold.retryBudget.budgetPercent = percent
        #expect(throws: XDSConversionError(resource: "Cluster c", field: "circuit_breakers.thresholds[0].retry_budget.budget_percent",
                                           reason: "must be between 0 and 100")) {
            try Self.convert([threshold])
        }
    }

    @Test func limitsTheProxyWouldNotApplyAreNACKed() throws {
        var perHost = Thresholds()
        perHost.maxConnections = Google_Protobuf_UInt32Value(1)
        #expect(throws: XDSConversionError(resource: "Cluster c", field: "circuit_breakers.per_host_thresholds",
                                           reason: "per-host circuit breakers is not supported by this proxy")) {
            try Self.convert([], perHost: [perHost])
        }
        var pools = Thresholds()
        pools.maxConnectionPools = Google_Protobuf_UInt32Value(1)
        #expect(throws: XDSConversionError(resource: "Cluster c", field: "circuit_breakers.thresholds[0].max_connection_pools",
                                           reason: "a limit on connection pools is not supported by this proxy")) {
            try Self.convert([pools])
        }
    }
}
