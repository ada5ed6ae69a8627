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
            let labels = deployment.spec?.template?.metadata?.labels ?? [:]
            CommonChecks.labels(labels, FieldPath(parsing: "spec.template.metadata.labels"), &sink)
            for (key, value) in selector.sorted(by: { $0.key < $1.key }) where labels[key] != value {
                sink.error(FieldPath(parsing: "spec.selector.matchLabels").appending(key), "selector does not match the pod template labels")
            }
        default:
            break
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
            if case .int(let target)? = port.targetPort { CommonChecks.port(target, portPath / "targetPort", &sink) }
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
            for (addressIndex, address) in (endpoint.addresses ?? []).enumerated() where type != "FQDN" && !IPAddress.isAddress(address) {
                sink.error(FieldPath(parsing: "endpoints") / index / "addresses" / addressIndex, "\"\(address)\" is not an IP address")
            }
        }
        for (index, port) in (slice.ports ?? []).enumerated() {
            CommonChecks.port(port.port, FieldPath(parsing: "ports") / index / "port", &sink)
        }
    }
}
