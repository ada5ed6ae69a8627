import MeshConfig
import MeshRegistry
import MeshSnapshot

/// What one proxy can see and how it listens: the services visible from its
/// namespace, narrowed by its Sidecar resource's egress hosts (`ns/host`).
struct SidecarScope {
    struct EgressListener {
        /// nil: transparent capture (Istio's 0.0.0.0_PORT listeners behind 15001).
        var bind: String?
        var port: Int
        var proto: ServiceProtocol
        var services: [MeshService]
    }

    struct IngressListener {
        var bind: String
        var port: Int
        var name: String
        var proto: ServiceProtocol
        /// Where the application listens.
        var endpointAddress: String
        var endpointPort: Int
        /// Reached by transparent capture (a filter chain of `virtualInbound` on
        /// 15006) rather than by a listener bound to the port (captureMode NONE).
        var captured = false
    }

    let proxy: ProxyNode
    let sidecar: Scoped<Sidecar>?
    /// All services this proxy may reach (for clusters and endpoints).
    let services: [MeshService]
    let egress: [EgressListener]
    /// Outbound traffic is captured (Istio's virtualOutbound on 15001), even when no
    /// service matches: true unless every egress listener is bound (captureMode NONE).
    let capturesOutbound: Bool
    let ingress: [IngressListener]
    let registryOnly: Bool

    init(proxy: ProxyNode, snapshot: MeshSnapshot) {
        self.proxy = proxy
        // Sidecar resources scope sidecars only; gateways see every visible service.
        let sidecar = proxy.kind == .sidecar ? snapshot.sidecar(for: proxy) : nil
        self.sidecar = sidecar
        let visible = snapshot.registry.services.filter { $0.isVisible(from: proxy.namespace) }
        registryOnly = sidecar?.spec.outboundTrafficPolicy?.mode == .registryOnly
        var egress: [EgressListener] = []
        var reachable: [String: MeshService] = [:]
        let listeners = sidecar?.spec.egress ?? []
        if listeners.isEmpty {
            for service in visible { reachable[service.hostname] = service }
            egress = Self.transparentListeners(reachable.values.sorted { $0.hostname < $1.hostname })
        } else {
            for listener in listeners {
                let selected = visible.filter { service in
                    (listener.hosts ?? []).contains { Self.hostPattern($0, proxyNamespace: proxy.namespace, matches: service) }
                }
                for service in selected { reachable[service.hostname] = service }
                if let port = listener.port, let number = port.number, number > 0 {
                    let bind = listener.bind ?? (listener.captureMode == IstioEgressListener.CaptureMode.none ? proxy.primaryIP : nil)
                    egress.append(EgressListener(bind: bind, port: number, proto: ServiceProtocol(declared: port.protocol ?? ""),
                                                 services: selected.filter { $0.port(number: number) != nil }))
                } else {
                    egress += Self.transparentListeners(selected)
                }
            }
        }
        services = reachable.values.sorted { $0.hostname < $1.hostname }
        self.egress = egress
        capturesOutbound = listeners.isEmpty || listeners.contains { listener in
            (listener.port?.number ?? 0) <= 0 || (listener.bind == nil && listener.captureMode != IstioEgressListener.CaptureMode.none)
        }
        ingress = Self.ingressListeners(proxy: proxy, sidecar: sidecar, snapshot: snapshot)
    }

    /// One listener per service port number, as Istio's per-port outbound listeners.
    static func transparentListeners(_ services: [MeshService]) -> [EgressListener] {
        var byPort: [Int: EgressListener] = [:]
        for service in services {
            for port in service.ports where port.proto != .udp {
                byPort[port.number, default: EgressListener(bind: nil, port: port.number, proto: port.proto, services: [])].services.append(service)
            }
        }
        return byPort.values.sorted { $0.port < $1.port }
    }

    /// `ns/host`: namespace `*`, `.` (the proxy's) or a name (`~` matches nothing);
    /// host `*`, `*.suffix` or exact.
    static func hostPattern(_ pattern: String, proxyNamespace: String, matches service: MeshService) -> Bool {
        let parts = pattern.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        let namespace = parts[0] == "." ? proxyNamespace : parts[0]
        if namespace == "~" { return false }
        guard namespace == "*" || namespace == service.namespace else { return false }
        let host = parts[1]
        if host == "*" { return true }
        if host.hasPrefix("*") { return service.hostname.hasSuffix(String(host.dropFirst())) }
        return host == service.hostname
    }

    /// Sidecar ingress listeners (captureMode NONE: bound on the workload's address),
    /// or, without them, one per port of every service that selects this workload.
    static func ingressListeners(proxy: ProxyNode, sidecar: Scoped<Sidecar>?, snapshot: MeshSnapshot) -> [IngressListener] {
        if let declared = sidecar?.spec.ingress, !declared.isEmpty {
            return declared.compactMap { listener in
                guard let port = listener.port, let number = port.number else { return nil }
                let (address, target) = Self.defaultEndpoint(listener.defaultEndpoint, proxy: proxy, port: number)
                return IngressListener(bind: listener.bind ?? proxy.primaryIP, port: number, name: port.name ?? "",
                                       proto: ServiceProtocol(declared: port.protocol ?? ""), endpointAddress: address, endpointPort: target,
                                       captured: listener.captureMode != IstioIngressListener.CaptureMode.none)
            }
        }
        var result: [Int: IngressListener] = [:]
        for service in snapshot.registry.services {
            guard let selector = service.selector, !selector.isEmpty, service.namespace == proxy.namespace, proxy.matches(selector) else { continue }
            for port in service.ports where result[port.number] == nil {
                let target = port.targetPort ?? port.number
                result[port.number] = IngressListener(bind: proxy.primaryIP, port: port.number, name: port.name, proto: port.proto,
                                                      endpointAddress: proxy.primaryIP, endpointPort: target, captured: true)
            }
        }
        return result.values.sorted { $0.port < $1.port }
    }

    /// `127.0.0.1:8080` -> loopback; `0.0.0.0:8080` -> the workload's own address.
    static func defaultEndpoint(_ value: String?, proxy: ProxyNode, port: Int) -> (String, Int) {
        guard let value, let colon = value.lastIndex(of: ":"), let target = Int(value[value.index(after: colon)...]) else {
            return (proxy.primaryIP, port)
        }
        var host = String(value[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        let address = (host == "0.0.0.0" || host == "::" || host.isEmpty) ? proxy.primaryIP : host
        return (address, target)
    }
}
