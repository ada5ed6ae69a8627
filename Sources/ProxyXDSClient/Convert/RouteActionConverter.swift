import ProxyCore
import XDSAPI

/// Envoy's RouteAction (forwarding) -> ForwardAction.
enum RouteActionConverter {
    static func convert(_ action: Envoy_Config_Route_V3_RouteAction, _ scope: ConversionScope) throws(XDSConversionError) -> ForwardAction {
        let target: ClusterTarget
        switch action.clusterSpecifier {
        case .cluster(let name):
            guard !name.isEmpty else { throw scope.child("cluster").error("cluster name is empty") }
            target = .cluster(name)
        case .weightedClusters(let weighted):
            target = try Self.weighted(weighted, scope.child("weighted_clusters"))
        case .clusterHeader: throw scope.child("cluster_header").unsupported("choosing the cluster from a header")
        case nil: throw scope.error("a route action needs cluster or weighted_clusters")
        }
        var forward = ForwardAction(target: target)
        if action.hasTimeout { forward.timeoutNanos = ProtoValues.nanos(action.timeout) }
        if !action.prefixRewrite.isEmpty { forward.prefixRewrite = Array(action.prefixRewrite.utf8) }
        if action.hasRegexRewrite {
            forward.regexRewrite = try Self.regexRewrite(action.regexRewrite, scope.child("regex_rewrite"))
            if forward.prefixRewrite != nil { throw scope.child("regex_rewrite").error("prefix_rewrite and regex_rewrite are exclusive") }
        }
        switch action.hostRewriteSpecifier {
        case .hostRewriteLiteral(let host): forward.hostRewrite = Array(host.utf8)
        case .autoHostRewrite(let value) where value.value: throw scope.child("auto_host_rewrite").unsupported("auto host rewrite")
        case .hostRewriteHeader: throw scope.child("host_rewrite_header").unsupported("host rewrite from a header")
        case .hostRewritePathRegex: throw scope.child("host_rewrite_path_regex").unsupported("host rewrite from the path")
        default: break
        }
        if action.hasRetryPolicy { forward.retryPolicy = try RetryPolicyConverter.convert(action.retryPolicy, scope.child("retry_policy")) }
        for (index, policy) in action.hashPolicy.enumerated() {
            forward.hashPolicies.append(try Self.hashPolicy(policy, scope.index("hash_policy", index)))
        }
        for (index, mirror) in action.requestMirrorPolicies.enumerated() {
            let mirrorScope = scope.index("request_mirror_policies", index)
            guard !mirror.cluster.isEmpty else { throw mirrorScope.child("cluster").unsupported("a mirror without a literal cluster") }
            let fraction = mirror.hasRuntimeFraction ? ProtoValues.fraction(mirror.runtimeFraction.defaultValue) : nil
            forward.mirrors.append(ForwardAction.Mirror(cluster: mirror.cluster, fraction: fraction))
        }
        if action.hasHedgePolicy { throw scope.child("hedge_policy").unsupported("request hedging") }
        if action.hasMetadataMatch { throw scope.child("metadata_match").unsupported("subset load balancing by metadata") }
        return forward
    }

    static func weighted(_ weighted: Envoy_Config_Route_V3_WeightedCluster, _ scope: ConversionScope) throws(XDSConversionError) -> ClusterTarget {
        if weighted.randomValueSpecifier != nil { throw scope.child("header_name").unsupported("a header as the random value") }
        var entries: [WeightedClusterEntry] = []
        var total: UInt64 = 0
        for (index, cluster) in weighted.clusters.enumerated() {
            let entryScope = scope.index("clusters", index)
            guard !cluster.name.isEmpty else { throw entryScope.child("name").error("cluster name is empty") }
            if !cluster.clusterHeader.isEmpty { throw entryScope.child("cluster_header").unsupported("choosing the cluster from a header") }
            if !cluster.typedPerFilterConfig.isEmpty { throw entryScope.child("typed_per_filter_config").unsupported("per-cluster filter config") }
            if cluster.hasMetadataMatch { throw entryScope.child("metadata_match").unsupported("subset load balancing by metadata") }
            let weight = UInt64(cluster.weight.value)
            total += weight
            let request = try HeaderMutationConverter.convert(add: cluster.requestHeadersToAdd, remove: cluster.requestHeadersToRemove, entryScope,
                                                              addField: "request_headers_to_add", removeField: "request_headers_to_remove")
            let response = try HeaderMutationConverter.convert(add: cluster.responseHeadersToAdd, remove: cluster.responseHeadersToRemove, entryScope,
                                                               addField: "response_headers_to_add", removeField: "response_headers_to_remove")
            var host: [UInt8]?
            if case .hostRewriteLiteral(let literal) = cluster.hostRewriteSpecifier { host = Array(literal.utf8) }
            entries.append(WeightedClusterEntry(name: cluster.name, weight: weight, requestHeaders: request, responseHeaders: response, hostRewrite: host))
        }
        guard !entries.isEmpty else { throw scope.child("clusters").error("no clusters") }
        if weighted.hasTotalWeight { total = UInt64(weighted.totalWeight.value) }
        guard total > 0 else { throw scope.error("total weight is 0") }
        return .weighted(entries, totalWeight: total)
    }

    /// The data path rewrites whole paths only: the control plane's form is
    /// `^...$` with a substitution without capture references.
    static func regexRewrite(_ rewrite: Envoy_Type_Matcher_V3_RegexMatchAndSubstitute, _ scope: ConversionScope) throws(XDSConversionError) -> ForwardAction.RegexRewrite {
        let pattern = rewrite.pattern.regex
        guard pattern.hasPrefix("^"), pattern.hasSuffix("$"), !rewrite.substitution.contains("\\") else {
            throw scope.unsupported("a regex rewrite other than a whole-path pattern (^...$) with a literal substitution")
        }
        return ForwardAction.RegexRewrite(pattern: try StringMatchConverter.regex(rewrite.pattern, scope.child("pattern")), substitution: rewrite.substitution)
    }

    static func hashPolicy(_ policy: Envoy_Config_Route_V3_RouteAction.HashPolicy, _ scope: ConversionScope) throws(XDSConversionError) -> ForwardAction.HashPolicy {
        switch policy.policySpecifier {
        case .header(let header):
            if header.hasRegexRewrite { throw scope.child("header.regex_rewrite").unsupported("rewriting hashed header values") }
            return .header(name: header.headerName.lowercased())
        case .cookie(let cookie):
            return .cookie(name: cookie.name, path: cookie.path, ttlNanos: cookie.hasTtl ? ProtoValues.nanos(cookie.ttl) : nil)
        case .connectionProperties(let properties) where properties.sourceIp:
            return .sourceIP
        case .queryParameter(let parameter):
            return .queryParameter(name: parameter.name)
        case .filterState: throw scope.child("filter_state").unsupported("hashing on filter state")
        default: throw scope.error("a hash policy needs header, cookie, connection_properties.source_ip or query_parameter")
        }
    }
}
