import MeshConfig

/// Workload label sets (Pods, Deployment templates, WorkloadEntries) by namespace,
/// used to resolve selectors.
struct WorkloadIndex {
    struct Workload {
        var namespace: String
        var labels: [String: String]
    }

    private(set) var workloads: [Workload] = []

    init(_ objects: [ConfigObject]) {
        for object in objects {
            switch object.spec {
            case .pod: workloads.append(Workload(namespace: object.namespace, labels: object.metadata.labels ?? [:]))
            case .deployment(let deployment):
                workloads.append(Workload(namespace: object.namespace, labels: deployment.spec?.template?.metadata?.labels ?? [:]))
            case .workloadEntry(let entry): workloads.append(Workload(namespace: object.namespace, labels: entry.labels ?? [:]))
            default: break
            }
        }
    }

    mutating func add(_ workload: Workload) { workloads.append(workload) }

    func matching(_ selector: [String: String]) -> [Workload] {
        workloads.filter { workload in selector.allSatisfy { workload.labels[$0.key] == $0.value } }
    }

    static func describe(_ selector: [String: String]) -> String {
        selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}
