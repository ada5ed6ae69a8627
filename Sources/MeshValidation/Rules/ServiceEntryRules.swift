import MeshConfig
import MeshCore

/// ServiceEntry semantics: hosts, addresses, ports, resolution vs endpoints.
enum ServiceEntryRules {
    static func validate(_ entry: ServiceEntry, meta: ObjectMeta, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        let hosts = entry.hosts ?? []
        let resolution = entry.resolution ?? .none
        if let selector = entry.workloadSelector {
            AlphaWorkloadSelector.validate(selector.labels, spec / "workloadSelector" / "labels", &sink)
            CommonChecks.selector(selector.labels, present: true, spec / "workloadSelector", &sink, emptyMeaning: "it selects every workload in the namespace")
        }
        if entry.workloadSelector != nil && entry.endpoints != nil {
            sink.error(spec, "workloadSelector and endpoints cannot both be set")
        }
        if hosts.isEmpty { sink.error(spec / "hosts", "at least one host is required") }
        for (index, host) in hosts.enumerated() {
            let path = spec / "hosts" / index
            if host == "*" { sink.error(path, "host cannot be the wildcard *"); continue }
            if IPAddress.isAddress(host) {
                // Istio's ValidateWildcardDomain: an IPv4 address fails (all-numeric top-level domain).
                sink.error(path, "host \"\(host)\" is invalid: the top-level domain cannot be all-numeric (put IPs in addresses or endpoints)")
                continue
            }
            CommonChecks.wildcardHost(host, path, &sink)
            if host.contains("*") && !host.hasPrefix("*.") { sink.warning(path, "partial wildcard \"\(host)\" matches unexpected hosts") }
        }
        for (index, address) in (entry.addresses ?? []).enumerated() {
            if let problem = IPAddress.cidrProblem(address) { sink.error(spec / "addresses" / index, problem) }
        }
        var portNames = Set<String>()
        var portNumbers = Set<Int>()
        let ports = entry.ports ?? []
        for (index, port) in ports.enumerated() {
            let path = spec / "ports" / index
            let name = port.name ?? ""
            if name.isEmpty { sink.error(path / "name", "port name is required") }
            else {
                if !HostName.isLabel(name) { sink.error(path / "name", "port name \"\(name)\" must be a DNS-1123 label") }
                if !portNames.insert(name).inserted { sink.error(path / "name", "duplicate port name \"\(name)\"") }
            }
            if let number = port.number, !portNumbers.insert(number).inserted {
                sink.error(path / "number", "duplicate port number \(number)")
            }
            if let target = port.targetPort, target != 0 { CommonChecks.port(target, path / "targetPort", &sink) }
            Protocols.validate(port.protocol, path / "protocol", &sink)
        }
        switch resolution {
        case .none:
            if entry.endpoints != nil { sink.error(spec / "endpoints", "resolution NONE cannot have endpoints") }
        case .static:
            for (index, endpoint) in (entry.endpoints ?? []).enumerated() {
                let path = spec / "endpoints" / index
                let address = endpoint.address ?? ""
                if !address.isEmpty && !address.hasPrefix("unix://") && !IPAddress.isAddress(address) {
                    sink.error(path / "address", "resolution STATIC needs IP (or unix://) endpoint addresses, got \"\(address)\"")
                }
                WorkloadEntryRules.validateEndpoint(endpoint, path, standalone: false, declaredPorts: portNames, &sink)
                if address.hasPrefix("unix://") && portNames.count != 1 {
                    sink.error(path / "address", "a unix endpoint needs exactly 1 ServiceEntry port, found \(portNames.count)")
                }
            }
        case .dns, .dnsRoundRobin, .dynamicDns:
            if (entry.endpoints ?? []).isEmpty {
                for (index, host) in hosts.enumerated() where host.contains("*") {
                    sink.error(spec / "hosts" / index, "resolution \(resolution.rawValue) without endpoints needs concrete host names, not \"\(host)\"")
                }
            }
            for (index, endpoint) in (entry.endpoints ?? []).enumerated() {
                let address = endpoint.address ?? ""
                // Istio requires an IP or FQDN here: no unix sockets, and no network-only endpoints.
                if address.isEmpty || address.hasPrefix("unix://") {
                    sink.error(spec / "endpoints" / index / "address", "resolution \(resolution.rawValue) needs an IP address or a host name, got \"\(address)\"")
                }
                WorkloadEntryRules.validateEndpoint(endpoint, spec / "endpoints" / index, standalone: true, declaredPorts: portNames, &sink)
            }
        }
        if resolution != .none && hosts.count > 1 {
            for (index, port) in ports.enumerated() {
                let proto = Protocols.normalized(port.protocol)
                if !Protocols.isHTTP(proto) && !Protocols.isTLS(proto) {
                    sink.error(spec / "ports" / index / "protocol", "multiple hosts with resolution \(resolution.rawValue) need HTTP or TLS ports to tell them apart, not \(proto.isEmpty ? "unspecified" : proto)")
                }
            }
        }
        CommonChecks.exportTo(entry.exportTo, namespace: meta.namespace ?? ConfigObject.defaultNamespace, allowNone: true, spec / "exportTo", &sink)
    }
}

