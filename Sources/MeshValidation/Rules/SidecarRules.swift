import MeshConfig
import MeshCore

/// Sidecar semantics: ingress listeners, egress hosts, outbound policy.
enum SidecarRules {
    static func validate(_ sidecar: Sidecar, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        let namespace = meta.namespace ?? ConfigObject.defaultNamespace
        if let selector = sidecar.workloadSelector {
            AlphaWorkloadSelector.validate(selector.labels, spec / "workloadSelector" / "labels", &sink)
            CommonChecks.selector(selector.labels, present: true, spec / "workloadSelector", &sink, emptyMeaning: "it applies to every workload in the namespace")
        }
        // Istio tests the lists' lengths: `egress: []` is as empty as no egress at all.
        if (sidecar.egress ?? []).isEmpty && (sidecar.ingress ?? []).isEmpty && sidecar.outboundTrafficPolicy == nil && sidecar.inboundConnectionPool == nil {
            sink.error(spec, "empty Sidecar: set egress, ingress, outboundTrafficPolicy or inboundConnectionPool")
        }
        var ingressPorts = Set<Int>()
        for (index, listener) in (sidecar.ingress ?? []).enumerated() {
            let path = spec / "ingress" / index
            guard let port = listener.port else { sink.error(path / "port", "port is required"); continue }
            checkPort(port, path / "port", &sink)
            if port.number == nil { sink.error(path / "port" / "number", "port number 0 must be in the range 1..65535") }
            if let number = port.number, !ingressPorts.insert(number).inserted {
                sink.error(path / "port" / "number", "duplicate ingress port \(number)")
            }
            if let bind = listener.bind, !bind.isEmpty, !IPAddress.isAddress(bind) {
                sink.error(path / "bind", "bind \"\(bind)\" must be an IP address")
            }
            if let endpoint = listener.defaultEndpoint { checkDefaultEndpoint(endpoint, path / "defaultEndpoint", &sink) }
            if let tls = listener.tls {
                for (field, set) in [("subjectAltNames", tls.subjectAltNames != nil), ("httpsRedirect", tls.httpsRedirect != nil), ("credentialName", tls.credentialName != nil), ("credentialNames", tls.credentialNames != nil), ("tlsCertificates", tls.tlsCertificates != nil)] where set {
                    sink.error(path / "tls" / field, "\(field) is not supported on Sidecar ingress TLS")
                }
                if tls.mode == .istioMutual || tls.mode == .autoPassthrough {
                    sink.error(path / "tls" / "mode", "\(tls.mode!.rawValue) is not supported on Sidecar ingress TLS")
                }
                if !Protocols.isTLS(Protocols.normalized(port.protocol)) {
                    sink.error(path / "tls", "TLS settings need an HTTPS or TLS port")
                }
                ServerTLSRules.validate(tls, path / "tls", &sink)
            }
            if let pool = listener.connectionPool {
                ConnectionPoolRules.validate(pool, path / "connectionPool", &sink)
                if pool.http != nil, !Protocols.isHTTP(Protocols.normalized(port.protocol)) {
                    sink.warning(path / "connectionPool" / "http", "HTTP pool settings have no effect on a non-HTTP port")
                }
            }
        }
        if let pool = sidecar.inboundConnectionPool { ConnectionPoolRules.validate(pool, spec / "inboundConnectionPool", &sink) }
        checkEgress(sidecar.egress ?? [], spec / "egress", namespace: namespace, &sink)
        if let policy = sidecar.outboundTrafficPolicy, let proxy = policy.egressProxy {
            let path = spec / "outboundTrafficPolicy" / "egressProxy"
            if policy.mode != .allowAny { sink.error(path, "egressProxy requires mode ALLOW_ANY") }
            // Istio's ValidateFQDN: no wildcards, no IP addresses.
            if let host = proxy.host, !host.isEmpty, host != "*",
               HostName.wildcardDomainProblem(host, allowWildcard: false) != nil || CommonChecks.topLevelIsNumeric(host) {
                sink.error(path / "host", "egressProxy host \"\(host)\" must be a fully qualified domain name")
            }
            if proxy.port == nil { sink.error(path / "port", "egressProxy needs a port") }
            DestinationChecks.destination(proxy, path, &sink)
        }
    }

    static func checkPort(_ port: SidecarPort, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if let target = port.targetPort, target > 0 { sink.error(path / "targetPort", "targetPort is not supported on Sidecar listeners") }
        if let name = port.name, !name.isEmpty, !HostName.isLabel(name) { sink.error(path / "name", "port name \"\(name)\" must be a DNS-1123 label") }
        Protocols.validate(port.protocol, path / "protocol", &sink)
        CommonChecks.port(port.number, path / "number", &sink)
    }

