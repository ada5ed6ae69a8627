import MeshConfig
import MeshCore

/// Validates config documents the way Istio's validating webhook does: structure
/// against Istio's published schemas, then each kind's semantic rules. Pure: a
/// function of its input.
public struct ConfigValidator: Sendable {
    private let schemas = IstioSchemaCatalog.shared

    public init() {}

    /// Parses and validates one input (file contents).
    public func validate(source: String, bytes: [UInt8]) -> (reports: [ObjectReport], failure: ParseFailure?) {
        let parsed = DocumentParser.parse(bytes, source: source)
        return (parsed.documents.flatMap { $0.expandingLists() }.map(validate), parsed.failure)
    }

    public func validate(_ document: ParsedDocument) -> ObjectReport {
        switch ObjectReader.header(of: document) {
        case .skipped(let warning):
            return ObjectReport(source: document.source, documentIndex: document.index, kindName: document.root["kind"]?.string ?? "",
                                namespace: document.root["metadata"]?["namespace"]?.string ?? ConfigObject.defaultNamespace,
                                name: document.root["metadata"]?["name"]?.string ?? "",
                                diagnostics: warning.map { [$0] } ?? [], object: nil, skipped: true)
        case .invalid(let kindName, let name, let namespace, let diagnostics):
            return ObjectReport(source: document.source, documentIndex: document.index, kindName: kindName, namespace: namespace,
                                name: name, diagnostics: diagnostics, object: nil, skipped: false)
        case .object(let header):
            return validate(header)
        }
    }

    public func validate(_ header: ObjectHeader) -> ObjectReport {
        var report = ObjectReport(source: header.source.file, documentIndex: header.source.documentIndex, kindName: header.kind.rawValue,
                                  namespace: header.kind.isNamespaced ? header.namespace : "", name: header.name,
                                  diagnostics: [], object: nil, skipped: false)
        var sink = DiagnosticSink()
        MetadataRules.validate(header, into: &sink)
        var structural: [Diagnostic] = []
        if header.kind.isIstio, let schema = schemas.specSchema(kind: header.kind, apiVersion: header.apiVersion) {
            // Istio's CRDs do not require `spec`: a missing one is an empty one, and
            // each kind's rules say what that means (e.g. an allow-nothing policy).
            if let spec = header.root["spec"] {
                SchemaValidator().validate(spec, schema: schema, path: FieldPath([.key("spec")]), into: &structural)
            }
        }
        sink.append(contentsOf: structural)
        if header.kind.isOpaque {
            sink.warning(.root, "\(header.kind.rawValue) is accepted but not applied by SwiftMesh")
        }
        // Semantic rules need a well-typed object. When the structure has errors but the
        // types are sound (a bad duration, an unknown enum...), they still run, so that
        // every problem is listed at once; when the types are wrong, they cannot.
        do {
            let spec = try ObjectReader.decodeSpec(header)
            SemanticRules.validate(spec, header: header, into: &sink)
            if !sink.hasErrors {
                report.object = ConfigObject(kind: header.kind, apiVersion: header.apiVersion, metadata: header.metadata, spec: spec, source: header.source)
            }
        } catch {
            if !structural.contains(where: \.isError) {
                sink.append(Diagnostic(.error, error.path, error.message, location: error.location))
            }
        }
        var seen = Set<String>()
        report.diagnostics = sink.diagnostics.filter { seen.insert("\($0.severity)|\($0.path)|\($0.message)").inserted }.map { diagnostic in
            var located = diagnostic
            if located.location == nil { located.location = header.root.location(of: diagnostic.path) }
            return located
        }
        return report
    }
}

/// Dispatches a typed object to its kind's rules.
enum SemanticRules {
    static func validate(_ spec: ConfigSpec, header: ObjectHeader, into sink: inout DiagnosticSink) {
        let meta = header.metadata
        switch spec {
        case .virtualService(let value): VirtualServiceRules.validate(value, meta: meta, into: &sink)
        case .destinationRule(let value): DestinationRuleRules.validate(value, meta: meta, into: &sink)
        case .gateway(let value): GatewayRules.validate(value, meta: meta, into: &sink)
        case .serviceEntry(let value): ServiceEntryRules.validate(value, meta: meta, into: &sink)
        case .workloadEntry(let value): WorkloadEntryRules.validate(value, into: &sink)
        case .workloadGroup(let value): WorkloadEntryRules.validateGroup(value, into: &sink)
        case .sidecar(let value): SidecarRules.validate(value, meta: meta, into: &sink)
        case .peerAuthentication(let value): PeerAuthenticationRules.validate(value, into: &sink)
        case .authorizationPolicy(let value): AuthorizationPolicyRules.validate(value, meta: meta, into: &sink)
        case .requestAuthentication(let value): RequestAuthenticationRules.validate(value, into: &sink)
        case .telemetry(let value): TelemetryRules.validate(value, into: &sink)
        case .opaque: break
        default: KubernetesRules.validate(spec, header: header, into: &sink)
        }
    }
}
