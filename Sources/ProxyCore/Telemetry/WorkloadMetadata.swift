/// A workload as Istio's telemetry names it: this proxy's own (from its node
/// metadata) or a peer's (from the metadata exchange headers). Field meanings are
/// Istio's `WorkloadMetadataObject`.
public struct WorkloadMetadata: Sendable, Hashable {
    /// The instance (pod) name: Istio's `NAME`.
    public var name: String
    public var namespace: String
    public var workloadName: String
    public var clusterID: String
    public var app: String
    public var version: String
    public var canonicalService: String
    public var canonicalRevision: String
    /// SPIFFE identity, when known (needs mTLS; empty until then).
    public var principal: String

    public static let canonicalNameLabel = "service.istio.io/canonical-name"
    public static let canonicalRevisionLabel = "service.istio.io/canonical-revision"

    public init(name: String = "", namespace: String = "", workloadName: String = "", clusterID: String = "", app: String = "",
                version: String = "", canonicalService: String = "", canonicalRevision: String = "", principal: String = "") {
        self.name = name
        self.namespace = namespace
        self.workloadName = workloadName
        self.clusterID = clusterID
        self.app = app
        self.version = version
        self.canonicalService = canonicalService
        self.canonicalRevision = canonicalRevision
        self.principal = principal
    }

    /// From a proxy's node metadata (string values, and LABELS). Missing pieces are
    /// filled as Istio's injector and agent fill them: the workload name from the
    /// instance name, the canonical service from `app` (else the workload), the
    /// canonical revision from `version` (else `latest`), the cluster `Kubernetes`.
    public init(nodeMetadata: [String: String], labels: [String: String], nodeID: String = "") {
        let idPart = nodeID.split(separator: "~", omittingEmptySubsequences: false).dropFirst(2).first.map(String.init) ?? ""
        let instance = nodeMetadata["NAME"] ?? String(idPart.split(separator: ".").first ?? "")
        self.name = instance
        self.namespace = nodeMetadata["NAMESPACE"] ?? idPart.split(separator: ".").dropFirst().first.map(String.init) ?? ""
        self.workloadName = nodeMetadata["WORKLOAD_NAME"] ?? instance
        self.clusterID = nodeMetadata["CLUSTER_ID"] ?? "Kubernetes"
        self.app = labels["app"] ?? labels["app.kubernetes.io/name"] ?? ""
        self.version = labels["version"] ?? labels["app.kubernetes.io/version"] ?? ""
        self.canonicalService = labels[Self.canonicalNameLabel] ?? (app.isEmpty ? workloadName : app)
        self.canonicalRevision = labels[Self.canonicalRevisionLabel] ?? (version.isEmpty ? "latest" : version)
        // The SPIFFE identity is reported once mTLS proves it; until then `unknown`.
        self.principal = ""
    }

    /// Istio's exchange Struct (`convertWorkloadMetadataToStruct`).
    public var exchangeStruct: [String: ProtobufStructCodec.Value] {
        var fields: [String: ProtobufStructCodec.Value] = [:]
        if !name.isEmpty { fields["NAME"] = .string(name) }
        if !namespace.isEmpty { fields["NAMESPACE"] = .string(namespace) }
        if !workloadName.isEmpty { fields["WORKLOAD_NAME"] = .string(workloadName) }
        if !clusterID.isEmpty { fields["CLUSTER_ID"] = .string(clusterID) }
        var labels: [String: ProtobufStructCodec.Value] = [:]
        if !canonicalService.isEmpty { labels[Self.canonicalNameLabel] = .string(canonicalService) }
        if !canonicalRevision.isEmpty { labels[Self.canonicalRevisionLabel] = .string(canonicalRevision) }
        if !app.isEmpty { labels["app"] = .string(app) }
        if !version.isEmpty { labels["version"] = .string(version) }
        fields["LABELS"] = .structValue(labels)
        fields["OWNER"] = .string("kubernetes://apis/apps/v1/namespaces/\(namespace)/deployments/\(workloadName)")
        return fields
    }

    /// The `x-envoy-peer-metadata` value: base64 of the deterministic Struct.
    public var exchangeHeaderValue: [UInt8] { Base64Bytes.encode(ProtobufStructCodec.encode(exchangeStruct)) }

    /// From an `x-envoy-peer-metadata` value; nil when it does not decode.
    public init?(exchangeHeaderValue value: UnsafeRawBufferPointer) {
        guard let bytes = Base64Bytes.decode(value), let fields = ProtobufStructCodec.decode(bytes) else { return nil }
        func string(_ key: String, in fields: [String: ProtobufStructCodec.Value]) -> String {
            if case .string(let text)? = fields[key] { return text }
            return ""
        }
        var labels: [String: ProtobufStructCodec.Value] = [:]
        if case .structValue(let nested)? = fields["LABELS"] { labels = nested }
        self.init(name: string("NAME", in: fields), namespace: string("NAMESPACE", in: fields),
                  workloadName: string("WORKLOAD_NAME", in: fields), clusterID: string("CLUSTER_ID", in: fields),
                  app: string("app", in: labels), version: string("version", in: labels),
                  canonicalService: string(Self.canonicalNameLabel, in: labels),
                  canonicalRevision: string(Self.canonicalRevisionLabel, in: labels))
    }
}
