import MeshCore

/// The envelope of a document: what it claims to be, before its body is checked.
public struct ObjectHeader: Sendable {
    public var apiVersion: String
    public var kindName: String
    public var kind: ConfigKind
    public var metadata: ObjectMeta
    public var root: ConfigNode
    public var source: ConfigSource

    public var name: String { metadata.name ?? "" }
    public var namespace: String { metadata.namespace ?? ConfigObject.defaultNamespace }
}

/// Reads the envelope (`apiVersion`, `kind`, `metadata`) and decodes typed bodies.
public enum ObjectReader {
    public enum HeaderResult: Sendable {
        case object(ObjectHeader)
        /// Not an object SwiftMesh reads (unknown kind, empty document): a warning or nothing.
        case skipped(Diagnostic?)
        /// Names a known kind but the envelope is broken.
        case invalid(kindName: String, name: String, namespace: String, [Diagnostic])
    }

    public static func header(of document: ParsedDocument) -> HeaderResult {
        let root = document.root
        if root.isNull { return .skipped(nil) }
        guard root.entries != nil else {
            return .invalid(kindName: "", name: "", namespace: "", [Diagnostic(.error, .root, "document must be an object with apiVersion, kind and metadata, got \(root.typeName)", location: root.location)])
        }
        let source = ConfigSource(file: document.source, documentIndex: document.index, location: root.location)
        var problems: [Diagnostic] = []
        func requiredString(_ key: String) -> String? {
            guard let node = root[key] else {
                problems.append(Diagnostic(.error, FieldPath([.key(key)]), "required field is missing", location: root.location))
                return nil
            }
            guard let text = node.string, !text.isEmpty else {
                problems.append(Diagnostic(.error, FieldPath([.key(key)]), "must be a non-empty string, got \(node.typeName)", location: node.location))
                return nil
            }
            return text
        }
        let apiVersion = requiredString("apiVersion")
        let kindName = requiredString("kind")
        var metadata = ObjectMeta()
        if let metaNode = root["metadata"] {
            do {
                if let fast = try? ObjectMeta(fast: metaNode) {
                    metadata = fast
                } else {
                    metadata = try ConfigNodeDecoder().decode(ObjectMeta.self, from: metaNode, at: FieldPath([.key("metadata")]))
                }
            } catch {
                problems.append(Diagnostic(.error, error.path, error.message, location: error.location))
            }
        }
        guard let apiVersion, let kindName else {
            return .invalid(kindName: kindName ?? "", name: metadata.name ?? "", namespace: metadata.namespace ?? ConfigObject.defaultNamespace, problems)
        }
        switch ConfigKind.resolve(apiVersion: apiVersion, kind: kindName) {
        case .unknown:
            return .skipped(Diagnostic(.warning, .root, "skipping unknown kind \(kindName) (\(apiVersion))", location: root.location))
        case .unservedVersion(let kind):
            let served = kind.versions.map { kind.group.isEmpty ? $0 : "\(kind.group)/\($0)" }.joined(separator: ", ")
            problems.append(Diagnostic(.error, FieldPath([.key("apiVersion")]), "\(apiVersion) is not served for \(kind.rawValue) (use one of: \(served))", location: root["apiVersion"]?.location))
            return .invalid(kindName: kindName, name: metadata.name ?? "", namespace: metadata.namespace ?? ConfigObject.defaultNamespace, problems)
        case .kind(let kind):
            if !problems.isEmpty {
                return .invalid(kindName: kindName, name: metadata.name ?? "", namespace: metadata.namespace ?? ConfigObject.defaultNamespace, problems)
            }
            return .object(ObjectHeader(apiVersion: apiVersion, kindName: kindName, kind: kind, metadata: metadata, root: root, source: source))
        }
    }

    /// Decodes the typed body. Istio kinds read `spec`; Kubernetes kinds the whole document.
    public static func decodeSpec(_ header: ObjectHeader) throws(NodeDecodingError) -> ConfigSpec {
        let decoder = ConfigNodeDecoder()
        let root = header.root
        let specPath = FieldPath([.key("spec")])
        let spec = root["spec"] ?? ConfigNode(.mapping([]), at: root.location)
        func istio<T: Decodable & FastNodeDecodable>(_ type: T.Type) throws(NodeDecodingError) -> T {
            let body = spec.isNull ? ConfigNode(.mapping([]), at: spec.location) : spec
            if let value = try? T(fast: body) { return value }
            return try decoder.decode(type, from: body, at: specPath)
        }
        func kube<T: Decodable>(_ type: T.Type) throws(NodeDecodingError) -> T {
            try decoder.decode(type, from: root, at: .root)
        }
        switch header.kind {
        case .virtualService: return .virtualService(try istio(VirtualService.self))
        case .destinationRule: return .destinationRule(try istio(DestinationRule.self))
        case .gateway: return .gateway(try istio(Gateway.self))
        case .serviceEntry: return .serviceEntry(try istio(ServiceEntry.self))
        case .workloadEntry: return .workloadEntry(try istio(WorkloadEntry.self))
        case .workloadGroup: return .workloadGroup(try istio(WorkloadGroup.self))
        case .sidecar: return .sidecar(try istio(Sidecar.self))
        case .peerAuthentication: return .peerAuthentication(try istio(PeerAuthentication.self))
        case .authorizationPolicy: return .authorizationPolicy(try istio(AuthorizationPolicy.self))
        case .requestAuthentication: return .requestAuthentication(try istio(RequestAuthentication.self))
        case .telemetry: return .telemetry(try istio(Telemetry.self))
        case .envoyFilter, .proxyConfig, .wasmPlugin: return .opaque(JSONValue(spec))
        case .namespace: return .namespace(try kube(KubeNamespace.self))
        case .service: return .service(try kube(KubeService.self))
        case .endpoints: return .endpoints(try kube(KubeEndpoints.self))
        case .endpointSlice: return .endpointSlice(try kube(KubeEndpointSlice.self))
        case .pod: return .pod(try kube(KubePod.self))
        case .serviceAccount: return .serviceAccount(try kube(KubeServiceAccount.self))
        case .deployment: return .deployment(try kube(KubeDeployment.self))
        case .secret: return .secret(try kube(KubeSecret.self))
        case .configMap: return .configMap(try kube(KubeConfigMap.self))
        }
    }
}
