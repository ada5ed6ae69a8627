import MeshCore
import Yams

/// Converts Yams nodes into `ConfigNode`s, resolving plain scalars and enforcing the
/// depth limit and the node budget (alias expansion can multiply a small input).
struct NodeConverter {
    struct Failure: Error {
        var location: SourceLocation?
        var message: String
    }

    private var remaining: Int

    init(budget: Int) {
        remaining = budget
    }

    mutating func convert(_ node: Node, depth: Int) throws(Failure) -> ConfigNode {
        let location = SourceLocation(line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
        remaining -= 1
        if remaining < 0 {
            throw Failure(location: location, message: "document expands to too many values (alias expansion?)")
        }
        if depth > DocumentParser.maxDepth {
            throw Failure(location: location, message: "document nesting exceeds \(DocumentParser.maxDepth) levels")
        }
        switch node {
        case .scalar(let scalar):
            return ConfigNode(Self.scalarValue(scalar), at: location)
        case .mapping(let mapping):
            var entries: [ConfigNode.Entry] = []
            entries.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(location: location, message: "mapping keys must be plain values, not collections")
                }
                let keyLocation = SourceLocation(line: keyScalar.mark?.line ?? 0, column: keyScalar.mark?.column ?? 0)
                entries.append(ConfigNode.Entry(key: keyScalar.string, keyLocation: keyLocation, value: try convert(value, depth: depth + 1)))
            }
            return ConfigNode(.mapping(entries), at: location)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, depth: depth + 1))
            }
            return ConfigNode(.sequence(items), at: location)
        case .alias:
            throw Failure(location: location, message: "unresolved YAML alias")
        }
    }

    static func scalarValue(_ scalar: Node.Scalar) -> ConfigNode.Value {
        let tag = Tag.Name(rawValue: scalar.tag.rawValue)
        switch tag {
        case .str, .implicit, .nonSpecific:
            return scalar.style == .plain || scalar.style == .any ? ScalarResolver.resolve(plain: scalar.string) : .string(scalar.string)
        case .int, .float, .bool, .null:
            return ScalarResolver.resolve(plain: scalar.string)
        default:
            return .string(scalar.string)
        }
    }
}
