/// A workload identity in Istio's SPIFFE shape: `spiffe://<trust-domain>/ns/<ns>/sa/<sa>`.
public struct SPIFFEIdentity: Hashable, Sendable, CustomStringConvertible {
    public var trustDomain: String
    public var namespace: String
    public var serviceAccount: String

    public init(trustDomain: String = "cluster.local", namespace: String, serviceAccount: String) {
        self.trustDomain = trustDomain
        self.namespace = namespace
        self.serviceAccount = serviceAccount
    }

    public var uri: String { "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)" }
    public var description: String { uri }

    /// Kubernetes' subject for a service account (`system:serviceaccount:<ns>:<sa>`).
    public var kubernetesSubject: String { "system:serviceaccount:\(namespace):\(serviceAccount)" }

    /// Parses `spiffe://td/ns/x/sa/y`; anything else is an error naming the part that is wrong.
    public init(uri: String) throws(CAError) {
        let prefix = "spiffe://"
        guard uri.hasPrefix(prefix) else {
            throw .invalidIdentity(uri, reason: "does not start with spiffe://")
        }
        let parts = uri.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[1] == "ns", parts[3] == "sa" else {
            throw .invalidIdentity(uri, reason: "is not spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>")
        }
        guard !parts[0].isEmpty, !parts[2].isEmpty, !parts[4].isEmpty else {
            throw .invalidIdentity(uri, reason: "has an empty trust domain, namespace or service account")
        }
        self.init(trustDomain: parts[0], namespace: parts[2], serviceAccount: parts[4])
    }

    /// `system:serviceaccount:<ns>:<sa>` -> identity in `trustDomain`; nil for other subjects.
    public static func fromKubernetesSubject(_ subject: String, trustDomain: String) -> SPIFFEIdentity? {
        let parts = subject.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount", !parts[2].isEmpty, !parts[3].isEmpty else { return nil }
        return SPIFFEIdentity(trustDomain: trustDomain, namespace: parts[2], serviceAccount: parts[3])
    }
}
