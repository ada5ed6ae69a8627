import MeshConfig
import MeshCore
import XDSAPI

/// The forwarding part of a route: destinations and weights, timeout, retries,
/// rewrites, mirrors and consistent-hash policies.
struct RouteActionTranslator {
    let context: RouteContext
    let vsNamespace: String

    /// Istio's default when a route sets no retries.
    static let defaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"

    func action(_ rule: HTTPRoute) -> Envoy_Config_Route_V3_RouteAction {
        var action = Envoy_Config_Route_V3_RouteAction()
        let destinations = rule.route ?? []
        if destinations.count == 1, let destination = destinations[0].destination {
            // Istio: one destination is a plain `cluster`; its headers go on the route.
            action.cluster = context.clusterName(for: destination, from: vsNamespace)
        } else {
            var weighted = Envoy_Config_Route_V3_WeightedCluster()
            weighted.clusters = destinations.compactMap { target -> Envoy_Config_Route_V3_WeightedCluster.ClusterWeight? in
                guard let destination = target.destination else { return nil }
                let weight = target.weight ?? 0
                guard weight > 0 else { return nil }
                var cluster = Envoy_Config_Route_V3_WeightedCluster.ClusterWeight()
                cluster.name = context.clusterName(for: destination, from: vsNamespace)
                cluster.weight = Proto.uint32(weight)
                HeaderOperations.apply(target.headers, to: &cluster)
                return cluster
            }
            action.weightedClusters = weighted
        }
        // Istio disables Envoy's 15 s default: no timeout unless the route sets one.
        action.timeout = Proto.duration(nanoseconds: rule.timeout.flatMap { try? GoDuration.parse($0) } ?? 0)
        let hash = hashPolicies(for: destinations.first?.destination)
        if let hash { action.hashPolicy = hash }
        if let policy = retryPolicy(rule.retries, consistentHash: hash != nil) { action.retryPolicy = policy }
        applyRewrite(rule.rewrite, to: &action)
        action.requestMirrorPolicies = mirrors(rule)
        return action
    }

    /// Istio's `retry.ConvertPolicy`: retries elsewhere prefer hosts not yet tried
    /// (previous_hosts), except under consistent hashing, which must stay on its
    /// host; `retryIgnorePreviousHosts` decides when set.
    func retryPolicy(_ retries: HTTPRetry?, consistentHash: Bool) -> Envoy_Config_Route_V3_RetryPolicy? {
        let attempts = retries?.attempts ?? 2
        guard attempts > 0 else { return nil }
        var policy = Envoy_Config_Route_V3_RetryPolicy()
        policy.numRetries = Proto.uint32(attempts)
        var retryOn = retries?.retryOn ?? Self.defaultRetryOn
        var codes: [UInt32] = []
        var conditions: [String] = []
        for token in retryOn.split(separator: ",").map(String.init) {
            if let code = UInt32(token) { codes.append(code) } else { conditions.append(token) }
        }
        if retries?.retryOn == nil { codes = [503] }
        if !codes.isEmpty && !conditions.contains("retriable-status-codes") { conditions.append("retriable-status-codes") }
        retryOn = conditions.joined(separator: ",")
        policy.retryOn = retryOn
        policy.retriableStatusCodes = codes
        if let perTry = retries?.perTryTimeout, let value = try? GoDuration.parse(perTry) { policy.perTryTimeout = Proto.duration(nanoseconds: value) }
        if retries?.retryIgnorePreviousHosts ?? !consistentHash {
            var predicate = Envoy_Config_Route_V3_RetryPolicy.RetryHostPredicate()
            predicate.name = "envoy.retry_host_predicates.previous_hosts"
            predicate.typedConfig = Proto.any(Envoy_Extensions_Retry_Host_PreviousHosts_V3_PreviousHostsPredicate())
            policy.retryHostPredicate = [predicate]
        }
        policy.hostSelectionRetryMaxAttempts = 5
        if retries?.retryRemoteLocalities == true {
            // Istio: after two attempts in a priority (locality), move to the next one.
            var config = Envoy_Extensions_Retry_Priority_PreviousPriorities_V3_PreviousPrioritiesConfig()
            config.updateFrequency = 2
            var priority = Envoy_Config_Route_V3_RetryPolicy.RetryPriority()
            priority.name = "envoy.retry_priorities.previous_priorities"
            priority.typedConfig = Proto.any(config)
            policy.retryPriority = priority
        }
        return policy
    }

    func applyRewrite(_ rewrite: HTTPRewrite?, to action: inout Envoy_Config_Route_V3_RouteAction) {
        guard let rewrite else { return }
        if let authority = rewrite.authority { action.hostRewriteLiteral = authority }
        // Istio: always prefix_rewrite. Envoy swaps the matched prefix, or the whole
        // path for exact and regex matches (honouring case_sensitive).
        if let uri = rewrite.uri { action.prefixRewrite = uri }
        if let regex = rewrite.uriRegexRewrite, let pattern = regex.match {
            action.regexRewrite = substitution(pattern, regex.rewrite ?? "")
        }
    }

    func substitution(_ pattern: String, _ replacement: String) -> Envoy_Type_Matcher_V3_RegexMatchAndSubstitute {
        var rewrite = Envoy_Type_Matcher_V3_RegexMatchAndSubstitute()
        rewrite.pattern = RouteMatchTranslator.regexMatcher(pattern)
        rewrite.substitution = replacement
        return rewrite
    }

    func mirrors(_ rule: HTTPRoute) -> [Envoy_Config_Route_V3_RouteAction.RequestMirrorPolicy] {
        var result: [(Destination, Double?)] = []
        if let mirror = rule.mirror { result.append((mirror, rule.mirrorPercentage?.value ?? rule.mirrorPercent.map(Double.init))) }
        for mirror in rule.mirrors ?? [] {
            if let destination = mirror.destination { result.append((destination, mirror.percentage?.value)) }
        }
        // Istio: 100 % unless given, none at an explicit 0 %, and mirrored requests
        // never start sampled traces.
        return result.compactMap { destination, percentage in
            guard (percentage ?? 100) > 0 else { return nil }
            var policy = Envoy_Config_Route_V3_RouteAction.RequestMirrorPolicy()
            policy.cluster = context.clusterName(for: destination, from: vsNamespace)
            var fraction = Envoy_Config_Core_V3_RuntimeFractionalPercent()
            fraction.defaultValue = Proto.percent(percentage ?? 100)
            policy.runtimeFraction = fraction
            policy.traceSampled = Proto.bool(false)
            return policy
        }
    }
}
