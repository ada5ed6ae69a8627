import MeshConfig
import MeshCore

/// `workloadSelector.labels` of ServiceEntry and Sidecar (Istio's
/// `ValidateAlphaWorkloadSelector`): no empty keys, no wildcards in keys or values.
enum AlphaWorkloadSelector {
    static func validate(_ labels: [String: String]?, _ path: FieldPath, _ sink: inout DiagnosticSink) {
        for (key, value) in (labels ?? [:]).sorted(by: { $0.key < $1.key }) {
            if key.isEmpty { sink.error(path, "empty key is not supported in a workload selector") }
            else if key.contains("*") || value.contains("*") { sink.error(path / key, "wildcard is not supported in a workload selector (\(key)=\(value))") }
        }
    }
}
