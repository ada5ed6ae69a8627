/// Istio's cluster names, so that `config_dump` reads as Istio users expect:
/// `outbound|9080|v1|reviews.default.svc.cluster.local`, `inbound|9080||`.
public enum ClusterName {
    public static let blackHole = "BlackHoleCluster"
    public static let passthrough = "PassthroughCluster"

    public static func outbound(port: Int, subset: String = "", host: String) -> String {
        "outbound|\(port)|\(subset)|\(host)"
    }

    public static func inbound(port: Int) -> String { "inbound|\(port)||" }

    /// The parts of an outbound name, or nil.
    public static func parseOutbound(_ name: String) -> (port: Int, subset: String, host: String)? {
        let parts = name.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "outbound", let port = Int(parts[1]) else { return nil }
        return (port, String(parts[2]), String(parts[3]))
    }
}
