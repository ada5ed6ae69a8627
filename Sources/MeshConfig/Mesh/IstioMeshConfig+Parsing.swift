extension IstioMeshConfig {
    /// The ConfigMap istiod reads, in the root namespace.
    public static let configMapName = "istio"
    public static let configMapKey = "mesh"

    /// Parses the YAML text of the `mesh` key. Errors name the field path within it.
    public static func parse(_ text: String, source: String = "mesh") -> Result<IstioMeshConfig, ParseProblem> {
        let parsed = DocumentParser.parse(Array(text.utf8), source: source)
        if let failure = parsed.failure {
            return .failure(ParseProblem(description: "\(failure)"))
        }
        guard let root = parsed.documents.first?.root, !root.isNull else { return .success(IstioMeshConfig()) }
        do {
            return .success(try ConfigNodeDecoder().decode(IstioMeshConfig.self, from: root))
        } catch {
            return .failure(ParseProblem(description: "\(error)"))
        }
    }

    public struct ParseProblem: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }
}
