import MeshConfig
import MeshSnapshot

/// The JWT rules of the RequestAuthentications that apply to one workload (root
/// namespace and its own, selector empty or matching), in name order. As for
/// authorization, `targetRef(s)` attach to Gateway API gateways only.
enum RequestAuthenticationSelection {
    static func rules(namespace: String, labels: [String: String], snapshot: MeshSnapshot) -> [JWTRule] {
        snapshot.requestAuthentications.filter { policy in
            guard policy.namespace == snapshot.rootNamespace || policy.namespace == namespace else { return false }
            guard policy.spec.targetRef == nil, (policy.spec.targetRefs ?? []).isEmpty else { return false }
            return (policy.spec.selector?.matchLabels ?? [:]).allSatisfy { labels[$0.key] == $0.value }
        }.flatMap { $0.spec.jwtRules ?? [] }
    }
}
