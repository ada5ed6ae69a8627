import MeshConfig

/// Cross-object checks over a set of valid objects (what `swiftmesh analyze` runs).
/// Pure: a function of the objects.
public struct MeshAnalyzer: Sendable {
    public init() {}

    public func analyze(_ objects: [ConfigObject]) -> [AnalysisMessage] {
        let context = AnalysisContext(objects)
        var messages: [AnalysisMessage] = []
        VirtualServiceAnalyzer.run(context, into: &messages)
        GatewayAnalyzer.run(context, into: &messages)
        DestinationRuleAnalyzer.run(context, into: &messages)
        ConflictAnalyzer.run(context, into: &messages)
        ServiceAnalyzer.run(context, into: &messages)
        var seen = Set<String>()
        return messages
            .filter { seen.insert($0.formatted).inserted }
            .sorted { ($0.level, $0.code, $0.origin, $0.message) < ($1.level, $1.code, $1.origin, $1.message) }
    }
}

/// Indexes shared by the analyzers.
struct AnalysisContext {
    let objects: [ConfigObject]
    let services: ServiceIndex
    var workloads: WorkloadIndex
    /// Namespaces that exist: declared Namespace objects and any object's namespace.
    let namespaces: Set<String>

    /// istioctl analyzes files against a stand-in ingress gateway (label
    /// istio=ingressgateway in istio-system, ports 80/443/31400/15443) when the input
    /// has none; we do the same so the usual Gateway files analyze cleanly.
    static let defaultGatewayLabels = ["istio": "ingressgateway"]
    static let defaultGatewayPorts = [80, 443, 31400, 15443]

    init(_ objects: [ConfigObject]) {
        self.objects = objects
        services = ServiceIndex(objects)
        workloads = WorkloadIndex(objects)
        var names = Set(objects.filter { $0.kind.isNamespaced }.map(\.namespace))
        for object in objects where object.kind == .namespace { names.insert(object.name) }
        namespaces = names
    }

    func objects(of kind: ConfigKind) -> [ConfigObject] { objects.filter { $0.kind == kind } }

    var virtualServices: [(ConfigObject, VirtualService)] {
        objects.compactMap { object in if case .virtualService(let value) = object.spec { (object, value) } else { nil } }
    }

    var destinationRules: [(ConfigObject, DestinationRule)] {
        objects.compactMap { object in if case .destinationRule(let value) = object.spec { (object, value) } else { nil } }
    }

    var gateways: [(ConfigObject, Gateway)] {
        objects.compactMap { object in if case .gateway(let value) = object.spec { (object, value) } else { nil } }
    }

    var kubeServices: [(ConfigObject, KubeService)] {
        objects.compactMap { object in if case .service(let value) = object.spec { (object, value) } else { nil } }
    }

    /// `ns/name` or `name` (in `namespace`) -> the Gateway, if declared.
    func gateway(named reference: String, from namespace: String) -> (ConfigObject, Gateway)? {
        let parts = reference.split(separator: "/", maxSplits: 1).map(String.init)
        let (ns, name) = parts.count == 2 ? (parts[0], parts[1]) : (namespace, reference)
        return gateways.first { $0.0.namespace == ns && $0.0.name == name }
    }
}
