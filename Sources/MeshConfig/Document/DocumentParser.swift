import MeshCore
import Yams

/// Reads YAML (and JSON, a YAML subset) into `ConfigNode` trees with positions.
/// Guards against hostile input: invalid UTF-8, nesting deeper than any config needs,
/// alias bombs. Parsing runs on a thread with a large stack so that even absurd
/// nesting is reported as an error rather than overflowing the stack.
public enum DocumentParser {
    /// Deeper than any Istio or Kubernetes object (they stay under 20 levels).
    public static let maxDepth = 64

    public static func parse(_ bytes: [UInt8], source: String) -> ParsedSource {
        if let failure = UTF8Check.firstInvalid(in: bytes) {
            return ParsedSource(source: source, documents: [], failure: ParseFailure(
                source: source, documentIndex: 1, location: failure,
                message: "input is not valid UTF-8"))
        }
        let text = String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        let budget = max(10_000, bytes.count + 1_000)
        if NestingEstimate.mayExceedStack(bytes) {
            return LargeStackThread.run { parseText(text, source: source, nodeBudget: budget) }
        }
        return parseText(text, source: source, nodeBudget: budget)
    }

    static func parseText(_ text: String, source: String, nodeBudget: Int) -> ParsedSource {
        var documents: [ParsedDocument] = []
        var index = 1
        do {
            let parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
            while let root = try parser.nextRoot() {
                var converter = NodeConverter(budget: nodeBudget)
                do {
                    let node = try converter.convert(root, depth: 0)
                    documents.append(ParsedDocument(source: source, index: index, root: node))
                } catch let failure as NodeConverter.Failure {
                    return ParsedSource(source: source, documents: documents, failure: ParseFailure(
                        source: source, documentIndex: index, location: failure.location, message: failure.message))
                }
                index += 1
            }
        } catch let error as YamlError {
            return ParsedSource(source: source, documents: documents, failure: failure(from: error, text: text, source: source, index: index))
        } catch {
            return ParsedSource(source: source, documents: documents, failure: ParseFailure(
                source: source, documentIndex: index, location: nil, message: "\(error)"))
        }
        return ParsedSource(source: source, documents: documents, failure: nil)
    }

    static func failure(from error: YamlError, text: String, source: String, index: Int) -> ParseFailure {
        func location(_ mark: Mark) -> SourceLocation { SourceLocation(line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text))" } ?? ""
            return ParseFailure(source: source, documentIndex: index, location: location(mark), message: "YAML syntax error: \(problem)\(detail)")
        case .reader(let problem, let offset, _, _):
            let position = offset.map { UTF8Check.location(ofOffset: $0, in: Array(text.utf8)) }
            return ParseFailure(source: source, documentIndex: index, location: position, message: "cannot read input: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ParseFailure(source: source, documentIndex: index, location: location(context.mark),
                                message: "duplicate key \(duplicates.map { "\"\($0)\"" }.joined(separator: ", ")) in mapping")
        default:
            return ParseFailure(source: source, documentIndex: index, location: nil, message: "cannot parse input: \(error)")
        }
    }
}
