import MeshConfig

extension ServiceRegistry {
    /// `name.namespace.svc.cluster.local` with endpoints from Endpoints, EndpointSlices,
    /// or (when neither is given) the Pods and WorkloadEntries its selector matches.
    mutating func addKubernetesServices(_ objects: [ConfigObject]) {
        for object in objects {
            guard case .service(let kube) = object.spec, let spec = kube.spec else { continue }
            if spec.type == "ExternalName" { continue }
            let hostname = "\(object.name).\(object.namespace).svc.\(Self.clusterDomain)"
            let ports = (spec.ports ?? []).compactMap { port -> MeshService.Port? in
                guard let number = port.port else { return nil }
                var target: Int?
                if case .int(let value)? = port.targetPort { target = value }
                return MeshService.Port(name: port.name ?? "", number: number, targetPort: target,
                                        proto: ServiceProtocol(portName: port.name, appProtocol: port.appProtocol, transport: port.protocol))
            }
            let exportTo = object.metadata.annotations?["networking.istio.io/exportTo"].map {
                Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: " ") })
            } ?? ["*"]
            let vip = spec.clusterIP.flatMap { $0 == "None" || $0.isEmpty ? nil : $0 }
            add(MeshService(hostname: hostname, namespace: object.namespace, ports: ports, addresses: vip.map { [$0] } ?? [],
                            resolution: .staticEndpoints, exportTo: exportTo, selector: spec.selector, kubernetesName: object.name))
            let before = endpoints[hostname]?.count ?? 0
            addEndpointsObjects(objects, service: object, hostname: hostname, ports: ports, kubePorts: spec.ports ?? [])
            if (endpoints[hostname]?.count ?? 0) == before, let selector = spec.selector, !selector.isEmpty {
                addSelected(selector: selector, namespace: object.namespace, hostname: hostname, ports: ports, kubePorts: spec.ports ?? [])
            }
        }
    }

    private mutating func addEndpointsObjects(_ objects: [ConfigObject], service: ConfigObject, hostname: String, ports: [MeshService.Port], kubePorts: [KubeService.Port]) {
        for object in objects where object.namespace == service.namespace {
            switch object.spec {
            case .endpoints(let eps) where object.name == service.name:
                for subset in eps.subsets ?? [] {
                    for address in subset.addresses ?? [] {
                        guard let ip = address.ip else { continue }
                        for port in subset.ports ?? [] {
                            guard let servicePort = ports.first(where: { $0.name == (port.name ?? "") }) ?? (ports.count == 1 ? ports.first : nil),
                                  let number = port.port else { continue }
                            add(endpoint(hostname, servicePort, ip, number, namespace: object.namespace, podName: address.targetRef?.name))
                        }
                    }
                }
            case .endpointSlice(let slice) where object.metadata.labels?["kubernetes.io/service-name"] == service.name:
                for item in slice.endpoints ?? [] where item.conditions?.ready != false {
                    for ip in item.addresses ?? [] {
                        for port in slice.ports ?? [] {
                            guard let servicePort = ports.first(where: { $0.name == (port.name ?? "") }) ?? (ports.count == 1 ? ports.first : nil),
                                  let number = port.port else { continue }
                            var result = endpoint(hostname, servicePort, ip, number, namespace: object.namespace, podName: item.targetRef?.name)
                            if let zone = item.zone { result.locality = zone }
                            add(result)
                        }
                    }
                }
            default:
                continue
            }
        }
    }

    private mutating func addSelected(selector: [String: String], namespace: String, hostname: String, ports: [MeshService.Port], kubePorts: [KubeService.Port]) {
        for workload in workloads where workload.namespace == namespace && workload.matches(selector) {
            for (index, port) in ports.enumerated() {
                var target = port.targetPort ?? port.number
                if index < kubePorts.count, case .string(let name)? = kubePorts[index].targetPort {
                    guard let named = workload.ports[name] else { continue }
                    target = named
                } else if workload.kind == .workloadEntry, let named = workload.ports[port.name] {
                    target = named
                }
                add(MeshEndpoint(serviceHostname: hostname, servicePortNumber: port.number, address: workload.address, port: target,
                                 labels: workload.labels, namespace: namespace, serviceAccount: workload.serviceAccount,
                                 locality: workload.locality, weight: workload.weight, network: workload.network, workloadName: workload.name,
                                 sidecar: workload.hasSidecar))
            }
        }
    }

    /// An endpoint from an Endpoints/EndpointSlice address, with its Pod's labels and
    /// service account when the Pod is known.
    private func endpoint(_ hostname: String, _ port: MeshService.Port, _ ip: String, _ number: Int, namespace: String, podName: String?) -> MeshEndpoint {
        let pod = workloads.first { $0.namespace == namespace && ($0.name == podName || $0.address == ip) }
        return MeshEndpoint(serviceHostname: hostname, servicePortNumber: port.number, address: ip, port: number,
                            labels: pod?.labels ?? [:], namespace: namespace, serviceAccount: pod?.serviceAccount,
                            locality: pod?.locality, workloadName: pod?.name, sidecar: pod?.hasSidecar ?? false)
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var slice = Substring(self)
        while slice.first == set { slice = slice.dropFirst() }
        while slice.last == set { slice = slice.dropLast() }
        return String(slice)
    }
}
