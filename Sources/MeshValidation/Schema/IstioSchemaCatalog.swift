import Foundation
import MeshConfig

/// Istio's structural schemas per kind and version, parsed once from the embedded
/// copy of the CRDs (see scripts/generate-istio-models.py).
struct IstioSchemaCatalog: Sendable {
    private let schemas: [String: [String: SchemaNode]]

    static let shared = IstioSchemaCatalog()

    private init() {
        var result: [String: [String: SchemaNode]] = [:]
        let data = Data(IstioCRDSchemas.json.filter { $0 != "\n" }.utf8)
        let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        for (kind, value) in root {
            guard let entry = value as? [String: Any],
                  let versions = entry["versions"] as? [String: Any],
                  let list = entry["schemas"] as? [[String: Any]] else { continue }
            let nodes = list.map(SchemaNode.init(json:))
            var byVersion: [String: SchemaNode] = [:]
            for (version, index) in versions {
                if let index = jsonNumber(index), Int(index) < nodes.count {
                    byVersion[version] = nodes[Int(index)]
                }
            }
            result[kind] = byVersion
        }
        schemas = result
    }

    /// The `spec` schema for a kind at a version (the newest version's when unknown).
    func specSchema(kind: ConfigKind, apiVersion: String) -> SchemaNode? {
        guard let versions = schemas[kind.rawValue] else { return nil }
        let version = apiVersion.split(separator: "/").last.map(String.init) ?? apiVersion
        return versions[version] ?? kind.versions.lazy.compactMap { versions[$0] }.first
    }
}
