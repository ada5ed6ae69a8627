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

    func action(_ rule: HTTPRoute, match: HTTPMatchRequest?) -> Envoy_Config_Route_V3_RouteAction {
        var action = Envoy_Config_Route_V3_RouteAction()
        let destinations = rule.route ?? []
        if destinations.count == 1, let destination = destinations[0].destination, destinations[0].headers == nil {
            action.cluster = context.clusterName(for: destination, from: vsNamespace)
        } else {
            var weighted = Envoy_Config_Route_V3_WeightedCluster()
            weighted.clusters = destinations.compactMap { target -> Envoy_Config_Route_V3_WeightedCluster.ClusterWeight? in
                guard let destination = target.destination else { return nil }
                let weight = destinations.count == 1 ? 100 : (target.weight ?? 0)
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
        if let policy = retryPolicy(rule.retries) { action.retryPolicy = policy }
        applyRewrite(rule.rewrite, match: match, to: &action)
        action.requestMirrorPolicies = mirrors(rule)
        if let hash = hashPolicies(for: destinations.first?.destination) { action.hashPolicy = hash }
        return action
    }

    func retryPolicy(_ retries: HTTPRetry?) -> Envoy_Config_Route_V3_RetryPolicy? {
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
        var predicate = Envoy_Config_Route_V3_RetryPolicy.RetryHostPredicate()
        predicate.name = "envoy.retry_host_predicates.previous_hosts"
        predicate.typedConfig = Proto.any(Envoy_Extensions_Retry_Host_PreviousHosts_V3_PreviousHostsPredicate())
        policy.retryHostPredicate = [predicate]
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

    func applyRewrite(_ rewrite: HTTPRewrite?, match: HTTPMatchRequest?, to action: inout Envoy_Config_Route_V3_RouteAction) {
        guard let rewrite else { return }
        if let authority = rewrite.authority { action.hostRewriteLiteral = authority }
        if let uri = rewrite.uri {
            if let exact = match?.uri?.exact {
                action.regexRewrite = substitution("^" + RegexEscaping.escape(exact) + "$", uri)
            } else if let regex = match?.uri?.regex {
                action.regexRewrite = substitution(regex, uri)
            } else {
                action.prefixRewrite = uri
            }
        }
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
        return result.map { destination, percentage in
            var policy = Envoy_Config_Route_V3_RouteAction.RequestMirrorPolicy()
            policy.cluster = context.clusterName(for: destination, from: vsNamespace)
            var fraction = Envoy_Config_Core_V3_RuntimeFractionalPercent()
            fraction.defaultValue = Proto.percent(percentage ?? 100)
            policy.runtimeFraction = fraction
            return policy
        }
    }

    /// Consistent hashing comes from the destination's DestinationRule.
    func hashPolicies(for destination: Destination?) -> [Envoy_Config_Route_V3_RouteAction.HashPolicy]? {
        guard let destination, let host = destination.host else { return nil }
        let hostname = context.snapshot.registry.resolve(host, from: vsNamespace)?.hostname ?? context.snapshot.fqdn(host, in: vsNamespace)
        let rule = context.snapshot.destinationRule(for: hostname, from: context.proxy.namespace)
        var hash = rule?.spec.trafficPolicy?.loadBalancer?.consistentHash
        if let subset = destination.subset, let subsetHash = rule?.spec.subsets?.first(where: { $0.name == subset })?.trafficPolicy?.loadBalancer?.consistentHash {
            hash = subsetHash
        }
        guard let hash else { return nil }
        var policy = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        if let header = hash.httpHeaderName {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.Header()
            value.headerName = header
            policy.header = value
        } else if let cookie = hash.httpCookie {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.Cookie()
            value.name = cookie.name ?? ""
            if let path = cookie.path { value.path = path }
            if let ttl = cookie.ttl, let nanos = try? GoDuration.parse(ttl) { value.ttl = Proto.duration(nanoseconds: nanos) }
            policy.cookie = value
        } else if hash.useSourceIp == true {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.ConnectionProperties()
            value.sourceIp = true
            policy.connectionProperties = value
        } else if let parameter = hash.httpQueryParameterName {
            var value = Envoy_Config_Route_V3_RouteAction.HashPolicy.QueryParameter()
            value.name = parameter
            policy.queryParameter = value
        } else {
            return nil
        }
        return [policy]
    }
}

enum RegexEscaping {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
