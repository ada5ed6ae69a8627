import MeshSnapshot
import XDSAPI

/// Istio config + registry -> the Envoy resources one proxy is sent. Pure: a function
/// of the snapshot, the proxy and the options (no clock, no environment, no I/O), so
/// its output can be cached per input and golden-tested.
public struct XDSTranslator: Sendable {
    public let options: TranslatorOptions

    public init(options: TranslatorOptions = TranslatorOptions()) {
        self.options = options
    }

    /// Proxies with equal keys get identical resources, so one translation can serve
    /// them all (what Istio's per-scope caches achieve): the key keeps what translation
    /// reads — kind, namespace, labels, mesh and cluster ids (span tags) — and the address only when a listener or
    /// endpoint is built from it (captureMode NONE binds, inbound listeners).
    public func cacheKey(for proxy: ProxyNode, in snapshot: MeshSnapshot) -> ProxyNode {
        let proxy = Self.withLocality(proxy, in: snapshot)
        let scope = SidecarScope(proxy: proxy, snapshot: snapshot)
        let usesAddress = proxy.kind == .sidecar && (!scope.ingress.isEmpty || scope.egress.contains { $0.bind == proxy.primaryIP })
        return ProxyNode(kind: proxy.kind, ipAddresses: usesAddress ? proxy.ipAddresses : ["0.0.0.0"], id: "", domain: "",
                         namespace: proxy.namespace, labels: proxy.labels, clusterID: proxy.clusterID, meshID: proxy.meshID, locality: proxy.locality)
    }

    /// A proxy that does not say where it runs is where its workload is
    /// (WorkloadEntry `locality`), as Istio derives it.
    static func withLocality(_ proxy: ProxyNode, in snapshot: MeshSnapshot) -> ProxyNode {
        guard proxy.locality == nil,
              let workload = snapshot.registry.workloads.first(where: { proxy.ipAddresses.contains($0.address) && $0.namespace == proxy.namespace }),
              let locality = workload.locality, !locality.isEmpty else { return proxy }
        var result = proxy
        result.locality = locality
        return result
    }

    public func resources(for proxy: ProxyNode, in snapshot: MeshSnapshot) -> ProxyResources {
        var options = self.options
        options.security = options.security.applying(snapshot.meshConfig)
        let proxy = Self.withLocality(proxy, in: snapshot)
        let scope = SidecarScope(proxy: proxy, snapshot: snapshot)
        let routes = RouteGenerator(snapshot: snapshot, proxy: proxy)
        let clusters = ClusterGenerator(snapshot: snapshot, scope: scope, options: options)
        var result = ProxyResources()
        switch proxy.kind {
        case .sidecar:
            let logging = AccessLogPolicy.resolve(proxy: proxy, snapshot: snapshot, meshDefault: options.accessLog)
            var listeners = ListenerGenerator(scope: scope, routes: routes, options: options, accessLog: logging)
            listeners.peerAuthentication = PeerAuthenticationPolicy(namespace: proxy.namespace, labels: proxy.labels, snapshot: snapshot)
            listeners.inboundSecurity = InboundSecurityFilters(namespace: proxy.namespace, labels: proxy.labels, snapshot: snapshot, options: options)
            let outbound = listeners.outbound()
            result.listeners = outbound.listeners + listeners.inbound()
            result.routes = outbound.routes
            result.clusters = clusters.outboundClusters() + clusters.inboundClusters()
        case .router:
            var generator = GatewayGenerator(snapshot: snapshot, proxy: proxy, routes: routes, options: options)
            let logging = AccessLogPolicy.resolve(proxy: proxy, snapshot: snapshot, meshDefault: options.accessLog)
            generator.accessLog = logging.client
            generator.listenerAccessLog = logging.listenerClient
            generator.security = InboundSecurityFilters(namespace: proxy.namespace, labels: proxy.labels, snapshot: snapshot, options: options)
            let gateway = generator.generate()
            result.listeners = gateway.listeners
            result.routes = gateway.routes
            result.secrets = gateway.secrets
            result.clusters = clusters.outboundClusters()
        }
        TracingApplier.apply(TracingPolicy.resolve(proxy: proxy, snapshot: snapshot, fallback: options.defaultTracingCollector), proxy: proxy,
                             snapshot: snapshot, to: &result)
        result.endpoints = EndpointGenerator(snapshot: snapshot, scope: scope, security: options.security).assignments(for: result.clusters)
        result.sort()
        return result
    }
}
