import MeshRegistry

/// The names a client may use for a service in the Host header, as Istio lists them in
/// a virtual host's domains: FQDN, and for Kubernetes services `name`, `name.ns`,
/// `name.ns.svc` (short forms only from the same namespace), each with and without
/// the port; plus the service's VIPs.
enum HostAliases {
    static func domains(for service: MeshService, port: Int, proxyNamespace: String) -> [String] {
        var names = [service.hostname]
        if let name = service.kubernetesName {
            if service.namespace == proxyNamespace { names.append(name) }
            names.append("\(name).\(service.namespace)")
            names.append("\(name).\(service.namespace).svc")
        }
        names += service.addresses.filter { !$0.contains("/") }
        return names.flatMap { [$0, "\($0):\(port)"] }
    }
}

/// Gateway server hosts vs VirtualService hosts.
enum GatewayHosts {
    /// The domain a VirtualService host is served under by a server with `serverHosts`,
    /// or nil when the server does not accept it.
    static func intersect(_ vsHost: String, _ serverHosts: [String]) -> String? {
        for serverHost in serverHosts {
            if serverHost == "*" { return vsHost }
            if vsHost == "*" { return serverHost }
            if serverHost == vsHost { return vsHost }
            if serverHost.hasPrefix("*"), vsHost.hasSuffix(String(serverHost.dropFirst())) { return vsHost }
            if vsHost.hasPrefix("*"), serverHost.hasSuffix(String(vsHost.dropFirst())) { return serverHost }
        }
        return nil
    }
}
