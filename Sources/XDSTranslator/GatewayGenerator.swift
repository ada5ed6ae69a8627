import MeshConfig
import MeshSnapshot
import XDSAPI

/// LDS/RDS for a gateway proxy: one listener per server port (and bind address),
/// HTTP servers sharing a route configuration `http.PORT`, TLS-terminating servers
/// a filter chain per server (matched by SNI), passthrough servers a TCP proxy per
/// SNI from the bound VirtualServices' `tls` routes, TCP servers their `tcp` route.
struct GatewayGenerator {
    let snapshot: MeshSnapshot
    let proxy: ProxyNode
    let routes: RouteGenerator
    let options: TranslatorOptions
    /// A gateway logs as the client side of its requests (Telemetry `match.mode`).
    var accessLog = AccessLogPolicy(meshDefault: true).client
    /// Every gateway listener's own log (ListenerAccessLog), for connections no server takes.
    var listenerAccessLog = AccessLogPolicy(meshDefault: true).listenerClient
    /// AuthorizationPolicy / RequestAuthentication selecting the gateway's workload.
    var security = InboundSecurityFilters()

    func generate() -> (listeners: [Envoy_Config_Listener_V3_Listener], routes: [Envoy_Config_Route_V3_RouteConfiguration], secrets: [Envoy_Extensions_TransportSockets_Tls_V3_Secret]) {
        let credentials = GatewayCredentials(snapshot: snapshot, namespace: proxy.namespace)
        var secrets: [String: Envoy_Extensions_TransportSockets_Tls_V3_Secret] = [:]
        var groups: [String: [(gateway: Scoped<Gateway>, server: Server)]] = [:]
        for gateway in snapshot.gateways(for: proxy) {
            for server in gateway.spec.servers ?? [] {
                guard let port = server.port?.number else { continue }
                groups["\(server.bind ?? "0.0.0.0")_\(port)", default: []].append((gateway, server))
            }
        }
        var listeners: [Envoy_Config_Listener_V3_Listener] = []
        var routeConfigs: [Envoy_Config_Route_V3_RouteConfiguration] = []
        for key in groups.keys.sorted() {
            let servers = groups[key]!
            let port = servers[0].server.port!.number!
            let bind = servers[0].server.bind ?? "0.0.0.0"
            var listener = Envoy_Config_Listener_V3_Listener()
            if let override = options.gatewayListenOverrides[port] {
                listener.name = "\(override.host)_\(override.port)"
                listener.address = Proto.address(override.host, override.port)
            } else {
                listener.name = key
                listener.address = Proto.address(bind, port)
            }
            listener.trafficDirection = .outbound
            listener.accessLog = listenerAccessLog
            var plainHTTP: [(gateway: Scoped<Gateway>, server: Server)] = []
            for (gateway, server) in servers {
                let proto = (server.port?.protocol ?? "").uppercased()
                let mode = server.tls?.mode ?? .passthrough
                switch proto {
                case "HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY":
                    plainHTTP.append((gateway, server))
                case "HTTPS" where mode != .passthrough && mode != .autoPassthrough:
                    if let credential = server.tls?.credentialName ?? server.tls?.credentialNames?.first {
                        let mutual = mode == .mutual || mode == .optionalMutual
                        guard let found = credentials.resources(for: credential, mutual: mutual) else { continue }
                        for secret in found { secrets[secret.name] = secret }
                    }
                    let routeName = "https.\(port).\(server.port?.name ?? "").\(gateway.name).\(gateway.namespace)"
                    routeConfigs.append(routes.gatewayRoute(name: routeName, port: port, servers: [(gateway, server)]))
                    var chain = Envoy_Config_Listener_V3_FilterChain()
                    chain.filterChainMatch = sniMatch(server.hosts ?? [])
                    chain.transportSocket = DownstreamTLS.transportSocket(server.tls!)
                    chain.filters = [ConnectionManagerBuilder.filter(statPrefix: "outbound_\(key)", routeName: routeName, accessLog: accessLog, inbound: false,
                                                                 security: security.http, pathNormalization: options.security.pathNormalization,
                                                                 clientCert: .gateway)]
                    listener.filterChains.append(chain)
                    listener.listenerFilters = [TLSInspector.filter()]
                case "HTTPS", "TLS":
                    listener.filterChains += passthroughChains(gateway: gateway, server: server, port: port)
                    listener.listenerFilters = [TLSInspector.filter()]
                default:
                    if let chain = tcpChain(gateway: gateway, port: port) { listener.filterChains.append(chain) }
                }
            }
            if !plainHTTP.isEmpty {
                let routeName = "http.\(port)"
                routeConfigs.append(routes.gatewayRoute(name: routeName, port: port, servers: plainHTTP))
                var chain = Envoy_Config_Listener_V3_FilterChain()
                chain.filters = [ConnectionManagerBuilder.filter(statPrefix: "outbound_\(key)", routeName: routeName, accessLog: accessLog, inbound: false,
                                                                 security: security.http, pathNormalization: options.security.pathNormalization,
                                                                 clientCert: .gateway)]
                listener.filterChains.append(chain)
            }
            if !listener.filterChains.isEmpty { listeners.append(listener) }
        }
        return (listeners, routeConfigs, secrets.keys.sorted().map { secrets[$0]! })
    }

