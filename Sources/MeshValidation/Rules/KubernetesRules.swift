import MeshConfig
import MeshCore

/// Kubernetes objects SwiftMesh reads: the checks the API server would make on the
/// fields we use (ports, selectors, addresses).
enum KubernetesRules {
    static let protocols: Set<String> = ["TCP", "UDP", "SCTP"]

    static func validate(_ spec: ConfigSpec, header: ObjectHeader, into sink: inout DiagnosticSink) {
        switch spec {
        case .service(let service): validateService(service, &sink)
        case .endpoints(let endpoints): validateEndpoints(endpoints, &sink)
        case .endpointSlice(let slice): validateEndpointSlice(slice, &sink)
        case .pod(let pod):
            if let ip = pod.status?.podIP, !ip.isEmpty, !IPAddress.isAddress(ip) {
                sink.error(FieldPath(parsing: "status.podIP"), "\"\(ip)\" is not an IP address")
            }
        case .deployment(let deployment):
            let selector = deployment.spec?.selector?.matchLabels ?? [:]
            if selector.isEmpty {
                sink.error(FieldPath(parsing: "spec.selector"), "a Deployment needs a non-empty selector (apps/v1)")
            }
            let labels = deployment.spec?.template?.metadata?.labels ?? [:]
            CommonChecks.labels(labels, FieldPath(parsing: "spec.template.metadata.labels"), &sink)
            for (key, value) in selector.sorted(by: { $0.key < $1.key }) where labels[key] != value {
                sink.error(FieldPath(parsing: "spec.selector.matchLabels").appending(key), "selector does not match the pod template labels")
            }
        case .secret(let secret): validateSecret(secret, &sink)
        case .configMap(let map) where header.metadata.name == IstioMeshConfig.configMapName:
            MeshConfigRules.validate(map, &sink)
        default:
            break
        }
    }

    /// Only what a gateway can use is checked, and values are never echoed.
    static func validateSecret(_ secret: KubeSecret, _ sink: inout DiagnosticSink) {
        for (key, value) in (secret.data ?? [:]).sorted(by: { $0.key < $1.key }) where KubeSecret.decodeBase64(value) == nil {
            sink.error(FieldPath(parsing: "data").appending(key), "value is not valid base64")
        }
        if secret.type == "kubernetes.io/tls" && (secret.certificateChain == nil || secret.privateKey == nil) {
            sink.error(FieldPath(parsing: "data"), "a kubernetes.io/tls Secret needs tls.crt and tls.key")
        }
    }

    static func validateService(_ service: KubeService, _ sink: inout DiagnosticSink) {
        let ports = service.spec?.ports ?? []
        let path = FieldPath(parsing: "spec.ports")
        var names = Set<String>()
        var numbers = Set<String>()
        for (index, port) in ports.enumerated() {
            let portPath = path / index
            if port.port == nil { sink.error(portPath / "port", "port is required") }
            CommonChecks.port(port.port, portPath / "port", &sink)
            switch port.targetPort {
            case .int(let target)?:
                // 0 (like an omitted targetPort) defaults to the port.
                if target != 0 { CommonChecks.port(target, portPath / "targetPort", &sink) }
            case .string(let target)?:
                if !target.isEmpty && !isIANAServiceName(target) {
                    sink.error(portPath / "targetPort", "targetPort \"\(target)\" must be a port number or an IANA service name (at most 15 lower case letters, digits and '-', with at least one letter)")
                }
            case nil:
                break
            }
            if let name = port.name, !name.isEmpty {
                if !HostName.isDNS1123LowercaseLabel(name) { sink.error(portPath / "name", "port name \"\(name)\" must be a DNS-1123 label") }
                if !names.insert(name).inserted { sink.error(portPath / "name", "duplicate port name \"\(name)\"") }
            } else if ports.count > 1 {
                sink.error(portPath / "name", "port name is required when a Service has more than one port")
            }
            let proto = port.protocol ?? "TCP"
            if !protocols.contains(proto) { sink.error(portPath / "protocol", "protocol must be TCP, UDP or SCTP, got \"\(proto)\"") }
            if !numbers.insert("\(port.port ?? 0)/\(proto)").inserted { sink.error(portPath / "port", "duplicate port \(port.port ?? 0)/\(proto)") }
        }
        CommonChecks.labels(service.spec?.selector, FieldPath(parsing: "spec.selector"), &sink)
        if let ip = service.spec?.clusterIP, !ip.isEmpty, ip != "None", !IPAddress.isAddress(ip) {
            sink.error(FieldPath(parsing: "spec.clusterIP"), "clusterIP \"\(ip)\" must be an IP address or None")
        }
    }

    /// Kubernetes `IsValidPortName` (IANA_SVC_NAME): 1-15 of [-a-z0-9], at least one
    /// letter, no leading, trailing or doubled '-'.
    static func isIANAServiceName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 15, bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-"), !name.contains("--") else { return false }
        guard bytes.allSatisfy({ HostName.isLowerAlphanumeric($0) || $0 == UInt8(ascii: "-") }) else { return false }
        return bytes.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }

    static func validateEndpoints(_ endpoints: KubeEndpoints, _ sink: inout DiagnosticSink) {
        for (index, subset) in (endpoints.subsets ?? []).enumerated() {
            let path = FieldPath(parsing: "subsets") / index
            for (field, addresses) in [("addresses", subset.addresses), ("notReadyAddresses", subset.notReadyAddresses)] {
                for (addressIndex, address) in (addresses ?? []).enumerated() where !IPAddress.isAddress(address.ip ?? "") {
                    sink.error(path / field / addressIndex / "ip", "\"\(address.ip ?? "")\" is not an IP address")
                }
            }
            for (portIndex, port) in (subset.ports ?? []).enumerated() {
                CommonChecks.port(port.port, path / "ports" / portIndex / "port", &sink)
            }
        }
    }

    static func validateEndpointSlice(_ slice: KubeEndpointSlice, _ sink: inout DiagnosticSink) {
        let type = slice.addressType ?? ""
        if !["IPv4", "IPv6", "FQDN"].contains(type) {
            sink.error(FieldPath(parsing: "addressType"), "addressType must be IPv4, IPv6 or FQDN, got \"\(type)\"")
        }
        for (index, endpoint) in (slice.endpoints ?? []).enumerated() {
            for (addressIndex, address) in (endpoint.addresses ?? []).enumerated() {
                let path = FieldPath(parsing: "endpoints") / index / "addresses" / addressIndex
                switch (type, IPAddress.family(of: address)) {
                case ("IPv4", .v4?), ("IPv6", .v6?): break
                case ("IPv4", _): sink.error(path, "\"\(address)\" is not an IPv4 address (addressType IPv4)")
                case ("IPv6", _): sink.error(path, "\"\(address)\" is not an IPv6 address (addressType IPv6)")
                case ("FQDN", _):
                    if !HostName.isDNS1123Subdomain(address) { sink.error(path, "\"\(address)\" is not a valid FQDN (addressType FQDN)") }
                default: break
                }
            }
        }
        for (index, port) in (slice.ports ?? []).enumerated() {
            CommonChecks.port(port.port, FieldPath(parsing: "ports") / index / "port", &sink)
        }
    }
}
