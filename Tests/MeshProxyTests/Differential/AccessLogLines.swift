import Foundation

/// Access-log files of a differential run, normalised so that Envoy's and ours
/// compare field by field: start times and the client's ephemeral ports masked,
/// durations to a class (short, about 1 s), and each line keyed by the scenario
/// whose listen port is its downstream local address (`ports`: scenario name ->
/// that data plane's port). A later line for a scenario replaces an earlier one
/// (a readiness probe's connection logs first).
enum AccessLogLines {
    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func objects(_ url: URL) -> [[String: Any]] {
        lines(url).compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    static func durationClass(_ milliseconds: Int) -> String {
        if milliseconds < 500 { return "short" }
        return (800...1_900).contains(milliseconds) ? "~1s" : "\(milliseconds) ms"
    }

    static func scenario(ofLocal address: String, _ ports: [String: Int]) -> String {
        let port = Int(address.split(separator: ":").last ?? "") ?? 0
        return ports.first { $0.value == port }?.key ?? "unknown \(address)"
    }

    /// Istio's text format, split on spaces (no value here has one), by scenario.
    static func text(_ lines: [String], _ ports: [String: Int]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in lines {
            var fields = line.split(separator: " ").map(String.init)
            guard fields.count == 24 else {
                result["malformed \(result.count)"] = fields
                continue
            }
            fields[0] = fields[0].hasPrefix("[20") && fields[0].hasSuffix("Z]") ? "[START_TIME]" : fields[0]
            fields[11] = durationClass(Int(fields[11]) ?? -1)
            if fields[19] != "-" { fields[19] = fields[19].hasPrefix("127.0.0.1:") ? "127.0.0.1:*" : fields[19] }
            fields[21] = fields[21].hasPrefix("127.0.0.1:") ? "127.0.0.1:*" : fields[21]
            let key = scenario(ofLocal: fields[20], ports)
            fields[20] = key
            result[key] = fields
        }
        return result
    }

    /// Istio's JSON labels by scenario: every value as text (`null` for JSON null).
    static func json(_ objects: [[String: Any]], _ ports: [String: Int]) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        for object in objects {
            var fields: [String: String] = [:]
            for (key, value) in object {
                switch value {
                case is NSNull: fields[key] = "null"
                case let number as NSNumber: fields[key] = "number \(number)"
                default: fields[key] = "string \(value)"
                }
            }
            let start = fields["start_time"] ?? ""
            fields["start_time"] = start.hasPrefix("string 20") && start.hasSuffix("Z") ? "string START_TIME" : start
            fields["duration"] = durationClass((object["duration"] as? NSNumber)?.intValue ?? -1)
            if let remote = object["downstream_remote_address"] as? String, remote.hasPrefix("127.0.0.1:") { fields["downstream_remote_address"] = "127.0.0.1:*" }
            if let local = object["upstream_local_address"] as? String, local.hasPrefix("127.0.0.1:") { fields["upstream_local_address"] = "127.0.0.1:*" }
            let key = scenario(ofLocal: object["downstream_local_address"] as? String ?? "", ports)
            fields["downstream_local_address"] = key
            result[key] = fields
        }
        return result
    }
}
