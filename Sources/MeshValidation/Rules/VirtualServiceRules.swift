import MeshConfig
import MeshCore

/// VirtualService semantics beyond the schema (hosts, gateways, route structure).
enum VirtualServiceRules {
    static func validate(_ vs: VirtualService, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        let hosts = vs.hosts ?? []
        let gateways = vs.gateways ?? []
        let isDelegate = hosts.isEmpty
        let appliesToMesh = gateways.isEmpty || gateways.contains("mesh")
        let appliesToGatewayOnly = !gateways.isEmpty && !gateways.contains("mesh")
        if isDelegate {
            if !gateways.isEmpty { sink.error(spec / "gateways", "a delegate VirtualService (no hosts) cannot set gateways") }
            if !(vs.tls ?? []).isEmpty { sink.error(spec / "tls", "a delegate VirtualService (no hosts) cannot have tls routes") }
            if !(vs.tcp ?? []).isEmpty { sink.error(spec / "tcp", "a delegate VirtualService (no hosts) cannot have tcp routes") }
        }
        GatewayReferences.validate(gateways, spec / "gateways", &sink)
        var validHosts: [String] = []
        for (index, host) in hosts.enumerated() {
            let path = spec / "hosts" / index
            if host == "*" && appliesToMesh {
                sink.error(path, "wildcard host * is not allowed for VirtualServices bound to the mesh gateway")
                continue
            }
            if IPAddress.isAddress(host) { validHosts.append(host); continue }
            var hostSink = DiagnosticSink()
            CommonChecks.wildcardHost(host, path, &hostSink)
            if hostSink.hasErrors { sink.append(contentsOf: hostSink.diagnostics) } else { validHosts.append(host) }
        }
        if validHosts.count == hosts.count {
            for i in 0..<hosts.count {
                for j in (i + 1)..<max(i + 1, hosts.count) where HostMatch.overlaps(hosts[i], hosts[j]) {
                    sink.error(spec / "hosts" / j, "duplicate host \"\(hosts[j])\" (overlaps \"\(hosts[i])\")")
                }
            }
        }
        if (vs.http ?? []).isEmpty && (vs.tcp ?? []).isEmpty && (vs.tls ?? []).isEmpty {
            sink.error(spec, "at least one of http, tcp or tls routes must be provided")
        }
        CommonChecks.exportTo(vs.exportTo, namespace: meta.namespace ?? ConfigObject.defaultNamespace, allowNone: false, spec / "exportTo", &sink)
        for (index, route) in (vs.http ?? []).enumerated() {
            HTTPRouteRules.validate(route, spec / "http" / index, isDelegate: isDelegate, gatewayOnly: appliesToGatewayOnly, &sink)
        }
        for (index, route) in (vs.tls ?? []).enumerated() {
            L4RouteRules.validateTLS(route, spec / "tls" / index, hosts: hosts, &sink)
        }
        for (index, route) in (vs.tcp ?? []).enumerated() {
            L4RouteRules.validateTCP(route, spec / "tcp" / index, &sink)
        }
        UnreachableRoutes.check(vs, spec, &sink)
    }
}

/// `gateways` lists: `namespace/name`, a bare name, or `mesh`.
enum GatewayReferences {
    static func validate(_ gateways: [String], _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (index, gateway) in gateways.enumerated() {
            let itemPath = path / index
            if let slash = gateway.firstIndex(of: "/") {
                let namespace = gateway[..<slash]
                let name = gateway[gateway.index(after: slash)...]
                if namespace.isEmpty || name.isEmpty {
                    sink.error(itemPath, "gateway \"\(gateway)\" must be namespace/name")
                } else if !HostName.isLabel(namespace) {
                    sink.error(itemPath, "gateway \"\(gateway)\" has an invalid namespace")
                } else if !HostName.isLabel(name) {
                    sink.error(itemPath, "gateway \"\(gateway)\" has an invalid name (must be a DNS-1123 label)")
                }
            } else if gateway.contains(".") {
                sink.warning(itemPath, "legacy gateway name format \"\(gateway)\": prefer namespace/name")
                if HostName.wildcardDomainProblem(gateway, allowWildcard: false) != nil {
                    sink.error(itemPath, "gateway \"\(gateway)\" is not a valid name")
                }
            } else if !HostName.isLabel(gateway) {
                sink.error(itemPath, "gateway \"\(gateway)\" is not a valid name")
            }
        }
    }
}
