import ProxyCore
import XDSAPI

/// CDS Cluster -> ClusterConfig (+ its inline endpoints, when it has them).
public enum ClusterConverter {
    public static func convert(_ cluster: Envoy_Config_Cluster_V3_Cluster, warnings: inout ConversionWarnings) throws(XDSConversionError) -> (ClusterConfig, EndpointSet?) {
        let scope = ConversionScope(resource: "Cluster \(cluster.name)", path: "")
        guard !cluster.name.isEmpty else { throw scope.child("name").error("cluster name is empty") }
        let discovery: ClusterConfig.Discovery
        switch cluster.clusterDiscoveryType {
        case .type(.static): discovery = .staticEndpoints
        case .type(.eds): discovery = .eds(serviceName: cluster.edsClusterConfig.serviceName)
        case .type(.strictDns): discovery = .strictDNS
        case .type(.logicalDns): discovery = .logicalDNS
        case .type(.originalDst): discovery = .originalDestination
        case nil: discovery = .staticEndpoints
        case .type(.UNRECOGNIZED(let value)): throw scope.child("type").error("unknown value \(value)")
        case .clusterType: throw scope.child("cluster_type").unsupported("custom cluster types")
        }
        let balancer: ClusterConfig.LoadBalancer
        switch cluster.lbPolicy {
        case .roundRobin: balancer = .roundRobin
        case .leastRequest: balancer = .leastRequest
        case .ringHash: balancer = .ringHash
        case .random: balancer = .random
        case .maglev: balancer = .maglev
        case .clusterProvided: balancer = .clusterProvided
        case .loadBalancingPolicyConfig: throw scope.child("lb_policy").unsupported("LOAD_BALANCING_POLICY_CONFIG")
        case .UNRECOGNIZED(let value): throw scope.child("lb_policy").error("unknown value \(value)")
        }
        var config = ClusterConfig(name: cluster.name, discovery: discovery, loadBalancer: balancer)
        if let service = istioService(cluster) { config.istioService = service }
        if cluster.hasConnectTimeout { config.connectTimeoutNanos = ProtoValues.nanos(cluster.connectTimeout) }
        if cluster.hasCircuitBreakers { config.thresholds = try Self.thresholds(cluster.circuitBreakers, scope.child("circuit_breakers")) }
        if cluster.hasTransportSocket {
            config.transportSocket = try TLSContextConverter.upstream(cluster.transportSocket, scope.child("transport_socket"), warnings: &warnings)
        }
        for (index, match) in cluster.transportSocketMatches.enumerated() {
            let matchScope = scope.index("transport_socket_matches", index)
            let socket = match.hasTransportSocket
                ? try TLSContextConverter.upstream(match.transportSocket, matchScope.child("transport_socket"), warnings: &warnings) : .plaintext
            config.transportSocketMatches.append(TransportSocketMatch(name: match.name, match: try ProtoValues.stringFields(match.match, matchScope.child("match")),
                                                                      socket: socket))
        }
        (config.upstreamProtocol, config.http2) = try HTTP2OptionsConverter.upstream(cluster, scope, warnings: &warnings)
        if cluster.hasOutlierDetection {
            config.outlierDetection = OutlierDetectionConverter.convert(cluster.outlierDetection, scope.child("outlier_detection"),
                                                                        warnings: &warnings)
        }
        if cluster.commonLbConfig.hasHealthyPanicThreshold {
            config.healthyPanicThreshold = UInt32(min(100, max(0, cluster.commonLbConfig.healthyPanicThreshold.value)))
        }
        var endpoints: EndpointSet?
        if cluster.hasLoadAssignment {
            var assignment = cluster.loadAssignment
            if assignment.clusterName.isEmpty { assignment.clusterName = cluster.name }
            endpoints = try EndpointConverter.convert(assignment, scope.child("load_assignment"))
            endpoints?.clusterName = cluster.name
        }
        return (config, endpoints)
    }

    /// `metadata.filter_metadata.istio.services[0]` ({host, name, namespace}), as
    /// Istio tags clusters for its telemetry.
    static func istioService(_ cluster: Envoy_Config_Cluster_V3_Cluster) -> IstioService? {
        guard let istio = cluster.metadata.filterMetadata["istio"],
              case .listValue(let services)? = istio.fields["services"]?.kind,
              case .structValue(let first)? = services.values.first?.kind,
              case .stringValue(let host)? = first.fields["host"]?.kind, !host.isEmpty else { return nil }
        var service = IstioService(host: host)
        if case .stringValue(let name)? = first.fields["name"]?.kind, !name.isEmpty { service.name = name }
        if case .stringValue(let namespace)? = first.fields["namespace"]?.kind, !namespace.isEmpty { service.namespace = namespace }
        return service
    }
}
