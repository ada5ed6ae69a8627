import MeshConfig
import MeshRegistry
import MeshSnapshot
import XDSAPI

/// LDS for sidecars: outbound listeners (bound per Sidecar egress listener in
/// captureMode NONE, or Istio's `0.0.0.0_PORT` behind `virtualOutbound`), inbound
/// listeners to the application (`inbound|PORT||`).
struct ListenerGenerator {
    let scope: SidecarScope
    let routes: RouteGenerator
    let options: TranslatorOptions
    /// Access logging per side, from the Telemetry API (or the mesh default).
    var accessLog: AccessLogPolicy
    /// PeerAuthentication in force for this workload (mTLS on inbound chains).
    var peerAuthentication = PeerAuthenticationPolicy(mode: .disable)
    /// jwt_authn and RBAC filters for inbound HTTP chains, RBAC for TCP chains.
    var inboundSecurity = InboundSecurityFilters()

    init(scope: SidecarScope, routes: RouteGenerator, options: TranslatorOptions, accessLog: AccessLogPolicy? = nil) {
        self.scope = scope
        self.routes = routes
        self.options = options
        self.accessLog = accessLog ?? AccessLogPolicy(meshDefault: options.accessLog)
    }

    func outbound() -> (listeners: [Envoy_Config_Listener_V3_Listener], routes: [Envoy_Config_Route_V3_RouteConfiguration]) {
        var listeners: [Envoy_Config_Listener_V3_Listener] = []
        var routeConfigs: [String: Envoy_Config_Route_V3_RouteConfiguration] = [:]
        for var egress in scope.egress {
            let address = egress.bind ?? "0.0.0.0"
            let http = egress.proto.isHTTP || (egress.proto == .unsupported && egress.services.contains { $0.port(number: egress.port)?.proto.isHTTP == true })
            if !http && egress.bind == nil {
                // Istio: TCP services with a VIP get their own `VIP_PORT` listener.
                let split = vipListeners(egress)
                listeners += split.listeners
                egress.services = split.remaining
                if egress.services.isEmpty && !split.listeners.isEmpty { continue }
            }
            var listener = Envoy_Config_Listener_V3_Listener()
            listener.name = "\(address)_\(egress.port)"
            listener.address = Proto.address(address, egress.port)
            listener.trafficDirection = .outbound
            if egress.bind == nil { listener.bindToPort = Proto.bool(false) }
            var chain = Envoy_Config_Listener_V3_FilterChain()
            if http {
                let routeName = String(egress.port)
                chain.filters = [ConnectionManagerBuilder.filter(statPrefix: "outbound_\(address)_\(egress.port)", routeName: routeName,
                                                                 accessLog: accessLog.client, inbound: false)]
                if routeConfigs[routeName] == nil {
                    routeConfigs[routeName] = routes.sidecarRoute(name: routeName, port: egress.port, services: scope.services, registryOnly: scope.registryOnly)
                }
                listener.filterChains = [chain]
            } else if let chains = sniChains(services: egress.services, port: egress.port) {
                listener.listenerFilters = [TLSInspector.filter()]
                listener.filterChains = chains
            } else {
                chain.filters = [tcpProxy(to: egress.services.first, port: egress.port)]
                listener.filterChains = [chain]
            }
            listeners.append(listener)
        }
        if scope.capturesOutbound { listeners.append(virtualOutbound()) }
        return (listeners, Array(routeConfigs.values))
    }

    /// A mesh VirtualService's `tcp` route for the service on this port: its
    /// destinations and weights (empty when none applies), and the tcp_proxy
    /// timeouts from the DestinationRule of its first destination.
    func tcpRoute(for service: MeshService, port: Int) -> (targets: [(String, Int)], timeouts: TCPProxyTimeouts) {
        let snapshot = routes.snapshot
        let context = RouteContext(snapshot: snapshot, proxy: scope.proxy, gatewayNames: ["mesh"], listenerPort: port)
        for vs in snapshot.virtualServices(boundTo: "mesh", visibleFrom: scope.proxy.namespace)
        where (vs.spec.hosts ?? []).contains(where: { routes.matches($0, service.hostname, vs.namespace) }) {
            for route in vs.spec.tcp ?? [] {
                let applies = (route.match ?? []).isEmpty || (route.match ?? []).contains { match in
                    (match.port == nil || match.port == port)
                        && context.selects(sourceLabels: match.sourceLabels, sourceNamespace: match.sourceNamespace, gateways: match.gateways, vsNamespace: vs.namespace)
                }
                guard applies else { continue }
                return (Self.weighted(route.route, context: context, namespace: vs.namespace),
                        context.tcpTimeouts(for: route.route?.first?.destination, from: vs.namespace))
            }
        }
        return ([], TCPProxyTimeouts())
    }

