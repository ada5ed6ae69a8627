import MeshConfig
import MeshSnapshot

/// The AuthorizationPolicies that apply to one workload, by action, as Istio
/// selects them: those of the root namespace and of the workload's namespace whose
/// selector is empty or matches its labels. Policies with `targetRef(s)` attach to
/// Kubernetes Gateway API gateways and waypoints, which this mesh does not run, so
/// they select no sidecar or Istio gateway. CUSTOM is refused by validation.
struct AuthorizationPolicySelection {
    struct Selected {
        var policy: Scoped<AuthorizationPolicy>
        /// Annotation `istio.io/dry-run: "true"`: evaluated and logged, not enforced.
        var dryRun: Bool
    }

    var audit: [Selected] = []
    var deny: [Selected] = []
    var allow: [Selected] = []

    var isEmpty: Bool { audit.isEmpty && deny.isEmpty && allow.isEmpty }

    init(namespace: String, labels: [String: String], snapshot: MeshSnapshot) {
        for policy in snapshot.authorizationPolicies where policy.namespace == snapshot.rootNamespace || policy.namespace == namespace {
            guard policy.spec.targetRef == nil, (policy.spec.targetRefs ?? []).isEmpty else { continue }
            let selector = policy.spec.selector?.matchLabels ?? [:]
            guard selector.allSatisfy({ labels[$0.key] == $0.value }) else { continue }
            let selected = Selected(policy: policy, dryRun: Self.isDryRun(policy, snapshot: snapshot))
            switch policy.spec.action ?? .allow {
            case .allow: allow.append(selected)
            case .deny: deny.append(selected)
            case .audit: audit.append(selected)
            case .custom: continue
            }
        }
    }

    static func isDryRun(_ policy: Scoped<AuthorizationPolicy>, snapshot: MeshSnapshot) -> Bool {
        let object = snapshot.objects.first { object in
            guard object.namespace == policy.namespace, object.name == policy.name, case .authorizationPolicy = object.spec else { return false }
            return true
        }
        let value = object?.metadata.annotations?["istio.io/dry-run"] ?? ""
        return ["1", "t", "T", "TRUE", "true", "True"].contains(value)
    }
}
