import MeshConfig

/// IST0109 (mesh VirtualServices sharing a host), IST0111 (several selector-less
/// Sidecars in a namespace), IST0160 (same for Telemetry).
enum ConflictAnalyzer {
    static func run(_ context: AnalysisContext, into messages: inout [AnalysisMessage]) {
        var byHost: [String: [ConfigObject]] = [:]
        var order: [String] = []
        for (object, vs) in context.virtualServices {
            let gateways = vs.gateways ?? []
            guard gateways.isEmpty || gateways.contains("mesh") else { continue }
            for host in vs.hosts ?? [] {
                for scope in ServiceIndex.scopes(vs.exportTo ?? [], namespace: object.namespace) {
                    let key = "\(scope)/\(ServiceIndex.fqdn(host, namespace: object.namespace))"
                    if byHost[key] == nil { order.append(key) }
                    if !(byHost[key] ?? []).contains(object) { byHost[key, default: []].append(object) }
                }
            }
        }
        for key in order {
            guard let group = byHost[key], group.count > 1 else { continue }
            let names = group.map { "\($0.namespace)/\($0.name)" }.joined(separator: ",")
            for object in group {
                messages.append(AnalysisMessage(.conflictingMeshGatewayVirtualServiceHosts, origin: object,
                    "The VirtualServices \(names) associated with mesh gateway define the same host \(key) which can lead to undefined behavior. This can be fixed by merging the conflicting VirtualServices into a single resource."))
            }
        }
        selectorless(context, kind: .sidecar, type: .multipleSidecarsWithoutWorkloadSelectors, noun: "Sidecars", into: &messages) { spec in
            if case .sidecar(let sidecar) = spec { return (sidecar.workloadSelector?.labels ?? [:]).isEmpty }
            return false
        }
        selectorless(context, kind: .telemetry, type: .multipleTelemetriesWithoutWorkloadSelectors, noun: "Telemetries", into: &messages) { spec in
            if case .telemetry(let telemetry) = spec { return (telemetry.selector?.matchLabels ?? [:]).isEmpty && telemetry.targetRef == nil && telemetry.targetRefs == nil }
            return false
        }
    }

    static func selectorless(_ context: AnalysisContext, kind: ConfigKind, type: MessageType, noun: String, into messages: inout [AnalysisMessage], _ isSelectorless: (ConfigSpec) -> Bool) {
        let candidates = context.objects(of: kind).filter { isSelectorless($0.spec) }
        let byNamespace = Dictionary(grouping: candidates, by: \.namespace)
        for (namespace, group) in byNamespace where group.count > 1 {
            for object in group {
                messages.append(AnalysisMessage(type, origin: object,
                    "The \(noun) [\(group.map(\.name).joined(separator: " "))] in namespace \"\(namespace)\" have no workload selector, which can lead to undefined behavior."))
            }
        }
    }
}
