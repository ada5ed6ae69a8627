/// Istio's standard metric labels for one series, in Istio's order, rendered as
/// Prometheus label text. Built only when metrics are rendered.
struct IstioLabelSet {
    static let unknown = "unknown"

    /// `name="value",...` for the workload / service part shared by HTTP and TCP.
    static func peerLabels(scope: TelemetryScope, service: IstioService?, peer: WorkloadMetadata?) -> [(String, String)] {
        let source: WorkloadMetadata? = scope.reporter == .source ? scope.local : peer
        let destination: WorkloadMetadata? = scope.reporter == .source ? peer : scope.local
        func value(_ workload: WorkloadMetadata?, _ field: KeyPath<WorkloadMetadata, String>) -> String {
            guard let workload else { return unknown }
            let text = workload[keyPath: field]
            return text.isEmpty ? unknown : text
        }
        return [
            ("reporter", scope.reporter.rawValue),
            ("source_workload", value(source, \.workloadName)),
            ("source_canonical_service", value(source, \.canonicalService)),
            ("source_canonical_revision", value(source, \.canonicalRevision)),
            ("source_workload_namespace", value(source, \.namespace)),
            ("source_principal", value(source, \.principal)),
            ("source_app", value(source, \.app)),
            ("source_version", value(source, \.version)),
            ("source_cluster", value(source, \.clusterID)),
            ("destination_workload", value(destination, \.workloadName)),
            ("destination_workload_namespace", value(destination, \.namespace)),
            ("destination_principal", value(destination, \.principal)),
            ("destination_app", value(destination, \.app)),
            ("destination_version", value(destination, \.version)),
            ("destination_service", service?.host ?? unknown),
            ("destination_canonical_service", value(destination, \.canonicalService)),
            ("destination_canonical_revision", value(destination, \.canonicalRevision)),
            ("destination_service_name", service.map { $0.name.isEmpty ? unknown : $0.name } ?? unknown),
            ("destination_service_namespace", service.map { $0.namespace.isEmpty ? unknown : $0.namespace } ?? unknown),
            ("destination_cluster", value(destination, \.clusterID)),
        ]
    }

    /// Without mTLS the destination sees plain text ("none"); the source cannot
    /// know what the destination enforces ("unknown"), as Istio reports.
    static func securityPolicy(_ scope: TelemetryScope) -> String {
        scope.reporter == .destination ? "none" : unknown
    }

    static func render(_ labels: [(String, String)]) -> String {
        var text = ""
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { text += "," }
            text += name
            text += "=\""
            text += escape(value)
            text += "\""
        }
        return text
    }

    /// Prometheus text format escaping of label values.
    static func escape(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
