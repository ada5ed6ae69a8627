import MeshConfig
import MeshCore

/// Istio's MeshConfig inside ConfigMap `istio` (key `mesh`): it must parse, and
/// every extension provider needs a unique name and exactly one kind with what
/// that kind requires.
enum MeshConfigRules {
    static let meshPath = FieldPath(parsing: "data").appending(IstioMeshConfig.configMapKey)

    static func validate(_ map: KubeConfigMap, _ sink: inout DiagnosticSink) {
        guard let text = map.data?[IstioMeshConfig.configMapKey] else { return }
        switch IstioMeshConfig.parse(text) {
        case .failure(let problem):
            sink.error(meshPath, "mesh config does not parse: \(problem.description)")
        case .success(let mesh):
            validate(mesh, &sink)
        }
    }

    static func validate(_ mesh: IstioMeshConfig, _ sink: inout DiagnosticSink) {
        var seen: Set<String> = []
        for (index, provider) in (mesh.extensionProviders ?? []).enumerated() {
            let path = meshPath.appending("extensionProviders").appending(index)
            let name = provider.name ?? ""
            if name.isEmpty { sink.error(path.appending("name"), "an extension provider needs a name") }
            else if !seen.insert(name).inserted { sink.error(path.appending("name"), "duplicate extension provider name \"\(name)\"") }
            let kinds = provider.kinds
            if kinds.count != 1 {
                sink.error(path, kinds.isEmpty ? "an extension provider needs one provider kind" : "an extension provider has exactly one kind, found \(kinds.joined(separator: ", "))")
            }
            if let file = provider.envoyFileAccessLog {
                if (file.path ?? "").isEmpty { sink.error(path.appending("envoyFileAccessLog").appending("path"), "path is required") }
                if file.logFormat?.text != nil && file.logFormat?.labels != nil {
                    sink.error(path.appending("envoyFileAccessLog").appending("logFormat"), "set text or labels, not both")
                }
            }
            if let otel = provider.opentelemetry {
                let otelPath = path.appending("opentelemetry")
                if (otel.service ?? "").isEmpty { sink.error(otelPath.appending("service"), "service is required") }
                if let port = otel.port, !(1...65535).contains(port) { sink.error(otelPath.appending("port"), "port \(port) is out of range 1-65535") }
                if otel.port == nil { sink.error(otelPath.appending("port"), "port is required") }
            }
        }
        let names = Set((mesh.extensionProviders ?? []).compactMap(\.name))
        let defaults = mesh.defaultProviders
        for (field, list) in [("tracing", defaults?.tracing), ("metrics", defaults?.metrics), ("accessLogging", defaults?.accessLogging)] {
            for (index, name) in (list ?? []).enumerated() where !names.contains(name) && !["envoy", "prometheus"].contains(name) {
                sink.error(meshPath.appending("defaultProviders").appending(field).appending(index), "unknown extension provider \"\(name)\"")
            }
        }
    }
}
