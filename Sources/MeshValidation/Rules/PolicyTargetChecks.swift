import MeshConfig
import MeshCore

/// `selector` / `targetRef` / `targetRefs` of policies (AuthorizationPolicy,
/// RequestAuthentication, Telemetry).
enum PolicyTargetChecks {
    static let allowedTargets: Set<String> = ["/Service", "networking.istio.io/ServiceEntry", "gateway.networking.k8s.io/Gateway", "gateway.networking.k8s.io/GatewayClass"]

    static func validate(selector: WorkloadSelector?, targetRef: PolicyTargetReference?, targetRefs: [PolicyTargetReference]?, _ spec: FieldPath, _ sink: inout DiagnosticSink) {
        if let selector {
            CommonChecks.selector(selector.matchLabels, present: true, spec / "selector", &sink, emptyMeaning: "it applies to every workload in the namespace")
        }
        var refs: [(PolicyTargetReference, FieldPath)] = []
        if let targetRef { refs.append((targetRef, spec / "targetRef")) }
        for (index, ref) in (targetRefs ?? []).enumerated() { refs.append((ref, spec / "targetRefs" / index)) }
        for (ref, path) in refs {
            if (ref.name ?? "").isEmpty { sink.error(path / "name", "name is required") }
            let key = "\(ref.group ?? "")/\(ref.kind ?? "")"
            if !allowedTargets.contains(key) {
                sink.error(path, "target \(key) is not supported (use Service, ServiceEntry, or a Gateway API Gateway/GatewayClass)")
            }
        }
    }
}