    /// Istio's catch-all on 15001: original destination hands connections to the
    /// per-port listeners; the rest goes to the passthrough (or black hole) cluster.
    func virtualOutbound() -> Envoy_Config_Listener_V3_Listener {
        var listener = Envoy_Config_Listener_V3_Listener()
        listener.name = "virtualOutbound"
        listener.address = Proto.address("0.0.0.0", options.outboundCapturePort)
        listener.useOriginalDst = Proto.bool(true)
        listener.trafficDirection = .outbound
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.name = scope.registryOnly ? "virtualOutbound-blackhole" : "virtualOutbound-catchall-tcp"
        let cluster = scope.registryOnly ? ClusterName.blackHole : ClusterName.passthrough
        chain.filters = [ConnectionManagerBuilder.tcpProxy(statPrefix: cluster, cluster: cluster, accessLog: accessLog.client)]
        listener.filterChains = [chain]
        listener.accessLog = accessLog.listenerClient
        return listener
    }

    func inbound() -> [Envoy_Config_Listener_V3_Listener] {
        let bound = scope.ingress.filter { !$0.captured }.map { ingress in
            var listener = Envoy_Config_Listener_V3_Listener()
            listener.name = "\(ingress.bind)_\(ingress.port)"
            listener.address = Proto.address(ingress.bind, ingress.port)
            listener.trafficDirection = .inbound
            listener.filterChains = inboundChains(ingress, statPrefix: "inbound_\(ingress.bind)_\(ingress.port)")
            if listener.filterChains.contains(where: { !$0.filterChainMatch.transportProtocol.isEmpty }) {
                listener.listenerFilters = [TLSInspector.filter()]
            }
            listener.accessLog = accessLog.listenerServer
            return listener
        }
        return bound + (scope.ingress.contains { $0.captured } || scope.capturesOutbound ? [virtualInbound()] : [])
    }

    /// The chain that hands a port's traffic to the application (`inbound|PORT||`),
    /// with the workload's authentication and authorization filters.
    func inboundChain(_ ingress: SidecarScope.IngressListener, statPrefix: String) -> Envoy_Config_Listener_V3_FilterChain {
        let cluster = ClusterName.inbound(port: ingress.port)
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.name = cluster
        if ingress.proto.isHTTP {
            chain.filters = [ConnectionManagerBuilder.filter(statPrefix: statPrefix, inlineRoute: inboundRoute(cluster: cluster, port: ingress.port),
                                                             accessLog: accessLog.server, inbound: true, security: inboundSecurity.http,
                                                             pathNormalization: options.security.pathNormalization, clientCert: .sidecarInbound)]
        } else {
            chain.filters = inboundSecurity.tcp + [ConnectionManagerBuilder.tcpProxy(statPrefix: cluster, cluster: cluster, accessLog: accessLog.server)]
        }
        return chain
    }

    func inboundRoute(cluster: String, port: Int) -> Envoy_Config_Route_V3_RouteConfiguration {
        var config = Envoy_Config_Route_V3_RouteConfiguration()
        config.name = cluster
        config.validateClusters = Proto.bool(false)
        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = "inbound|http|\(port)"
        host.domains = ["*"]
        var route = Envoy_Config_Route_V3_Route()
        route.name = "default"
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = "/"
        route.match = match
        var action = Envoy_Config_Route_V3_RouteAction()
        action.cluster = cluster
        action.timeout = Proto.duration(nanoseconds: 0)
        route.route = action
        host.routes = [route]
        config.virtualHosts = [host]
        return config
    }
}
