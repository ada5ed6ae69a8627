import MeshConfig
import MeshCore
import MeshSnapshot
import XDSAPI

/// Puts a proxy's tracing into its generated resources: every HTTP connection
/// manager gets the `tracing` of its side (inbound listeners: server; outbound
/// and gateway listeners: client, as Istio's listener classes), and the proxy
/// gets a cluster for each collector it exports to that it does not already have.
/// A pass over finished listeners, so listener generation stays unaware of it.
enum TracingApplier {
    static func apply(_ policy: TracingPolicy, proxy: ProxyNode, snapshot: MeshSnapshot, to resources: inout ProxyResources) {
        guard policy.client != nil || policy.server != nil else { return }
        let builder = TracingBuilder(proxy: proxy)
        let client = policy.client.map { (builder.tracing($0), TracingBuilder.requestIDExtension(useForSampling: $0.useRequestIDForTraceSampling)) }
        let server = policy.server.map { (builder.tracing($0), TracingBuilder.requestIDExtension(useForSampling: $0.useRequestIDForTraceSampling)) }
        var providers: [TracingProvider] = []
        for index in resources.listeners.indices {
            let inbound = resources.listeners[index].trafficDirection == .inbound
            guard let (tracing, requestID) = inbound ? server : client else { continue }
            var touched = false
            for chain in resources.listeners[index].filterChains.indices {
                for filter in resources.listeners[index].filterChains[chain].filters.indices {
                    var entry = resources.listeners[index].filterChains[chain].filters[filter]
                    guard entry.name == ConnectionManagerBuilder.name,
                          var manager = try? TracingBuilder.HCM(unpackingAny: entry.typedConfig) else { continue }
                    manager.tracing = tracing
                    manager.requestIDExtension = requestID
                    if inbound, case .routeConfig? = manager.routeSpecifier { nameInboundSpans(&manager.routeConfig, proxy: proxy, snapshot: snapshot) }
                    entry.typedConfig = Proto.any(manager)
                    resources.listeners[index].filterChains[chain].filters[filter] = entry
                    touched = true
                }
            }
            if touched, let otel = (inbound ? policy.server : policy.client)?.provider, !providers.contains(otel) {
                providers.append(otel)
            }
        }
        let present = Set(resources.clusters.map(\.name))
        for otel in providers where !present.contains(TracingBuilder.clusterName(otel)) {
            resources.clusters.append(collectorCluster(otel))
        }
    }

    /// Istio decorates inbound routes with `HOST:PORT/*` of the service the port
    /// serves, which names their spans; only spans read the decorator, so it is
    /// set where spans are made.
    static func nameInboundSpans(_ config: inout Envoy_Config_Route_V3_RouteConfiguration, proxy: ProxyNode, snapshot: MeshSnapshot) {
        for host in config.virtualHosts.indices {
            for index in config.virtualHosts[host].routes.indices where !config.virtualHosts[host].routes[index].hasDecorator {
                let cluster = config.virtualHosts[host].routes[index].route.cluster
                let parts = cluster.split(separator: "|", omittingEmptySubsequences: false)
                guard parts.count == 4, parts[0] == "inbound", let port = Int(parts[1]) else { continue }
                let served = snapshot.registry.services.lazy.filter { service in
                    guard let selector = service.selector, !selector.isEmpty, service.namespace == proxy.namespace else { return false }
                    return proxy.matches(selector)
                }.compactMap { service in service.ports.first { ($0.targetPort ?? $0.number) == port }.map { (service.hostname, $0.number) } }
                guard let (hostname, servicePort) = served.sorted(by: { $0.0 < $1.0 }).first else { continue }
                var decorator = Envoy_Config_Route_V3_Decorator()
                decorator.operation = "\(hostname):\(servicePort)/*"
                config.virtualHosts[host].routes[index].decorator = decorator
            }
        }
    }

    /// A collector outside the proxy's clusters: STATIC for an IP address, else
    /// STRICT_DNS on the host name.
    static func collectorCluster(_ otel: TracingProvider) -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = TracingBuilder.clusterName(otel)
        cluster.connectTimeout = Proto.duration(seconds: 10)
        if IPAddress.isAddress(otel.service) {
            cluster.type = .static
        } else {
            cluster.type = .strictDns
            cluster.dnsLookupFamily = .v4Only
        }
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = cluster.name
        assignment.endpoints = [EndpointGenerator.locality(nil, [EndpointGenerator.lbEndpoint(otel.service, otel.port, weight: nil)])]
        cluster.loadAssignment = assignment
        return cluster
    }
}
