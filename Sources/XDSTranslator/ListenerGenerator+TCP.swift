import MeshRegistry
import XDSAPI

/// Outbound TCP: a service port that is not HTTP is proxied whole to one cluster
/// (or a VirtualService `tcp` route's weighted destinations). As Istio, services
/// with a virtual IP get their own `VIP_PORT` listener (matched by original
/// destination), so TCP services sharing a port do not share a listener; the
/// others share `0.0.0.0_PORT`.
extension ListenerGenerator {
    func tcpProxy(to service: MeshService?, port: Int) -> Envoy_Config_Listener_V3_Filter {
        let target = service.map { ClusterName.outbound(port: port, host: $0.hostname) }
            ?? (scope.registryOnly ? ClusterName.blackHole : ClusterName.passthrough)
        guard let service else { return ConnectionManagerBuilder.tcpProxy(statPrefix: target, cluster: target, accessLog: accessLog.client) }
        let routed = tcpRoute(for: service, port: port)
        let timeouts = routed.targets.isEmpty
            ? RouteContext.tcpTimeouts(snapshot: routes.snapshot, hostname: service.hostname, proxyNamespace: scope.proxy.namespace) : routed.timeouts
        return ConnectionManagerBuilder.tcpProxy(statPrefix: target, cluster: target, weighted: routed.targets, timeouts: timeouts,
                                                accessLog: accessLog.client)
    }

    /// One listener per (VIP, port) of the egress listener's services, and the
    /// services left without a VIP.
    func vipListeners(_ egress: SidecarScope.EgressListener) -> (listeners: [Envoy_Config_Listener_V3_Listener], remaining: [MeshService]) {
        var listeners: [Envoy_Config_Listener_V3_Listener] = []
        var remaining: [MeshService] = []
        var taken = Set<String>()
        for service in egress.services {
            let vips = service.addresses.compactMap(Self.singleAddress).filter { taken.insert($0).inserted }
            guard !vips.isEmpty else {
                remaining.append(service)
                continue
            }
            for vip in vips {
                var listener = Envoy_Config_Listener_V3_Listener()
                listener.name = "\(vip)_\(egress.port)"
                listener.address = Proto.address(vip, egress.port)
                listener.trafficDirection = .outbound
                listener.bindToPort = Proto.bool(false)
                var chain = Envoy_Config_Listener_V3_FilterChain()
                chain.filters = [tcpProxy(to: service, port: egress.port)]
                listener.filterChains = [chain]
                listeners.append(listener)
            }
        }
        return (listeners, remaining)
    }

    /// A VIP usable as a listener address: an IP, or a single-address CIDR
    /// (/32, /128); wider ranges and `None` are not.
    static func singleAddress(_ address: String) -> String? {
        let parts = address.split(separator: "/", maxSplits: 1).map(String.init)
        guard let ip = parts.first, !ip.isEmpty, ip.contains(".") || ip.contains(":") else { return nil }
        if parts.count == 2 && parts[1] != "32" && parts[1] != "128" { return nil }
        return ip
    }
}
