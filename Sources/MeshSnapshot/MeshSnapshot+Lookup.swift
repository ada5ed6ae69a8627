import MeshConfig
import MeshRegistry

extension MeshSnapshot {
    /// The Sidecar resource that applies to a proxy: one whose selector matches it in
    /// its namespace, else its namespace's selector-less one, else the root namespace's.
    public func sidecar(for proxy: ProxyNode) -> Scoped<Sidecar>? {
        let local = sidecars.filter { $0.namespace == proxy.namespace }
        if let selected = local.first(where: { sidecar in
            let labels = sidecar.spec.workloadSelector?.labels ?? [:]
            return !labels.isEmpty && proxy.matches(labels)
        }) {
            return selected
        }
        if let namespaceWide = local.first(where: { ($0.spec.workloadSelector?.labels ?? [:]).isEmpty }) { return namespaceWide }
        return sidecars.first { $0.namespace == rootNamespace && ($0.spec.workloadSelector?.labels ?? [:]).isEmpty }
    }

    /// Istio's DestinationRule lookup for `hostname` seen from `namespace`: the
    /// client's namespace first, then the service's namespace, then the root
    /// namespace; exact host before the most specific wildcard.
    public func destinationRule(for hostname: String, from namespace: String) -> Scoped<DestinationRule>? {
        let serviceNamespace = registry.service(hostname)?.namespace ?? Self.kubernetesNamespace(of: hostname)
        for scope in [namespace, serviceNamespace, rootNamespace].compactMap({ $0 }) {
            let candidates = destinationRules.filter { rule in
                rule.namespace == scope && isVisible(rule.spec.exportTo, owner: rule.namespace, to: namespace)
            }
            if let exact = candidates.first(where: { fqdn($0.spec.host ?? "", in: $0.namespace) == hostname }) { return exact }
            let wildcards = candidates.filter { wildcardMatches(fqdn($0.spec.host ?? "", in: $0.namespace), hostname) }
            if let best = wildcards.max(by: { ($0.spec.host ?? "").count < ($1.spec.host ?? "").count }) { return best }
        }
        return nil
    }

    /// VirtualServices bound to `gateway` (`namespace/name`, or `mesh`) visible from `namespace`.
    public func virtualServices(boundTo gateway: String, visibleFrom namespace: String) -> [Scoped<VirtualService>] {
        virtualServices.filter { vs in
            guard !(vs.spec.hosts ?? []).isEmpty else { return false }
            let gateways = (vs.spec.gateways ?? []).map { qualifyGateway($0, from: vs.namespace) }
            let bound = gateway == "mesh" ? (gateways.isEmpty || gateways.contains("mesh")) : gateways.contains(gateway)
            return bound && (gateway != "mesh" || isVisible(vs.spec.exportTo, owner: vs.namespace, to: namespace))
        }
    }

    /// Delegate VirtualServices (no hosts) by `namespace/name`.
    public func delegate(named name: String, namespace: String) -> Scoped<VirtualService>? {
        virtualServices.first { $0.name == name && $0.namespace == namespace && ($0.spec.hosts ?? []).isEmpty }
    }

    /// Gateways whose selector matches a gateway proxy (in any namespace, as Istio's
    /// default allows).
    public func gateways(for proxy: ProxyNode) -> [Scoped<Gateway>] {
        gateways.filter { gateway in
            let selector = gateway.spec.selector ?? [:]
            return !selector.isEmpty && proxy.matches(selector)
        }
    }

    /// `name` -> `namespace/name`; `ns/name` and `mesh` unchanged.
    public func qualifyGateway(_ reference: String, from namespace: String) -> String {
        if reference == "mesh" || reference.contains("/") { return reference }
        return "\(namespace)/\(reference)"
    }

    /// Short names expand within the owner's namespace, as Istio does for VirtualService
    /// and DestinationRule hosts.
    public func fqdn(_ host: String, in namespace: String) -> String {
        if host.contains(".") || host.hasPrefix("*") { return host }
        return "\(host).\(namespace).svc.\(ServiceRegistry.clusterDomain)"
    }

    public func isVisible(_ exportTo: [String]?, owner: String, to namespace: String) -> Bool {
        let list = exportTo ?? []
        if list.isEmpty || list.contains("*") { return true }
        return list.contains { ($0 == "." ? owner : $0) == namespace }
    }

    /// `name.ns.svc.cluster.local` -> `ns`.
    static func kubernetesNamespace(of hostname: String) -> String? {
        let parts = hostname.split(separator: ".")
        guard parts.count >= 3, hostname.hasSuffix(".svc.\(ServiceRegistry.clusterDomain)") else { return nil }
        return String(parts[1])
    }

    func wildcardMatches(_ pattern: String, _ host: String) -> Bool {
        guard pattern.hasPrefix("*") else { return false }
        return pattern == "*" || host.hasSuffix(String(pattern.dropFirst()))
    }
}
