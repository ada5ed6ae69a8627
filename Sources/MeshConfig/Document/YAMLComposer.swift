import CLibYAML
import MeshCore

/// Builds `ConfigNode` documents straight from libyaml's event stream. Iterative
/// (an explicit stack, no recursion), so hostile nesting is an error, not a stack
/// overflow; aliases are expanded against a node budget so alias bombs are refused.
struct YAMLComposer {
    private struct Frame {
        var isMapping: Bool
        var location: SourceLocation
        var anchor: String?
        var items: [ConfigNode] = []
        var entries: [ConfigNode.Entry] = []
        var keys: Set<String> = []
        var pendingKey: String?
        var pendingKeyLocation = SourceLocation(line: 0, column: 0)
        /// The pending key was tagged `!ignore` (Envoy dialect): its value is dropped.
        var pendingKeyIgnored = false
        var size = 1
    }

    private struct Failure: Error {
        var location: SourceLocation?
        var message: String
    }

    let source: String
    let nodeBudget: Int
    var dialect: YAMLDialect = .kubernetes

    func compose(_ bytes: [UInt8]) -> ParsedSource {
        var documents: [ParsedDocument] = []
        var documentIndex = 1
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return ParsedSource(source: source, documents: [], failure: ParseFailure(source: source, documentIndex: 1, location: nil, message: "cannot start the YAML parser"))
        }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> ParsedSource in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!, buffer.count)
            var stack: [Frame] = []
            var root: ConfigNode?
            var anchors: [String: (ConfigNode, Int)] = [:]
            var used = 0
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return ParsedSource(source: source, documents: documents, failure: syntaxFailure(parser, documentIndex: documentIndex, bytes: bytes))
                }
                defer { yaml_event_delete(&event) }
                let location = SourceLocation(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                do {
                    switch event.type {
                    case YAML_STREAM_END_EVENT:
                        return ParsedSource(source: source, documents: documents, failure: nil)
                    case YAML_DOCUMENT_START_EVENT:
                        root = nil
                        anchors = [:]
                        used = 0
                    case YAML_DOCUMENT_END_EVENT:
                        documents.append(ParsedDocument(source: source, index: documentIndex, root: root ?? ConfigNode(.null, at: location)))
                        documentIndex += 1
                    case YAML_SCALAR_EVENT:
                        let scalar = event.data.scalar
                        let text = Self.string(scalar.value, Int(scalar.length))
                        used += 1
                        try checkBudget(used, location)
                        let tag = scalar.tag.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                        let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                        let value = dialect == .envoy ? Self.envoyScalarValue(text, tag: tag, plain: plain) : Self.scalarValue(text, tag: tag, plain: plain)
                        let node = ConfigNode(value, at: location)
                        if let anchor = Self.optionalString(scalar.anchor) { anchors[anchor] = (node, 1) }
                        try add(node, rawKey: text, size: 1, to: &stack, root: &root, ignoredKey: dialect == .envoy && tag == "!ignore")
                    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                        if stack.count >= DocumentParser.maxDepth {
                            throw Failure(location: location, message: "document nesting exceeds \(DocumentParser.maxDepth) levels")
                        }
                        used += 1
                        try checkBudget(used, location)
                        let isMapping = event.type == YAML_MAPPING_START_EVENT
                        let anchor = isMapping ? Self.optionalString(event.data.mapping_start.anchor) : Self.optionalString(event.data.sequence_start.anchor)
                        if let top = stack.last, top.isMapping, top.pendingKey == nil {
                            throw Failure(location: location, message: "mapping keys must be plain values, not collections")
                        }
                        stack.append(Frame(isMapping: isMapping, location: location, anchor: anchor))
                    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                        let frame = stack.removeLast()
                        let node = ConfigNode(frame.isMapping ? .mapping(frame.entries) : .sequence(frame.items), at: frame.location)
                        if let anchor = frame.anchor { anchors[anchor] = (node, frame.size) }
                        try add(node, rawKey: nil, size: frame.size, to: &stack, root: &root)
                    case YAML_ALIAS_EVENT:
                        guard let name = Self.optionalString(event.data.alias.anchor), let (node, size) = anchors[name] else {
                            throw Failure(location: location, message: "unknown alias")
                        }
                        used += size
                        try checkBudget(used, location)
                        var copy = node
                        copy.location = location
                        try add(copy, rawKey: node.string, size: size, to: &stack, root: &root)
                    default:
                        break
                    }
                } catch let failure as Failure {
                    return ParsedSource(source: source, documents: documents, failure: ParseFailure(
                        source: source, documentIndex: documentIndex, location: failure.location, message: failure.message))
                } catch {
                    return ParsedSource(source: source, documents: documents, failure: ParseFailure(
                        source: source, documentIndex: documentIndex, location: location, message: "\(error)"))
                }
            }
        }
    }

    private func checkBudget(_ used: Int, _ location: SourceLocation) throws {
        if used > nodeBudget {
            throw Failure(location: location, message: "document expands to too many values (alias expansion?)")
        }
    }

    private func add(_ node: ConfigNode, rawKey: String?, size: Int, to stack: inout [Frame], root: inout ConfigNode?, ignoredKey: Bool = false) throws {
        guard !stack.isEmpty else {
            root = node
            return
        }
        let top = stack.count - 1
        stack[top].size += size
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            if !stack[top].pendingKeyIgnored {
                stack[top].entries.append(ConfigNode.Entry(key: key, keyLocation: stack[top].pendingKeyLocation, value: node))
            }
            stack[top].pendingKey = nil
            stack[top].pendingKeyIgnored = false
        } else {
            guard let key = rawKey else {
                throw Failure(location: node.location, message: "mapping keys must be plain values, not collections")
            }
            guard stack[top].keys.insert(key).inserted else {
                throw Failure(location: node.location, message: "duplicate key \"\(key)\" in mapping")
            }
            stack[top].pendingKey = key
            stack[top].pendingKeyLocation = node.location
            stack[top].pendingKeyIgnored = ignoredKey
        }
    }

    private func syntaxFailure(_ parser: yaml_parser_t, documentIndex: Int, bytes: [UInt8]) -> ParseFailure {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.context.map { " (\(String(cString: $0)))" } ?? ""
        let kind = parser.error == YAML_READER_ERROR ? "cannot read input" : "YAML syntax error"
        let location = parser.error == YAML_READER_ERROR
            ? UTF8Check.location(ofOffset: Int(parser.problem_offset), in: bytes)
            : SourceLocation(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        return ParseFailure(source: source, documentIndex: documentIndex, location: location, message: "\(kind): \(problem)\(context)")
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    /// Plain scalars resolve like Kubernetes' YAML reader; quoted and block scalars
    /// are strings; explicit core tags are honoured.
    static func scalarValue(_ text: String, tag: String?, plain: Bool) -> ConfigNode.Value {
        switch tag {
        case nil, "!":
            return plain ? ScalarResolver.resolve(plain: text) : .string(text)
        case "tag:yaml.org,2002:str":
            return .string(text)
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null":
            return ScalarResolver.resolve(plain: text)
        default:
            return .string(text)
        }
    }

    /// Envoy's reading (`YAMLDialect.envoy`): only integers yaml-cpp would read as
    /// 64-bit integers, booleans and null resolve; other numbers stay text.
    static func envoyScalarValue(_ text: String, tag: String?, plain: Bool) -> ConfigNode.Value {
        guard plain, tag == nil || tag == "!" else { return scalarValue(text, tag: tag, plain: plain) }
        let value = ScalarResolver.resolve(plain: text)
        switch value {
        case .float, .bigInteger: return .string(text)
        case .int where text.utf8.contains(UInt8(ascii: "_")): return .string(text)
        default: return value
        }
    }
}
