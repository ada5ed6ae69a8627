import XDSAPI

/// Prometheus HTTP service discovery (`http_sd_configs`): one target group per
/// connected proxy (its Istio Prometheus port, 15090) and one for the control
/// plane's own `/metrics`. Pure: connected nodes in, target groups out.
public enum PrometheusTargets {
    /// Node metadata naming where a proxy serves `/stats/prometheus` when it is not
    /// `<node IP>:15090` (several proxies sharing one address, as gateways on a laptop).
    public static let addressKey = "PROMETHEUS_ADDRESS"

    public static func groups(proxies: [Envoy_Config_Core_V3_Node], controlPlane: String?) -> [[String: Any]] {
        var groups: [[String: Any]] = []
        if let controlPlane {
            groups.append(["targets": [controlPlane], "labels": ["job": "swiftmesh-control-plane", "app": "istiod", "__metrics_path__": "/metrics"]])
        }
        var seen: Set<String> = []
        for node in proxies.sorted(by: { $0.id < $1.id }) {
            guard let group = group(for: node), let target = (group["targets"] as? [String])?.first, seen.insert(target).inserted else { continue }
            groups.append(group)
        }
        return groups
    }

    /// `TYPE~IP~NAME.NAMESPACE~DOMAIN` -> target `IP:15090` (or the metadata's
    /// address) with the labels Istio's Prometheus relabelling gives pods.
    static func group(for node: Envoy_Config_Core_V3_Node) -> [String: Any]? {
        let parts = node.id.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, !parts[1].isEmpty else { return nil }
        let metadata = node.metadata.fields
        let target: String
        if case .stringValue(let address)? = metadata[addressKey]?.kind, !address.isEmpty {
            target = address
        } else {
            target = parts[1].contains(":") ? "[\(parts[1])]:15090" : "\(parts[1]):15090"
        }
        let nameAndNamespace = parts[2].split(separator: ".", maxSplits: 1).map(String.init)
        var labels: [String: String] = ["job": "envoy-stats", "proxy_type": parts[0], "pod": nameAndNamespace[0],
                                         "__metrics_path__": "/stats/prometheus"]
        if nameAndNamespace.count == 2 { labels["namespace"] = nameAndNamespace[1] }
        if case .stringValue(let namespace)? = metadata["NAMESPACE"]?.kind { labels["namespace"] = namespace }
        if case .structValue(let podLabels)? = metadata["LABELS"]?.kind {
            for key in ["app", "version"] {
                if case .stringValue(let value)? = podLabels.fields[key]?.kind { labels[key] = value }
            }
        }
        return ["targets": [target], "labels": labels]
    }
}