    /// `unix:///path`, or `HOST:PORT` with HOST one of 127.0.0.1, 0.0.0.0, ::1, :: or empty.
    static func checkDefaultEndpoint(_ endpoint: String, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        if endpoint.hasPrefix("unix://") {
            if let problem = UnixAddress.problem(endpoint) { sink.error(path, problem) }
            return
        }
        guard let colon = endpoint.lastIndex(of: ":") else {
            sink.error(path, "defaultEndpoint \"\(endpoint)\" must be HOST:PORT or unix:///path")
            return
        }
        var host = String(endpoint[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            // Go's net.SplitHostPort: too many colons.
            sink.error(path, "defaultEndpoint \"\(endpoint)\" has too many colons: put IPv6 addresses in brackets, e.g. [::1]:8080")
            return
        }
        let port = Int(endpoint[endpoint.index(after: colon)...])
        if !["", "127.0.0.1", "0.0.0.0", "::1", "::"].contains(host) {
            sink.error(path, "defaultEndpoint host must be 127.0.0.1, 0.0.0.0, ::1 or ::, got \"\(host)\"")
        }
        if port == nil || !(1...65535).contains(port!) {
            sink.error(path, "defaultEndpoint \"\(endpoint)\" needs a port in the range 1..65535")
        }
    }

    static func checkEgress(_ listeners: [IstioEgressListener], _ path: FieldPath, namespace: String, _ sink: inout DiagnosticSink) {
        var ports = Set<Int>()
        var unixBinds = Set<String>()
        var catchAll = 0
        for (index, listener) in listeners.enumerated() {
            let listenerPath = path / index
            if let port = listener.port {
                if let target = port.targetPort, target > 0 { sink.error(listenerPath / "port" / "targetPort", "targetPort is not supported on Sidecar listeners") }
                if (port.number ?? 0) == 0 {
                    let bind = listener.bind ?? ""
                    if let name = port.name, !name.isEmpty, !HostName.isLabel(name) { sink.error(listenerPath / "port" / "name", "port name \"\(name)\" must be a DNS-1123 label") }
                    Protocols.validate(port.protocol, listenerPath / "port" / "protocol", &sink)
                    if !bind.hasPrefix("unix://") {
                        sink.error(listenerPath / "port" / "number", "port number 0 requires a unix:// bind")
                    } else if let problem = UnixAddress.problem(bind) {
                        sink.error(listenerPath / "bind", problem)
                    }
                    if let mode = listener.captureMode, mode != .default, mode != .none {
                        sink.error(listenerPath / "captureMode", "captureMode must be DEFAULT or NONE for unix domain socket listeners")
                    }
                    if !unixBinds.insert(bind).inserted { sink.error(listenerPath / "bind", "duplicate unix domain socket bind \"\(bind)\"") }
                } else {
                    checkPort(port, listenerPath / "port", &sink)
                    if !ports.insert(port.number!).inserted { sink.error(listenerPath / "port" / "number", "duplicate egress port \(port.number!)") }
                    if let bind = listener.bind, !bind.isEmpty, !IPAddress.isAddress(bind) {
                        sink.error(listenerPath / "bind", "bind \"\(bind)\" must be an IP address")
                    }
                }
            } else {
                catchAll += 1
                if catchAll > 1 { sink.error(listenerPath, "only one egress listener may omit the port") }
                else if index != listeners.count - 1 { sink.error(listenerPath, "the egress listener without a port must be the last one") }
            }
            let hosts = listener.hosts ?? []
            if hosts.isEmpty { sink.error(listenerPath / "hosts", "egress listener needs at least one host") }
            var seen: [(String, String)] = []
            for (hostIndex, host) in hosts.enumerated() {
                let hostPath = listenerPath / "hosts" / hostIndex
                NamespacedHost.validate(host, hostPath, forGateway: false, &sink)
                guard let slash = host.firstIndex(of: "/") else { continue }
                var ns = String(host[..<slash])
                if ns == "." { ns = namespace }
                let name = String(host[host.index(after: slash)...])
                if seen.contains(where: { $0.0 == ns && ($0.1 == name || $0.1 == "*" || name == "*") }) {
                    sink.warning(hostPath, "egress host \"\(host)\" duplicates or overlaps an earlier host")
                }
                seen.append((ns, name))
            }
        }
    }
}
