import ProxyCore
import XDSAPI

/// `circuit_breakers`: the default-priority thresholds the proxy enforces
/// (max_connections and max_pending_requests on tcp_proxy connects, retries and
/// their budget on HTTP). HIGH-priority thresholds apply to nothing here (no route
/// asks for HIGH); limits the proxy would not apply are refused, not ignored.
extension ClusterConverter {
    static func thresholds(_ breakers: Envoy_Config_Cluster_V3_CircuitBreakers, _ scope: ConversionScope) throws(XDSConversionError) -> ClusterConfig.Thresholds {
        var result = ClusterConfig.Thresholds()
        if !breakers.perHostThresholds.isEmpty {
            throw scope.child("per_host_thresholds").unsupported("per-host circuit breakers")
        }
        for (index, threshold) in breakers.thresholds.enumerated() where threshold.priority == .default {
            let field = scope.index("thresholds", index)
            if threshold.hasMaxConnectionPools {
                throw field.child("max_connection_pools").unsupported("a limit on connection pools")
            }
            if threshold.hasMaxConnections { result.maxConnections = Int(threshold.maxConnections.value) }
            if threshold.hasMaxPendingRequests { result.maxPendingRequests = Int(threshold.maxPendingRequests.value) }
            if threshold.hasMaxRequests { result.maxRequests = Int(threshold.maxRequests.value) }
            if threshold.hasMaxRetries { result.maxRetries = Int(threshold.maxRetries.value) }
            if threshold.hasRetryBudget {
                // Envoy's defaults: 20 % of active and pending requests, at least 3.
                let budget = threshold.retryBudget
                let percent = budget.hasBudgetPercent ? budget.budgetPercent.value : 20
                guard (0...100).contains(percent) else { throw field.child("retry_budget.budget_percent").error("must be between 0 and 100") }
                result.retryBudget = .init(budgetPercent: percent,
                                           minRetryConcurrency: budget.hasMinRetryConcurrency ? Int(budget.minRetryConcurrency.value) : 3)
            }
        }
        return result
    }
}
