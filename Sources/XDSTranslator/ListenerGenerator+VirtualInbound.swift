import XDSAPI

extension ListenerGenerator {
    /// Istio's `virtualInbound`: where iptables sends inbound traffic (15006). The
    /// original destination port picks the chain of that inbound port; other
    /// ports pass through to where they were going.
    func virtualInbound() -> Envoy_Config_Listener_V3_Listener {
        var listener = Envoy_Config_Listener_V3_Listener()
        listener.name = "virtualInbound"
        listener.address = Proto.address("0.0.0.0", options.inboundCapturePort)
        listener.useOriginalDst = Proto.bool(true)
        listener.trafficDirection = .inbound
        var chains: [Envoy_Config_Listener_V3_FilterChain] = []
        for ingress in scope.ingress where ingress.captured {
            for var chain in inboundChains(ingress, statPrefix: "inbound_0.0.0.0_\(ingress.port)") {
                chain.filterChainMatch.destinationPort = Proto.uint32(ingress.port)
                chains.append(chain)
            }
        }
        listener.filterChains = chains
        if chains.contains(where: { !$0.filterChainMatch.transportProtocol.isEmpty }) {
            listener.listenerFilters = [TLSInspector.filter()]
        }
        var passthrough = Envoy_Config_Listener_V3_FilterChain()
        passthrough.name = "virtualInbound"
        passthrough.filters = [ConnectionManagerBuilder.tcpProxy(statPrefix: ClusterName.passthrough, cluster: ClusterName.passthrough,
                                                                     accessLog: accessLog.server)]
        listener.defaultFilterChain = passthrough
        listener.accessLog = accessLog.listenerServer
        return listener
    }
}
