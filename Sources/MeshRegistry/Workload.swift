/// A running instance (Pod, WorkloadEntry, or a Deployment's template stand-in):
/// what a proxy is attached to and what selectors match.
public struct Workload: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable { case pod = "Pod", workloadEntry = "WorkloadEntry" }

    public var kind: Kind
    public var name: String
    public var namespace: String
    public var address: String
    public var labels: [String: String]
    public var serviceAccount: String?
    public var locality: String?
    public var network: String?
    public var weight: Int?
    /// Named ports (WorkloadEntry `ports`, Pod container ports).
    public var ports: [String: Int]

    public init(kind: Kind, name: String, namespace: String, address: String, labels: [String: String],
                serviceAccount: String? = nil, locality: String? = nil, network: String? = nil, weight: Int? = nil, ports: [String: Int] = [:]) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.address = address
        self.labels = labels
        self.serviceAccount = serviceAccount
        self.locality = locality
        self.network = network
        self.weight = weight
        self.ports = ports
    }

    /// Istio's label for whether a workload's proxy takes mesh mTLS (`istio`) or not
    /// (`disabled`); the sidecar injector sets it on Pods.
    public static let tlsModeLabel = "security.istio.io/tlsMode"

    /// Whether a sidecar runs beside this workload (so clients may use mesh mTLS to
    /// it): the `security.istio.io/tlsMode` label when present; otherwise every
    /// WorkloadEntry except gateways (`istio: ...gateway`), as `swiftmesh up` starts
    /// a sidecar for each and a WorkloadGroup's entries are made by their proxies;
    /// Pods only with the label (the injector's mark).
    public var hasSidecar: Bool {
        if let mode = labels[Self.tlsModeLabel] { return mode == "istio" }
        guard kind == .workloadEntry else { return false }
        return !(labels["istio"]?.hasSuffix("gateway") ?? false)
    }

    public func matches(_ selector: [String: String]) -> Bool {
        selector.allSatisfy { labels[$0.key] == $0.value }
    }
}
