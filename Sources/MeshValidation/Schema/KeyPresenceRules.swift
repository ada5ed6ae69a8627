import MeshConfig
import MeshCore

/// Istio's CRDs express protobuf `oneof`s as `oneOf` / `anyOf` / `allOf` / `not`
/// over `required` lists: constraints on which keys are present. This evaluates them
/// and names the conflicting fields.
enum KeyPresenceRules {
    static func check(_ schema: SchemaNode, present: Set<String>, node: ConfigNode, path: FieldPath, into sink: inout [Diagnostic]) {
        if !schema.oneOf.isEmpty {
            let matching = schema.oneOf.filter { matches($0, present: present) }.count
            if matching != 1 { report(schema.oneOf, present: present, node: node, path: path, into: &sink) }
        }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { matches($0, present: present) }) {
            report(schema.anyOf, present: present, node: node, path: path, into: &sink)
        }
        for sub in schema.allOf where sub.properties.isEmpty {
            check(sub, present: present, node: node, path: path, into: &sink)
        }
    }

    static func matches(_ schema: SchemaNode, present: Set<String>) -> Bool {
        if !schema.required.allSatisfy(present.contains) { return false }
        if let not = schema.not, matches(not, present: present) { return false }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { matches($0, present: present) }) { return false }
        if !schema.oneOf.isEmpty, schema.oneOf.filter({ matches($0, present: present) }).count != 1 { return false }
        return schema.allOf.allSatisfy { matches($0, present: present) }
    }

    private static func report(_ branches: [SchemaNode], present: Set<String>, node: ConfigNode, path: FieldPath, into sink: inout [Diagnostic]) {
        var names: [String] = []
        func collect(_ schema: SchemaNode) {
            for name in schema.required where !names.contains(name) { names.append(name) }
            schema.not.map(collect)
            schema.anyOf.forEach(collect)
            schema.oneOf.forEach(collect)
            schema.allOf.forEach(collect)
        }
        branches.forEach(collect)
        let set = names.filter(present.contains)
        let message: String
        if set.count > 1 {
            message = "\(set.map { "\"\($0)\"" }.joined(separator: " and ")) are mutually exclusive: set only one of \(names.joined(separator: ", "))"
        } else {
            message = "exactly one of \(names.joined(separator: ", ")) must be set"
        }
        sink.append(Diagnostic(.error, path, message, location: node.location))
    }
}
