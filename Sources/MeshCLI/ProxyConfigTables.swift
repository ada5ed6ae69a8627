import Foundation

/// istioctl's `proxy-config` tables from an Envoy-shaped config dump (the JSON of
/// `swiftmesh generate --type all` and of the control plane's
/// `/debug/config_dump?proxyID=`): one row per cluster, listener filter chain,
/// route, endpoint.
enum ProxyConfigTables {
    typealias JSON = [String: Any]

    static func clusters(_ dump: JSON) -> [[String]] {
        var rows = [["SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE", "DESTINATION RULE"]]
        for cluster in dump["clusters"] as? [JSON] ?? [] {
            let name = cluster["name"] as? String ?? ""
            let parts = name.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let type = cluster["type"] as? String ?? (cluster["eds_cluster_config"] != nil ? "EDS" : "STATIC")
            let rule = (((cluster["metadata"] as? JSON)?["filter_metadata"] as? JSON)?["istio"] as? JSON)?["config"] as? String
            if parts.count == 4 {
                rows.append([parts[3].isEmpty ? "" : parts[3], parts[1], parts[2].isEmpty ? "-" : parts[2], parts[0], type, rule.map(shortRule) ?? "-"])
            } else {
                rows.append([name, "-", "-", "-", type, "-"])
            }
        }
        return rows
    }

    static func listeners(_ dump: JSON) -> [[String]] {
        var rows = [["ADDRESSES", "PORT", "MATCH", "DESTINATION"]]
        for listener in dump["listeners"] as? [JSON] ?? [] {
            let socket = ((listener["address"] as? JSON)?["socket_address"] as? JSON) ?? [:]
            let address = socket["address"] as? String ?? ""
            let port = socket["port_value"].map { "\($0)" } ?? ""
            var chains = listener["filter_chains"] as? [JSON] ?? []
            if let fallback = listener["default_filter_chain"] as? JSON { chains.append(fallback) }
            for chain in chains {
                rows.append([address, port, match(chain["filter_chain_match"] as? JSON), destination(chain)])
            }
        }
        return rows
    }

    static func routes(_ dump: JSON) -> [[String]] {
        var rows = [["NAME", "VHOST NAME", "DOMAINS", "MATCH", "VIRTUAL SERVICE"]]
        for config in dump["routes"] as? [JSON] ?? [] {
            for host in config["virtual_hosts"] as? [JSON] ?? [] {
                let domains = host["domains"] as? [String] ?? []
                let shown = domains.first.map { domains.count > 1 ? "\($0) + \(domains.count - 1) more..." : $0 } ?? ""
                for route in host["routes"] as? [JSON] ?? [] {
                    let service = (((route["metadata"] as? JSON)?["filter_metadata"] as? JSON)?["istio"] as? JSON)?["config"] as? String
                    rows.append([config["name"] as? String ?? "", host["name"] as? String ?? "", shown,
                                 routeMatch(route["match"] as? JSON ?? [:]), service.map(shortRule) ?? "-"])
                }
            }
        }
        return rows
    }

    static func endpoints(_ dump: JSON) -> [[String]] {
        var rows = [["ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER"]]
        for assignment in dump["endpoints"] as? [JSON] ?? [] {
            let cluster = assignment["cluster_name"] as? String ?? ""
            for locality in assignment["endpoints"] as? [JSON] ?? [] {
                for endpoint in locality["lb_endpoints"] as? [JSON] ?? [] {
                    let socket = (((endpoint["endpoint"] as? JSON)?["address"] as? JSON)?["socket_address"] as? JSON) ?? [:]
                    let address = "\(socket["address"] as? String ?? ""):\(socket["port_value"].map { "\($0)" } ?? "")"
                    rows.append([address, endpoint["health_status"] as? String ?? "HEALTHY", "OK", cluster])
                }
            }
        }
        return rows
    }

    /// Columns padded like istioctl's tabwriter.
    static func render(_ rows: [[String]]) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            var line = zip(row, widths).map { $0.padding(toLength: $1 + 3, withPad: " ", startingAt: 0) }.joined()
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    private static func match(_ match: JSON?) -> String {
        guard let match, !match.isEmpty else { return "ALL" }
        var parts: [String] = []
        if let port = match["destination_port"] { parts.append("dst port \(port)") }
        if let names = match["server_names"] as? [String] { parts.append("SNI: \(names.joined(separator: ","))") }
        if let transport = match["transport_protocol"] as? String { parts.append("Trans: \(transport)") }
        if let protocols = match["application_protocols"] as? [String] { parts.append("App: \(protocols.joined(separator: ","))") }
        return parts.isEmpty ? "ALL" : parts.joined(separator: "; ")
    }

    private static func destination(_ chain: JSON) -> String {
        for filter in chain["filters"] as? [JSON] ?? [] {
            let config = filter["typed_config"] as? JSON ?? [:]
            if let rds = config["rds"] as? JSON, let name = rds["route_config_name"] as? String { return "Route: \(name)" }
            if let inline = config["route_config"] as? JSON {
                let cluster = ((((inline["virtual_hosts"] as? [JSON])?.first?["routes"] as? [JSON])?.first?["route"] as? JSON)?["cluster"] as? String)
                return "Inline Route: \(cluster ?? "/*")"
            }
            if let cluster = config["cluster"] as? String { return "Cluster: \(cluster)" }
            if config["weighted_clusters"] != nil { return "Clusters: weighted" }
        }
        return "-"
    }

    private static func routeMatch(_ match: JSON) -> String {
        if let prefix = match["prefix"] as? String { return "\(prefix)*" }
        if let path = match["path"] as? String { return path }
        if let regex = (match["safe_regex"] as? JSON)?["regex"] as? String { return regex }
        if let prefix = match["path_separated_prefix"] as? String { return "\(prefix)/*" }
        return "-"
    }

    /// `/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews` -> `reviews.default`.
    private static func shortRule(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, let index = parts.firstIndex(of: "namespaces"), index + 1 < parts.count else { return path }
        return "\(parts[parts.count - 1]).\(parts[index + 1])"
    }
}
