import MeshConfig
import MeshRegistry
import XDSAPI

/// Mesh VirtualService `tls` routes on a sidecar's outbound port, as Istio: behind a
/// tls_inspector, one filter chain per route match (server_names = sniHosts) to its
/// destinations, one per other service on the port (server_names = its host), and a
/// last chain without match to the passthrough (or black-hole) cluster. Ports no
/// `tls` route applies to keep their single chain.
extension ListenerGenerator {
    func sniChains(services: [MeshService], port: Int) -> [Envoy_Config_Listener_V3_FilterChain]? {
        let snapshot = routes.snapshot
        let context = RouteContext(snapshot: snapshot, proxy: scope.proxy, gatewayNames: ["mesh"], listenerPort: port)
        var chains: [Envoy_Config_Listener_V3_FilterChain] = []
        var claimed = Set<String>()
        for vs in snapshot.virtualServices(boundTo: "mesh", visibleFrom: scope.proxy.namespace)
        where (vs.spec.hosts ?? []).contains(where: { host in services.contains { routes.matches(host, $0.hostname, vs.namespace) } }) {
            for route in vs.spec.tls ?? [] {
                let targets = Self.weighted(route.route, context: context, namespace: vs.namespace)
                guard let first = targets.first else { continue }
                for match in route.match ?? [] where (match.port == nil || match.port == port)
                    && context.selects(sourceLabels: match.sourceLabels, sourceNamespace: match.sourceNamespace, gateways: match.gateways, vsNamespace: vs.namespace) {
                    let names = (match.sniHosts ?? []).filter { claimed.insert($0).inserted }
                    guard !names.isEmpty else { continue }
                    let timeouts = context.tcpTimeouts(for: route.route?.first?.destination, from: vs.namespace)
                    chains.append(Self.chain(serverNames: names, filter: ConnectionManagerBuilder.tcpProxy(statPrefix: first.0, cluster: first.0, weighted: targets,
                                                                                                          timeouts: timeouts, accessLog: accessLog.client)))
                }
            }
        }
        guard !chains.isEmpty else { return nil }
        for service in services where claimed.insert(service.hostname).inserted {
            chains.append(Self.chain(serverNames: [service.hostname], filter: tcpProxy(to: service, port: port)))
        }
        let fallback = scope.registryOnly ? ClusterName.blackHole : ClusterName.passthrough
        chains.append(Self.chain(serverNames: [], filter: ConnectionManagerBuilder.tcpProxy(statPrefix: fallback, cluster: fallback,
                                                                                                      accessLog: accessLog.client)))
        return chains
    }

    static func chain(serverNames: [String], filter: Envoy_Config_Listener_V3_Filter) -> Envoy_Config_Listener_V3_FilterChain {
        var chain = Envoy_Config_Listener_V3_FilterChain()
        if !serverNames.isEmpty {
            var match = Envoy_Config_Listener_V3_FilterChainMatch()
            match.serverNames = serverNames
            chain.filterChainMatch = match
        }
        chain.filters = [filter]
        return chain
    }

    /// A tcp / tls route's destinations as (cluster, weight); one destination takes all.
    static func weighted(_ destinations: [RouteDestination]?, context: RouteContext, namespace: String) -> [(String, Int)] {
        let destinations = destinations ?? []
        return destinations.compactMap { target in
            guard let destination = target.destination else { return nil }
            let weight = destinations.count == 1 ? 100 : (target.weight ?? 0)
            return weight > 0 ? (context.clusterName(for: destination, from: namespace), weight) : nil
        }
    }
}
