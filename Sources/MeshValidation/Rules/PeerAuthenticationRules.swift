import MeshConfig
import MeshCore

/// PeerAuthentication: port-level mTLS needs a workload selector.
enum PeerAuthenticationRules {
    static func validate(_ policy: PeerAuthentication, into sink: inout DiagnosticSink) {
        let spec = FieldPath([.key("spec")])
        if let selector = policy.selector {
            CommonChecks.selector(selector.matchLabels, present: true, spec / "selector", &sink, emptyMeaning: "it applies to the whole namespace")
        }
        if let ports = policy.portLevelMtls {
            if ports.isEmpty { sink.error(spec / "portLevelMtls", "portLevelMtls must not be an empty map") }
            if (policy.selector?.matchLabels ?? [:]).isEmpty && !ports.isEmpty {
                sink.error(spec / "portLevelMtls", "mesh-wide and namespace-wide policies cannot have port-level mTLS: add a selector")
            }
        }
    }
}
