import MeshConfig

extension ServiceRegistry {
    /// One service per ServiceEntry host; endpoints from `endpoints`, from the
    /// WorkloadEntries (and Pods) its `workloadSelector` matches, or the hosts
    /// themselves for DNS resolution without endpoints.
    mutating func addServiceEntries(_ objects: [ConfigObject]) {
        for object in objects {
            guard case .serviceEntry(let entry) = object.spec else { continue }
            let ports = (entry.ports ?? []).compactMap { port -> MeshService.Port? in
                guard let number = port.number else { return nil }
                return MeshService.Port(name: port.name ?? "", number: number, targetPort: port.targetPort,
                                        proto: ServiceProtocol(declared: port.protocol ?? ""))
            }
            let resolution: MeshService.Resolution = switch entry.resolution ?? .none {
            case .none: .passthrough
            case .static: .staticEndpoints
            case .dns, .dynamicDns: .dns
            case .dnsRoundRobin: .dnsRoundRobin
            }
            let exportTo = Set((entry.exportTo ?? []).map { $0 == "." ? object.namespace : $0 })
            let selector = entry.workloadSelector?.labels
            for host in entry.hosts ?? [] {
                add(MeshService(hostname: host, namespace: object.namespace, ports: ports, addresses: entry.addresses ?? [],
                                resolution: resolution, meshExternal: entry.location == .meshExternal,
                                exportTo: exportTo.isEmpty ? ["*"] : exportTo, selector: selector,
                                subjectAltNames: entry.subjectAltNames ?? []))
                for endpoint in entry.endpoints ?? [] {
                    guard let address = endpoint.address, !address.isEmpty else { continue }
                    for port in ports {
                        let target = endpoint.ports?[port.name] ?? port.targetPort ?? port.number
                        add(MeshEndpoint(serviceHostname: host, servicePortNumber: port.number, address: address, port: target,
                                         labels: endpoint.labels ?? [:], namespace: object.namespace, serviceAccount: endpoint.serviceAccount,
                                         locality: endpoint.locality, weight: endpoint.weight, network: endpoint.network))
                    }
                }
                if let selector, !selector.isEmpty {
                    for workload in workloads where workload.namespace == object.namespace && workload.matches(selector) {
                        for port in ports {
                            let target = workload.ports[port.name] ?? port.targetPort ?? port.number
                            add(MeshEndpoint(serviceHostname: host, servicePortNumber: port.number, address: workload.address, port: target,
                                             labels: workload.labels, namespace: object.namespace, serviceAccount: workload.serviceAccount,
                                             locality: workload.locality, weight: workload.weight, network: workload.network,
                                             workloadName: workload.name, sidecar: workload.hasSidecar))
                        }
                    }
                }
                if entry.endpoints == nil, selector == nil, resolution == .dns || resolution == .dnsRoundRobin, !host.hasPrefix("*") {
                    for port in ports {
                        add(MeshEndpoint(serviceHostname: host, servicePortNumber: port.number, address: host,
                                         port: port.targetPort ?? port.number, namespace: object.namespace))
                    }
                }
            }
        }
    }
}
