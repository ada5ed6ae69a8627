import ProxyCore
import XDSAPI

/// Envoy's RetryPolicy -> RetryPolicyConfig (data for the retry state machine).
enum RetryPolicyConverter {
    static let previousHosts = "envoy.retry_host_predicates.previous_hosts"
    static let previousPriorities = "envoy.retry_priorities.previous_priorities"

    static func convert(_ policy: Envoy_Config_Route_V3_RetryPolicy, _ scope: ConversionScope) throws(XDSConversionError) -> RetryPolicyConfig {
        let conditions: RetryPolicyConfig.Conditions
        switch RetryPolicyConfig.Conditions.parse(policy.retryOn) {
        case .success(let parsed): conditions = parsed
        case .failure(let unknown): throw scope.child("retry_on").error("unknown retry condition \"\(unknown.name)\"")
        }
        var config = RetryPolicyConfig(retryOn: conditions)
        if policy.hasNumRetries { config.numRetries = Int(policy.numRetries.value) }
        if policy.hasPerTryTimeout { config.perTryTimeoutNanos = ProtoValues.nanos(policy.perTryTimeout) }
        if policy.hasPerTryIdleTimeout { throw scope.child("per_try_idle_timeout").unsupported("a per-try idle timeout") }
        config.retriableStatusCodes = policy.retriableStatusCodes.map(Int.init)
        if policy.hostSelectionRetryMaxAttempts > 0 { config.hostSelectionRetryMaxAttempts = Int(policy.hostSelectionRetryMaxAttempts) }
        for (index, predicate) in policy.retryHostPredicate.enumerated() {
            guard predicate.name == previousHosts else {
                throw scope.index("retry_host_predicate", index).unsupported("retry host predicate \"\(predicate.name)\"")
            }
            config.avoidPreviousHosts = true
        }
        if policy.hasRetryPriority {
            guard policy.retryPriority.name == previousPriorities else {
                throw scope.child("retry_priority").unsupported("retry priority \"\(policy.retryPriority.name)\"")
            }
            config.previousPrioritiesUpdateFrequency = Self.updateFrequency(policy.retryPriority.typedConfig.value) ?? 0
        }
        if policy.hasRetryBackOff {
            let backoff = policy.retryBackOff
            if backoff.hasBaseInterval {
                config.backoffBaseNanos = ProtoValues.nanos(backoff.baseInterval)
                config.backoffMaxNanos = config.backoffBaseNanos * 10
            }
            if backoff.hasMaxInterval { config.backoffMaxNanos = ProtoValues.nanos(backoff.maxInterval) }
        }
        if policy.hasRateLimitedRetryBackOff { throw scope.child("rate_limited_retry_back_off").unsupported("rate-limited back-off") }
        if !policy.retriableHeaders.isEmpty { throw scope.child("retriable_headers").unsupported("retriable headers") }
        if !policy.retriableRequestHeaders.isEmpty { throw scope.child("retriable_request_headers").unsupported("retriable request headers") }
        return config
    }

    /// `update_frequency` (field 1, varint) of a PreviousPrioritiesConfig, read
    /// from the packed bytes.
    static func updateFrequency(_ bytes: some Collection<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        while let key = iterator.next() {
            guard key & 0x07 == 0 else { return nil }
            var value = 0
            var shift = 0
            while let byte = iterator.next() {
                value |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            if key >> 3 == 1 { return value }
        }
        return nil
    }
}
