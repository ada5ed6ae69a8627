import MeshConfig
import MeshCore
import SwiftProtobuf

/// A bootstrap or resource dump read into protobuf's generic Struct, from JSON or
/// YAML (Envoy reads YAML the same way: into a Struct, then as protobuf JSON), with
/// the way back to a line and column for errors.
package struct BootstrapDocument {
    var root: Google_Protobuf_Struct
    var source: String?
    var format: BootstrapFormat
    /// YAML: the tree it was read from. JSON: the text, read again for positions only
    /// when an error needs one.
    private var tree: ConfigNode?
    private var text: String?

    /// Reads `path`, choosing the format from its name as Envoy does.
    package static func read(_ path: String) throws -> BootstrapDocument {
        let format = try BootstrapFormat(path: path)
        return try parse(try FileReader.read(path), format: format, source: path)
    }

    static func parse(_ text: String, format: BootstrapFormat, source: String?) throws(BootstrapError) -> BootstrapDocument {
        switch format {
        case .json: try parseJSON(text, source: source)
        case .yaml: try parseYAML(text, source: source)
        }
    }

    private static func parseJSON(_ text: String, source: String?) throws(BootstrapError) -> BootstrapDocument {
        do {
            let root = try Google_Protobuf_Struct(jsonString: text)
            return BootstrapDocument(root: root, source: source, format: .json, tree: nil, text: text)
        } catch {
            // libyaml reads JSON too: it gives the position protobuf's parser does not.
            let parsed = DocumentParser.parse(Array(text.utf8), source: source ?? "bootstrap")
            var reason = "not a JSON object (\(error))"
            if parsed.failure == nil, parsed.documents.first?.root.entries != nil, text.first(where: { !$0.isWhitespace }) != "{" {
                reason += "; the file is YAML, and only names ending in .yaml or .yml are read as YAML (as Envoy does)"
            }
            throw BootstrapError(field: "(document)", reason: reason, source: source, location: parsed.failure?.location)
        }
    }

    private static func parseYAML(_ text: String, source: String?) throws(BootstrapError) -> BootstrapDocument {
        let parsed = DocumentParser.parse(Array(text.utf8), source: source ?? "bootstrap", dialect: .envoy)
        if let failure = parsed.failure {
            throw BootstrapError(field: "(document)", reason: failure.message, source: source, location: failure.location)
        }
        // Envoy reads one document; a second one would be silently lost there.
        if let extra = parsed.documents.dropFirst().first(where: { !$0.root.isNull }) {
            throw BootstrapError(field: "(document)", reason: "a bootstrap is one YAML document; document \(extra.index) follows the first",
                                 source: source, location: extra.root.location)
        }
        guard let root = parsed.documents.first?.root, case .structValue(let object)? = Google_Protobuf_Value(envoyYAML: root).kind else {
            let found = parsed.documents.first?.root
            throw BootstrapError(field: "(document)", reason: "expected a mapping at the top, got \(found?.typeName ?? "an empty file")",
                                 source: source, location: found?.location)
        }
        return BootstrapDocument(root: object, source: source, format: .yaml, tree: root, text: nil)
    }

    /// The line and column of the value at `path` (or of its deepest part that exists).
    func location(of path: FieldPath) -> SourceLocation? {
        if let tree { return tree.location(of: path) }
        guard let text else { return nil }
        return DocumentParser.parse(Array(text.utf8), source: source ?? "bootstrap").documents.first?.root.location(of: path)
    }

    /// `error` with this document's file name and the position of its field.
    func locating(_ error: BootstrapError) -> BootstrapError {
        var located = error
        located.source = located.source ?? source
        if located.location == nil {
            located.location = location(of: error.path ?? FieldPath(parsing: error.field))
        }
        return located
    }

    /// The document as JSON text, for consumers that read JSON only (stock Envoy's
    /// bootstrap rewritten by the certificate agent).
    package func jsonText() throws -> String {
        if let text { return text }
        return try root.jsonString()
    }
}
