/// The parts of Kubernetes object metadata that config handling uses.
public struct ObjectMeta: Codable, Sendable, Equatable {
    public var name: String?
    public var generateName: String?
    public var namespace: String?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var resourceVersion: String?
    public var generation: Int?
    public var uid: String?
    public var creationTimestamp: String?

    public init(name: String? = nil, namespace: String? = nil, labels: [String: String]? = nil) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
    }
}

extension ObjectMeta: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        self.init()
        guard case .mapping(let entries) = node.value else { throw FastDecodeFailure() }
        for entry in entries where !entry.value.isNull {
            switch entry.key {
            case "name": name = try .init(fast: entry.value)
            case "generateName": generateName = try .init(fast: entry.value)
            case "namespace": namespace = try .init(fast: entry.value)
            case "labels": labels = try .init(fast: entry.value)
            case "annotations": annotations = try .init(fast: entry.value)
            case "resourceVersion": resourceVersion = try .init(fast: entry.value)
            case "generation": generation = try .init(fast: entry.value)
            case "uid": uid = try .init(fast: entry.value)
            case "creationTimestamp": creationTimestamp = try .init(fast: entry.value)
            default: break
            }
        }
    }
}
