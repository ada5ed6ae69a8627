import MeshRegistry

/// The names a client may use for a service in the Host header, as Istio lists them in
/// a virtual host's domains: FQDN, and for Kubernetes services `name`, `name.ns`,
/// `name.ns.svc` (short forms only from the same namespace), each with and without
/// the port; plus the service's VIPs.
enum HostAliases {
    static func domains(for service: MeshService, port: Int, proxyNamespace: String) -> [String] {
        var names = [service.hostname]
        // Any host of the form name.ns.svc.cluster.local (Kubernetes Service or
        // ServiceEntry) answers to the short forms DNS search paths produce.
        let suffix = ".svc.\(ServiceRegistry.clusterDomain)"
        if service.hostname.hasSuffix(suffix) {
            let parts = service.hostname.dropLast(suffix.count).split(separator: ".")
            if parts.count == 2 {
                let (name, namespace) = (String(parts[0]), String(parts[1]))
                if namespace == proxyNamespace { names.append(name) }
                names.append("\(name).\(namespace)")
                names.append("\(name).\(namespace).svc")
            }
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
