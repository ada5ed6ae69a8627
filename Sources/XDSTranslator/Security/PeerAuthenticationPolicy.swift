import MeshConfig
import MeshSnapshot

/// The PeerAuthentication in force for one workload, composed as Istio does: the
/// mesh-wide policy (root namespace, no selector), over it the namespace's (no
/// selector), over that the workload's (selector matching its labels), each level
/// overriding only when it sets a mode other than UNSET; `portLevelMtls` of the
/// workload's policy overrides per port (UNSET there inherits). With no policy at
/// all the mode is PERMISSIVE. Several policies at one level: the first by name
/// (Istio takes the oldest; objects here carry no creation time).
struct PeerAuthenticationPolicy: Equatable {
    enum Mode: String, Equatable {
        case strict = "STRICT"
        case permissive = "PERMISSIVE"
        case disable = "DISABLE"
    }

    var mode: Mode
    var portModes: [Int: Mode]

    func mode(port: Int) -> Mode { portModes[port] ?? mode }

    init(mode: Mode = .permissive, portModes: [Int: Mode] = [:]) {
        self.mode = mode
        self.portModes = portModes
    }

    init(namespace: String, labels: [String: String], snapshot: MeshSnapshot) {
        let policies = snapshot.peerAuthentications
        func unselected(_ namespace: String) -> Scoped<PeerAuthentication>? {
            policies.first { $0.namespace == namespace && ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
        }
        let workload = policies.first { policy in
            let selector = policy.spec.selector?.matchLabels ?? [:]
            return policy.namespace == namespace && !selector.isEmpty && selector.allSatisfy { labels[$0.key] == $0.value }
        }
        var mode = Mode.permissive
        for level in [unselected(snapshot.rootNamespace), unselected(namespace), workload] {
            if let set = Self.mode(level?.spec.mtls) { mode = set }
        }
        var ports: [Int: Mode] = [:]
        for (key, settings) in workload?.spec.portLevelMtls ?? [:] {
            if let port = Int(key), let set = Self.mode(settings) { ports[port] = set }
        }
        self.init(mode: mode, portModes: ports)
    }

    /// What a client can know of a service's servers without looking at each
    /// workload (Istio's best-effort inference for auto-mTLS): the namespace's (else
    /// the mesh's) policy; a namespace with workload-level policies is not known.
    static func serviceMode(namespace: String, snapshot: MeshSnapshot) -> Mode? {
        let policies = snapshot.peerAuthentications
        let inNamespace = policies.filter { $0.namespace == namespace }
        if inNamespace.contains(where: { !($0.spec.selector?.matchLabels ?? [:]).isEmpty }) { return nil }
        let namespaceWide = inNamespace.first { ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
        let meshWide = policies.first { $0.namespace == snapshot.rootNamespace && ($0.spec.selector?.matchLabels ?? [:]).isEmpty }
        return mode(namespaceWide?.spec.mtls) ?? mode(meshWide?.spec.mtls) ?? .permissive
    }

    static func mode(_ settings: PeerAuthenticationMutualTLS?) -> Mode? {
        switch settings?.mode {
        case .strict?: .strict
        case .permissive?: .permissive
        case .disable?: .disable
        case .unset?, nil: nil
        }
    }
}
