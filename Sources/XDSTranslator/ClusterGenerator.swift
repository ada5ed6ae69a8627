import MeshConfig
import MeshCore
import MeshRegistry
import MeshSnapshot
import XDSAPI

/// CDS for a proxy: `outbound|PORT|SUBSET|HOST` per visible service port and
/// DestinationRule subset, with the rule's traffic policy; `inbound|PORT||` per
/// inbound listener; the black-hole and passthrough clusters.
struct ClusterGenerator {
    let snapshot: MeshSnapshot
    let scope: SidecarScope
    let options: TranslatorOptions

    func outboundClusters() -> [Envoy_Config_Cluster_V3_Cluster] {
        var clusters: [Envoy_Config_Cluster_V3_Cluster] = []
        for service in scope.services {
            let rule = snapshot.destinationRule(for: service.hostname, from: scope.proxy.namespace)
            for port in service.ports where port.proto != .udp {
                let base = rule?.spec.trafficPolicy
                clusters.append(cluster(service: service, port: port, subset: nil, policy: TrafficPolicyMerge.effective(base, subset: nil, port: port.number)))
                for subset in rule?.spec.subsets ?? [] {
                    guard let name = subset.name else { continue }
                    let policy = TrafficPolicyMerge.effective(base, subset: subset.trafficPolicy, port: port.number)
                    clusters.append(cluster(service: service, port: port, subset: name, policy: policy))
                }
            }
        }
        clusters.append(blackHole())
        clusters.append(passthrough())
        return clusters
    }

    func inboundClusters() -> [Envoy_Config_Cluster_V3_Cluster] {
        scope.ingress.map { listener in
            var cluster = Envoy_Config_Cluster_V3_Cluster()
            cluster.name = ClusterName.inbound(port: listener.port)
            cluster.type = .static
            cluster.connectTimeout = Proto.duration(seconds: 10)
            var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
            assignment.clusterName = cluster.name
            assignment.endpoints = [EndpointGenerator.locality(nil, [EndpointGenerator.lbEndpoint(listener.endpointAddress, listener.endpointPort, weight: nil)])]
            cluster.loadAssignment = assignment
            if let metadata = Self.istioMetadata(services: inboundServices(port: listener.port)) { cluster.metadata = metadata }
            return cluster
        }
    }

    func cluster(service: MeshService, port: MeshService.Port, subset: String?, policy: TrafficPolicyMerge.Policy) -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = ClusterName.outbound(port: port.number, subset: subset ?? "", host: service.hostname)
        cluster.connectTimeout = Proto.duration(seconds: 10)
        switch service.resolution {
        case .staticEndpoints:
            cluster.type = .eds
            var eds = Envoy_Config_Cluster_V3_Cluster.EdsClusterConfig()
            eds.edsConfig = Proto.ads
            eds.serviceName = cluster.name
            cluster.edsClusterConfig = eds
        case .dns, .dnsRoundRobin:
            cluster.type = service.resolution == .dns ? .strictDns : .logicalDns
            cluster.dnsLookupFamily = .v4Only
            var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
            assignment.clusterName = cluster.name
            let endpoints = snapshot.registry.endpoints(of: service.hostname, port: port.number)
                .filter { subset == nil || $0.matches(subsetLabels(subset!, service: service)) }
            assignment.endpoints = EndpointGenerator.localities(endpoints, security: options.security)
            cluster.loadAssignment = assignment
        case .passthrough:
            cluster.type = .originalDst
            cluster.lbPolicy = .clusterProvided
        }
        if port.proto.isHTTP2 { cluster.typedExtensionProtocolOptions[UpstreamProtocol.optionsKey] = UpstreamProtocol.http2Options() }
        TrafficPolicyApplier.apply(policy, to: &cluster, sni: service.hostname, systemCA: options.systemCACertificates)
        applyMeshTLS(policy.tls, service: service, port: port, subset: subset, to: &cluster)
        if service.resolution == .passthrough { cluster.lbPolicy = .clusterProvided }
        return cluster
    }

    func subsetLabels(_ name: String, service: MeshService) -> [String: String] {
        let rule = snapshot.destinationRule(for: service.hostname, from: scope.proxy.namespace)
        return rule?.spec.subsets?.first { $0.name == name }?.labels ?? [:]
    }

    func blackHole() -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = ClusterName.blackHole
        cluster.type = .static
        cluster.connectTimeout = Proto.duration(seconds: 10)
        return cluster
    }

    func passthrough() -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = ClusterName.passthrough
        cluster.type = .originalDst
        cluster.lbPolicy = .clusterProvided
        cluster.connectTimeout = Proto.duration(seconds: 10)
        return cluster
    }
}