    func sniMatch(_ hosts: [String]) -> Envoy_Config_Listener_V3_FilterChainMatch {
        var match = Envoy_Config_Listener_V3_FilterChainMatch()
        let names = hosts.map { $0.contains("/") ? String($0.split(separator: "/", maxSplits: 1)[1]) : $0 }.filter { $0 != "*" }
        match.serverNames = names
        return match
    }

    func passthroughChains(gateway: Scoped<Gateway>, server: Server, port: Int) -> [Envoy_Config_Listener_V3_FilterChain] {
        let context = RouteContext(snapshot: snapshot, proxy: proxy, gatewayNames: [gateway.key], listenerPort: port)
        var chains: [Envoy_Config_Listener_V3_FilterChain] = []
        for vs in snapshot.virtualServices(boundTo: gateway.key, visibleFrom: gateway.namespace) {
            for route in vs.spec.tls ?? [] {
                guard let destination = route.route?.first?.destination else { continue }
                let sniHosts = (route.match ?? []).filter { ($0.port ?? port) == port }.flatMap { $0.sniHosts ?? [] }
                guard !sniHosts.isEmpty else { continue }
                var chain = Envoy_Config_Listener_V3_FilterChain()
                chain.filterChainMatch = sniMatch(sniHosts)
                let cluster = context.clusterName(for: destination, from: vs.namespace)
                let timeouts = context.tcpTimeouts(for: destination, from: vs.namespace)
                chain.filters = security.tcp + [ConnectionManagerBuilder.tcpProxy(statPrefix: cluster, cluster: cluster, timeouts: timeouts, accessLog: accessLog)]
                chains.append(chain)
            }
        }
        return chains
    }

    func tcpChain(gateway: Scoped<Gateway>, port: Int) -> Envoy_Config_Listener_V3_FilterChain? {
        let context = RouteContext(snapshot: snapshot, proxy: proxy, gatewayNames: [gateway.key], listenerPort: port)
        for vs in snapshot.virtualServices(boundTo: gateway.key, visibleFrom: gateway.namespace) {
            for route in vs.spec.tcp ?? [] where (route.match ?? []).allSatisfy({ ($0.port ?? port) == port }) {
                guard let destination = route.route?.first?.destination else { continue }
                var chain = Envoy_Config_Listener_V3_FilterChain()
                let cluster = context.clusterName(for: destination, from: vs.namespace)
                let timeouts = context.tcpTimeouts(for: destination, from: vs.namespace)
                chain.filters = security.tcp + [ConnectionManagerBuilder.tcpProxy(statPrefix: cluster, cluster: cluster, timeouts: timeouts, accessLog: accessLog)]
                return chain
            }
        }
        return nil
    }
}

enum TLSInspector {
    static func filter() -> Envoy_Config_Listener_V3_ListenerFilter {
        var filter = Envoy_Config_Listener_V3_ListenerFilter()
        filter.name = "envoy.filters.listener.tls_inspector"
        filter.typedConfig = Proto.any(Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector())
        return filter
    }
}
