import MeshConfig
import MeshCore

/// Gateway semantics: servers, ports and protocols, hosts, TLS settings.
enum GatewayRules {
    static func validate(_ gateway: Gateway, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        if let name = meta.name, !name.isEmpty, !HostName.isDNS1123LowercaseLabel(name) {
            sink.error(FieldPath([.key("metadata"), .key("name")]), "a Gateway name must be a DNS-1123 label (no dots), got \"\(name)\"")
        }
        let servers = gateway.servers ?? []
        if servers.isEmpty { sink.error(spec / "servers", "a gateway needs at least one server") }
        var portNames: [String: Int] = [:]
        for (index, server) in servers.enumerated() {
            let path = spec / "servers" / index
            validateServer(server, path, &sink)
            if let name = server.port?.name, !name.isEmpty {
                if let first = portNames[name] {
                    sink.error(path / "port" / "name", "port name \"\(name)\" is already used by server \(first)")
                } else {
                    portNames[name] = index
                }
            }
        }
    }

    static func validateServer(_ server: Server, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        let hosts = server.hosts ?? []
        if hosts.isEmpty { sink.error(path / "hosts", "a server needs at least one host") }
        for (index, host) in hosts.enumerated() {
            NamespacedHost.validate(host, path / "hosts" / index, forGateway: true, &sink)
        }
        guard let port = server.port else {
            sink.error(path / "port", "port is required")
            return
        }
        let proto = Protocols.normalized(port.protocol)
        var portValid = true
        if !Protocols.gatewayProtocols.contains(proto) {
            sink.error(path / "port" / "protocol", "unsupported protocol \"\(port.protocol ?? "")\" (use one of HTTP, HTTPS, HTTP2, GRPC, GRPC-WEB, TLS, TCP, MONGO, REDIS, MYSQL)")
            portValid = false
        }
        let bind = server.bind ?? ""
        if bind.hasPrefix("unix://") {
            if let problem = UnixAddress.problem(bind) { sink.error(path / "bind", problem) }
            if (port.number ?? 0) != 0 { sink.error(path / "port" / "number", "a server bound to a unix socket must use port number 0") }
        } else {
            if let number = port.number { CommonChecks.port(number, path / "port" / "number", &sink) } else {
                sink.error(path / "port" / "number", "port number is required"); portValid = false
            }
            if !bind.isEmpty && !IPAddress.isAddress(bind) { sink.error(path / "bind", "bind \"\(bind)\" must be an IP address or unix:// path") }
        }
        if let target = port.targetPort, target > 0 {
            sink.error(path / "port" / "targetPort", "targetPort has no effect on Gateways; remove it")
        }
        if (port.name ?? "").isEmpty { sink.error(path / "port" / "name", "port name is required") }
        guard portValid else { return }
        let tls = server.tls
        if Protocols.isTLS(proto) && tls == nil {
            sink.error(path / "tls", "server on a \(proto) port must configure tls")
        }
        if let tls {
            let mode = tls.mode ?? .passthrough
            if Protocols.isHTTP(proto) {
                let passthrough = mode == .passthrough || mode == .autoPassthrough
                if !passthrough || tls.caCertificates != nil || tls.privateKey != nil || tls.serverCertificate != nil {
                    sink.error(path / "tls", "server on plain-text \(proto) port cannot terminate TLS (use HTTPS, or only set httpsRedirect)")
                }
            } else if !Protocols.isTLS(proto) {
                sink.error(path / "tls", "tls settings are not allowed on a \(proto) port")
            }
            if tls.httpsRedirect == true && !Protocols.isHTTP(proto) {
                sink.warning(path / "tls" / "httpsRedirect", "httpsRedirect only applies to HTTP servers")
            }
            ServerTLSRules.validate(tls, path / "tls", &sink)
        }
    }
}

/// Protocol names as Istio writes them on ports.
enum Protocols {
    static let all: Set<String> = ["TCP", "UDP", "GRPC", "GRPC-WEB", "HTTP", "HTTP_PROXY", "HTTP2", "HTTPS", "TLS", "MONGO", "REDIS", "MYSQL"]
    static let gatewayProtocols: Set<String> = ["HTTP", "HTTPS", "HTTP2", "GRPC", "GRPC-WEB", "TLS", "TCP", "MONGO", "REDIS", "MYSQL", "HTTP_PROXY", "UDP"]

    static func normalized(_ value: String?) -> String { (value ?? "").uppercased() }
    static func isHTTP(_ proto: String) -> Bool { ["HTTP", "HTTP2", "HTTP_PROXY", "GRPC", "GRPC-WEB"].contains(proto) }
    static func isTLS(_ proto: String) -> Bool { proto == "HTTPS" || proto == "TLS" }

    static func validate(_ value: String?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        guard let value, !value.isEmpty else { return }
        if !all.contains(value.uppercased()) {
            sink.error(path, "unsupported protocol \"\(value)\" (use one of \(all.sorted().joined(separator: ", ")))")
        }
    }
}

/// `namespace/host` references (Gateway server hosts, Sidecar egress hosts).
enum NamespacedHost {
    static func validate(_ value: String, _ path: FieldPath, forGateway: Bool, _ sink: inout DiagnosticSink) {
        guard let slash = value.firstIndex(of: "/") else {
            if forGateway { hostPart(value, path, forGateway: true, &sink) }
            else { sink.error(path, "host \"\(value)\" must be of the form namespace/dnsName") }
            return
        }
        let namespace = String(value[..<slash])
        let host = String(value[value.index(after: slash)...])
        if namespace.isEmpty || host.isEmpty {
            sink.error(path, "namespace and host in \"\(value)\" cannot be empty")
            return
        }
        let specials: Set<String> = forGateway ? ["*", "."] : ["*", ".", "~"]
        if !specials.contains(namespace) && !HostName.isLabel(namespace) {
            sink.error(path, "invalid namespace \"\(namespace)\" in \"\(value)\" (use *, ., a namespace name\(forGateway ? "" : " or ~"))")
        }
        hostPart(host, path, forGateway: forGateway, &sink)
    }

    /// Istio's `validateSidecarOrGatewayHostnamePart`: no short names (checked first, so
    /// dot-less IPv6 addresses fail too); Gateways accept IP addresses, Sidecars do not.
    static func hostPart(_ host: String, _ path: FieldPath, forGateway: Bool, _ sink: inout DiagnosticSink) {
        if host == "*" { return }
        if !host.contains(".") {
            sink.error(path, "short name \"\(host)\" is not allowed here: use a fully qualified name")
            return
        }
        if IPAddress.isAddress(host) {
            if !forGateway { sink.error(path, "IP address \"\(host)\" is not allowed in Sidecar egress hosts: use a host name") }
            return
        }
        if host.contains("*") && !host.hasPrefix("*.") {
            sink.error(path, "partial wildcard \"\(host)\" is not allowed (use *.domain)")
            return
        }
        CommonChecks.wildcardHost(host, path, &sink)
    }
}

