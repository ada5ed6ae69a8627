import MeshConfig

/// What `swiftmesh up` starts for a config directory, worked out from the config
/// alone (pure, so it is tested without processes): a demo workload and a sidecar
/// per WorkloadEntry, a gateway proxy per WorkloadEntry labelled as an Istio
/// gateway (`istio: ingressgateway` / `egressgateway`), on the entry's own address.
public struct LocalMeshPlan: Sendable, Equatable {
    public struct Workload: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var address: String
        public var labels: [String: String]
        public var serviceAccount: String?
        /// Where the application listens (the Sidecar ingress defaultEndpoint's port).
        public var appPort: Int
        /// URLs the demo application GETs for each request.
        public var calls: [String]
        /// The sidecar's egress listener the application calls through.
        public var egress: String?

        public var app: String { labels["app"] ?? name }
        public var version: String { labels["version"] ?? "v1" }
        /// Istio's node id for the workload's sidecar.
        public var nodeID: String { "sidecar~\(address)~\(name).\(namespace)~\(namespace).svc.cluster.local" }
    }

    public struct Gateway: Sendable, Equatable {
        public var name: String
        public var namespace: String
        public var address: String
        public var labels: [String: String]
        public var serviceAccount: String?
        public var nodeID: String { "router~\(address)~\(name).\(namespace)~\(namespace).svc.cluster.local" }
    }

    public struct PlanError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The annotation on a WorkloadEntry listing what its demo app calls
    /// (space- or comma-separated http:// URLs).
    public static let callsAnnotation = "demo.swiftmesh.io/calls"
    public static let defaultAppPort = 18080

    public var workloads: [Workload] = []
    public var gateways: [Gateway] = []
    /// The plain-HTTP server port of the Gateways these gateway proxies serve:
    /// the one `--gateway-port` moves to 127.0.0.1 (nil when there is none).
    public var gatewayHTTPPort: Int?

    public init(workloads: [Workload] = [], gateways: [Gateway] = [], gatewayHTTPPort: Int? = nil) {
        self.workloads = workloads
        self.gateways = gateways
        self.gatewayHTTPPort = gatewayHTTPPort
    }

    public static func make(_ objects: [ConfigObject]) throws(PlanError) -> LocalMeshPlan {
        var plan = LocalMeshPlan()
        let sidecars = objects.compactMap { object -> (namespace: String, spec: Sidecar)? in
            if case .sidecar(let spec) = object.spec { return (object.namespace, spec) }
            return nil
        }
        for object in objects.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            guard case .workloadEntry(let entry) = object.spec, let address = entry.address, !address.isEmpty else { continue }
            let labels = entry.labels ?? [:]
            if let role = labels["istio"], role.hasSuffix("gateway") {
                plan.gateways.append(Gateway(name: object.name, namespace: object.namespace, address: address, labels: labels,
                                             serviceAccount: entry.serviceAccount))
                continue
            }
            let sidecar = sidecars.first { $0.namespace == object.namespace && $0.spec.workloadSelector?.labels.map { selector in
                selector.allSatisfy { labels[$0.key] == $0.value }
            } == true }?.spec
            let calls = (object.metadata.annotations?[callsAnnotation] ?? "")
                .split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\n" }).map(String.init)
            var egress: String?
            if let listener = sidecar?.egress?.first, let port = listener.port?.number {
                egress = "\(listener.bind ?? address):\(port)"
            }
            if !calls.isEmpty && egress == nil {
                throw PlanError(description: "WorkloadEntry \(object.namespace)/\(object.name) calls other services but no Sidecar with an egress listener selects it")
            }
            plan.workloads.append(Workload(name: object.name, namespace: object.namespace, address: address, labels: labels,
                                           serviceAccount: entry.serviceAccount, appPort: appPort(sidecar), calls: calls, egress: egress))
        }
        plan.gatewayHTTPPort = objects.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }).lazy.compactMap { object -> Int? in
            guard case .gateway(let gateway) = object.spec,
                  plan.gateways.contains(where: { proxy in (gateway.selector ?? [:]).allSatisfy { proxy.labels[$0.key] == $0.value } }) else { return nil }
            return gateway.servers?.first { ["HTTP", "HTTP2"].contains(($0.port?.protocol ?? "").uppercased()) }?.port?.number
        }.first
        guard !plan.workloads.isEmpty else {
            throw PlanError(description: "no WorkloadEntry with an address: nothing to run (see examples/services.yaml)")
        }
        return plan
    }

    /// `defaultEndpoint: 0.0.0.0:18080` (or `127.0.0.1:PORT`) -> the port.
    static func appPort(_ sidecar: Sidecar?) -> Int {
        guard let endpoint = sidecar?.ingress?.first?.defaultEndpoint, let colon = endpoint.lastIndex(of: ":"),
              let port = Int(endpoint[endpoint.index(after: colon)...]) else { return defaultAppPort }
        return port
    }
}
