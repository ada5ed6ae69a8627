import MeshConfig

/// Services, their endpoints and the workloads of the mesh, built from config
/// objects (Kubernetes Services/Endpoints/EndpointSlices/Pods and Istio
/// ServiceEntry/WorkloadEntry/WorkloadGroup). Immutable; rebuilt on change. Pure.
public struct ServiceRegistry: Sendable {
    public static let clusterDomain = "cluster.local"

    public private(set) var services: [MeshService] = []
    /// Endpoints per service host name, in a stable order.
    public private(set) var endpoints: [String: [MeshEndpoint]] = [:]
    public private(set) var workloads: [Workload] = []
    private var byHostname: [String: Int] = [:]

    public init(_ objects: [ConfigObject], registrations: [AutoRegistration] = []) {
        workloads = Self.workloads(from: objects) + Self.workloads(from: objects, registrations: registrations)
        addKubernetesServices(objects)
        addServiceEntries(objects)
        for key in endpoints.keys {
            endpoints[key]?.sort { ($0.servicePortNumber, $0.address, $0.port) < ($1.servicePortNumber, $1.address, $1.port) }
        }
    }

    public func service(_ hostname: String) -> MeshService? {
        byHostname[hostname].map { services[$0] }
    }

    public func endpoints(of hostname: String, port: Int) -> [MeshEndpoint] {
        (endpoints[hostname] ?? []).filter { $0.servicePortNumber == port }
    }

    /// The service a host written in `namespace` means: exact FQDN, or a short name
    /// (`reviews`, `reviews.default`, `reviews.default.svc`) expanded as Kubernetes DNS does.
    public func resolve(_ host: String, from namespace: String) -> MeshService? {
        for candidate in Self.expansions(of: host, namespace: namespace) {
            if let service = service(candidate) { return service }
        }
        return nil
    }

    public static func expansions(of host: String, namespace: String) -> [String] {
        let suffix = "svc.\(clusterDomain)"
        let parts = host.split(separator: ".").count
        if host.hasSuffix(".\(suffix)") || host.hasPrefix("*") { return [host] }
        switch parts {
        case 1: return ["\(host).\(namespace).\(suffix)", host]
        case 2: return ["\(host).\(suffix)", host]
        case 3 where host.hasSuffix(".svc"): return ["\(host).\(clusterDomain)", host]
        default: return [host]
        }
    }

    mutating func add(_ service: MeshService) {
        if let index = byHostname[service.hostname] {
            // Same host from two sources: merge ports, keep the first definition.
            for port in service.ports where services[index].port(number: port.number) == nil {
                services[index].ports.append(port)
            }
            return
        }
        byHostname[service.hostname] = services.count
        services.append(service)
    }

    mutating func add(_ endpoint: MeshEndpoint) {
        endpoints[endpoint.serviceHostname, default: []].append(endpoint)
    }

    static func workloads(from objects: [ConfigObject]) -> [Workload] {
        var result: [Workload] = []
        for object in objects {
            switch object.spec {
            case .pod(let pod):
                guard let ip = pod.status?.podIP, !ip.isEmpty else { continue }
                var ports: [String: Int] = [:]
                for container in pod.spec?.containers ?? [] {
                    for port in container.ports ?? [] { if let name = port.name, let number = port.containerPort { ports[name] = number } }
                }
                result.append(Workload(kind: .pod, name: object.name, namespace: object.namespace, address: ip,
                                       labels: object.metadata.labels ?? [:], serviceAccount: pod.spec?.serviceAccountName ?? pod.spec?.serviceAccount,
                                       ports: ports))
            case .workloadEntry(let entry):
                guard let address = entry.address, !address.isEmpty else { continue }
                result.append(Workload(kind: .workloadEntry, name: object.name, namespace: object.namespace, address: address,
                                       labels: entry.labels ?? [:], serviceAccount: entry.serviceAccount, locality: entry.locality,
                                       network: entry.network, weight: entry.weight, ports: entry.ports ?? [:]))
            default:
                continue
            }
        }
        return result
    }

    /// WorkloadEntries Istio would create for auto-registered proxies: the group's
    /// template, its metadata labels over the template's, the proxy's labels over
    /// both; address, network and locality from the proxy. A proxy naming a group
    /// that does not exist registers nothing.
    static func workloads(from objects: [ConfigObject], registrations: [AutoRegistration]) -> [Workload] {
        registrations.sorted { ($0.namespace, $0.entryName) < ($1.namespace, $1.entryName) }.compactMap { registration in
            guard let group = objects.lazy.compactMap({ object -> WorkloadGroup? in
                guard object.namespace == registration.namespace, object.name == registration.group,
                      case .workloadGroup(let group) = object.spec else { return nil }
                return group
            }).first else { return nil }
            let template = group.template ?? WorkloadEntry()
            var labels = template.labels ?? [:]
            labels.merge(group.metadata?.labels ?? [:]) { $1 }
            labels.merge(registration.labels) { $1 }
            return Workload(kind: .workloadEntry, name: registration.entryName, namespace: registration.namespace, address: registration.address,
                            labels: labels, serviceAccount: template.serviceAccount, locality: registration.locality ?? template.locality,
                            network: registration.network ?? template.network, weight: template.weight, ports: template.ports ?? [:])
        }
    }
}