/// WorkloadEntry (standalone and as ServiceEntry endpoints) and WorkloadGroup.
enum WorkloadEntryRules {
    static func validate(_ entry: WorkloadEntry, into sink: inout DiagnosticSink) {
        validateEndpoint(entry, FieldPath([.key("spec")]), standalone: true, declaredPorts: nil, &sink)
    }

    static func validateEndpoint(_ entry: WorkloadEntry, _ path: FieldPath, standalone: Bool, declaredPorts: Set<String>?, _ sink: inout DiagnosticSink) {
        let address = entry.address ?? ""
        if address.isEmpty {
            if (entry.network ?? "").isEmpty { sink.error(path / "address", "address is required (or a network for a remote endpoint)") }
        } else if address.hasPrefix("unix://") {
            if entry.ports != nil { sink.error(path / "ports", "a unix socket address cannot have ports") }
        } else if !IPAddress.isAddress(address) {
            if !standalone || HostName.wildcardDomainProblem(address, allowWildcard: false) != nil || CommonChecks.topLevelIsNumeric(address) {
                sink.error(path / "address", "address \"\(address)\" must be an IP address\(standalone ? " or a host name" : "")")
            }
        }
        for (name, number) in (entry.ports ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let declaredPorts, !declaredPorts.contains(name) {
                sink.error(path / "ports" / name, "port \"\(name)\" is not declared in the ServiceEntry's ports")
            }
            CommonChecks.port(number, path / "ports" / name, &sink)
        }
        CommonChecks.labels(entry.labels, path / "labels", &sink)
        if let weight = entry.weight, weight < 0 { sink.error(path / "weight", "weight cannot be negative") }
    }

    static func validateGroup(_ group: WorkloadGroup, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        if group.template == nil { sink.error(spec / "template", "template is required") }
        CommonChecks.labels(group.metadata?.labels, spec / "metadata" / "labels", &sink)
        guard let probe = group.probe else { return }
        let path = spec / "probe"
        for (field, value) in [("periodSeconds", probe.periodSeconds), ("initialDelaySeconds", probe.initialDelaySeconds), ("timeoutSeconds", probe.timeoutSeconds), ("successThreshold", probe.successThreshold), ("failureThreshold", probe.failureThreshold)] {
            if let value, value < 0 { sink.error(path / field, "\(field) cannot be negative") }
        }
        let methods = [probe.httpGet != nil, probe.tcpSocket != nil, probe.exec != nil, probe.grpc != nil].filter { $0 }.count
        if methods == 0 { sink.error(path, "probe needs one of httpGet, tcpSocket, exec or grpc") }
        if let http = probe.httpGet {
            CommonChecks.port(http.port, path / "httpGet" / "port", &sink)
            for (index, header) in (http.httpHeaders ?? []).enumerated() {
                let name = header.name ?? ""
                if name.isEmpty || !name.utf8.allSatisfy({ HostName.isAlphanumeric($0) || $0 == UInt8(ascii: "-") }) {
                    sink.error(path / "httpGet" / "httpHeaders" / index / "name", "\"\(name)\" is not a valid header name")
                }
            }
        }
        if let tcp = probe.tcpSocket { CommonChecks.port(tcp.port, path / "tcpSocket" / "port", &sink) }
        if let exec = probe.exec, (exec.command ?? []).isEmpty { sink.error(path / "exec" / "command", "command is required") }
    }
}
