import MeshConfig

/// Gateway selectors (IST0101), ports the gateway Service does not expose (IST0162),
/// conflicting servers across Gateways (IST0145).
enum GatewayAnalyzer {
    static func run(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        let hasDefaultGateway = !context.workloads.matching(AnalysisContext.defaultGatewayLabels).isEmpty
        for (object, gateway) in context.gateways {
            let selector = gateway.selector ?? [:]
            let usesStandIn = !hasDefaultGateway && selector == AnalysisContext.defaultGatewayLabels
            let workloads = context.workloads.matching(selector)
            if workloads.isEmpty && !usesStandIn {
                messages.append(AnalysisMessage(.referencedResourceNotFound, origin: object, "Referenced selector not found: \"\(WorkloadIndex.describe(selector))\""))
                continue
            }
            let exposed = usesStandIn ? Set(AnalysisContext.defaultGatewayPorts) : servicePorts(for: workloads, context)
            for server in gateway.servers ?? [] {
                guard let port = server.port?.number, !exposed.contains(port) else { continue }
                messages.append(AnalysisMessage(.gatewayPortNotDefinedOnService, origin: object,
                    "The gateway is listening on a target port (port \(port)) that is not defined in the Service associated with its workload instances (Pod selector \(WorkloadIndex.describe(selector))). If you need to access the gateway port through the gateway Service, it will not be available."))
            }
        }
        conflicts(context, into: &messages)
    }

    /// Target ports of the Services and ServiceEntries (same namespace) that select these workloads.
    static func servicePorts(for workloads: [WorkloadIndex.Workload], _ context: AnalysisContext) -> Set<Int> {
        var ports = Set<Int>()
        for (object, service) in context.kubeServices {
            let selector = service.spec?.selector ?? [:]
            guard !selector.isEmpty else { continue }
            let selects = workloads.contains { workload in
                workload.namespace == object.namespace && selector.allSatisfy { workload.labels[$0.key] == $0.value }
            }
            guard selects else { continue }
            for port in service.spec?.ports ?? [] {
                if case .int(let target)? = port.targetPort { ports.insert(target) } else if let number = port.port { ports.insert(number) }
            }
        }
        // Workloads outside Kubernetes are exposed by ServiceEntries that select them.
        for object in context.objects(of: .serviceEntry) {
            guard case .serviceEntry(let entry) = object.spec, let selector = entry.workloadSelector?.labels, !selector.isEmpty else { continue }
            let selects = workloads.contains { workload in
                workload.namespace == object.namespace && selector.allSatisfy { workload.labels[$0.key] == $0.value }
            }
            guard selects else { continue }
            for port in entry.ports ?? [] {
                if let target = port.targetPort, target > 0 { ports.insert(target) } else if let number = port.number { ports.insert(number) }
            }
        }
        return ports
    }

    /// Two Gateways with the same selector serving the same host on the same port.
    static func conflicts(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        let gateways = context.gateways
        for (object, gateway) in gateways {
            let selector = gateway.selector ?? [:]
            for server in gateway.servers ?? [] {
                guard let port = server.port?.number else { continue }
                var others: [String] = []
                for (otherObject, other) in gateways where otherObject != object && (other.selector ?? [:]) == selector {
                    let clash = (other.servers ?? []).contains { otherServer in
                        otherServer.port?.number == port && (otherServer.bind ?? "") == (server.bind ?? "")
                            && (otherServer.hosts ?? []).contains { (server.hosts ?? []).contains($0) }
                    }
                    if clash { others.append("\(otherObject.namespace)/\(otherObject.name)") }
                }
                if !others.isEmpty {
                    messages.append(AnalysisMessage(.conflictingGateways, origin: object,
                        "Conflict with gateways \(others.sorted().joined(separator: ",")) (workload selector \(WorkloadIndex.describe(selector)), port \(port), hosts \((server.hosts ?? []).joined(separator: ",")))."))
                }
            }
        }
    }
}
