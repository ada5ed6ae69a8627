import MeshCore

/// Reads YAML (and JSON, a YAML subset) into `ConfigNode` trees with positions.
/// Guards against hostile input: invalid UTF-8 (reported with its position),
/// nesting deeper than any config needs, alias bombs.
public enum DocumentParser {
    /// Deeper than any Istio or Kubernetes object (they stay under 20 levels); also
    /// bounds the recursion of everything that walks a node later.
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8], source: String, dialect: YAMLDialect = .kubernetes) -> ParsedSource {
        if let failure = UTF8Check.firstInvalid(in: bytes) {
            return ParsedSource(source: source, documents: [], failure: ParseFailure(
                source: source, documentIndex: 1, location: failure,
                message: "input is not valid UTF-8"))
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        // Without aliases a document has fewer values than bytes; more means expansion.
        let budget = max(10_000, body.count + 1_000)
        return YAMLComposer(source: source, nodeBudget: budget, dialect: dialect).compose(body)
    }
}
