import MeshConfig
import MeshCore

/// Checks a document against Istio's structural schema: types, unknown fields,
/// required fields, enums, ranges, lengths, patterns, mutually exclusive fields
/// (`oneOf`) and the CRDs' CEL rules. Reports every problem with its field path.
struct SchemaValidator {
    func validate(_ node: ConfigNode, schema: SchemaNode, path: FieldPath, into sink: inout [Diagnostic]) {
        var path = path
        walk(node, schema: schema, path: &path, into: &sink)
    }

    /// `path` is one mutable stack of segments (pushed and popped around each child),
    /// so walking allocates nothing per field unless a problem is reported.
    private func walk(_ node: ConfigNode, schema: SchemaNode, path: inout FieldPath, into sink: inout [Diagnostic]) {
        if node.isNull { return }
        guard checkType(node, schema: schema, path: path, into: &sink) else { return }
        switch node.value {
        case .string(let text):
            checkString(text, node: node, schema: schema, path: path, into: &sink)
        case .int(let value):
            checkRange(Double(value), node: node, schema: schema, path: path, into: &sink)
        case .float(let value):
            checkRange(value, node: node, schema: schema, path: path, into: &sink)
        case .mapping(let entries):
            checkObject(entries, node: node, schema: schema, path: &path, into: &sink)
        case .sequence(let items):
            if let minItems = schema.minItems, items.count < minItems {
                sink.append(Diagnostic(.error, path, "must have at least \(minItems) item(s)", location: node.location))
            }
            if let maxItems = schema.maxItems, items.count > maxItems {
                sink.append(Diagnostic(.error, path, "must have at most \(maxItems) items, has \(items.count)", location: node.location))
            }
            if let itemSchema = schema.items {
                for (index, item) in items.enumerated() {
                    path.push(.index(index))
                    walk(item, schema: itemSchema, path: &path, into: &sink)
                    path.pop()
                }
            }
        default:
            break
        }
        // Durations are checked in checkString, with a precise message per problem.
        for rule in schema.rules where rule.check != .durationAtLeastOneMillisecond && !rule.check.holds(for: node) {
            sink.append(Diagnostic(.error, path, rule.message, location: node.location))
        }
    }

    /// False (with an error) when the value has the wrong JSON type.
    private func checkType(_ node: ConfigNode, schema: SchemaNode, path: FieldPath, into sink: inout [Diagnostic]) -> Bool {
        if schema.intOrString {
            switch node.value {
            case .int, .string: return true
            default: break
            }
            sink.append(Diagnostic(.error, path, "expected integer or string, got \(node.typeName)", location: node.location))
            return false
        }
        guard let type = schema.type else { return true }
        let ok: Bool
        switch (type, node.value) {
        case ("string", .string), ("boolean", .bool), ("integer", .int), ("number", .int), ("number", .float),
             ("object", .mapping), ("array", .sequence):
            ok = true
        case ("integer", .bigInteger(let text)), ("number", .bigInteger(let text)):
            sink.append(Diagnostic(.error, path, "integer \(text) is out of range", location: node.location))
            return false
        default:
            ok = false
        }
        if !ok {
            var message = "expected \(type), got \(node.typeName)"
            if type == "string", node.typeName != "object", node.typeName != "array" {
                message += " (quote the value to make it a string)"
            }
            sink.append(Diagnostic(.error, path, message, location: node.location))
        }
        return ok
    }

    private func checkString(_ text: String, node: ConfigNode, schema: SchemaNode, path: FieldPath, into sink: inout [Diagnostic]) {
        if let values = schema.enumValues, !values.contains(text) {
            sink.append(Diagnostic(.error, path, "unsupported value \"\(text)\" (supported: \(values.joined(separator: ", ")))", location: node.location))
        }
        let length = text.count
        if let maxLength = schema.maxLength, length > maxLength {
            sink.append(Diagnostic(.error, path, "must be at most \(maxLength) characters, has \(length)", location: node.location))
        }
        if let minLength = schema.minLength, length < minLength {
            sink.append(Diagnostic(.error, path, "must be at least \(minLength) character(s)", location: node.location))
        }
        if let pattern = schema.pattern, !pattern.fullMatch(text) {
            sink.append(Diagnostic(.error, path, "\"\(text)\" does not match \(pattern.pattern)", location: node.location))
        }
        if let rule = schema.rules.first(where: { $0.check == .durationAtLeastOneMillisecond }) {
            checkDuration(text, rule: rule, node: node, path: path, into: &sink)
        }
    }

    /// Syntax, the CRD's ≥ 1ms minimum, and Istio's millisecond precision.
    private func checkDuration(_ text: String, rule: CELRule, node: ConfigNode, path: FieldPath, into sink: inout [Diagnostic]) {
        do {
            let value = try GoDuration.parse(text)
            if value < GoDuration.millisecond {
                sink.append(Diagnostic(.error, path, rule.message, location: node.location))
            } else if value % GoDuration.millisecond != 0 {
                sink.append(Diagnostic(.error, path, "only durations to ms precision are supported", location: node.location))
            }
        } catch {
            sink.append(Diagnostic(.error, path, error.description, location: node.location))
        }
    }

    private func checkRange(_ value: Double, node: ConfigNode, schema: SchemaNode, path: FieldPath, into sink: inout [Diagnostic]) {
        if let minimum = schema.minimum, value < minimum {
            sink.append(Diagnostic(.error, path, "must be at least \(format(minimum)), got \(format(value))", location: node.location))
        }
        if let maximum = schema.maximum, value > maximum {
            sink.append(Diagnostic(.error, path, "must be at most \(format(maximum)), got \(format(value))", location: node.location))
        }
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e18 ? String(Int64(value)) : String(value)
    }

    private func checkObject(_ entries: [ConfigNode.Entry], node: ConfigNode, schema: SchemaNode, path: inout FieldPath, into sink: inout [Diagnostic]) {
        for entry in entries {
            path.push(.key(entry.key))
            if let child = schema.properties[entry.key] {
                walk(entry.value, schema: child, path: &path, into: &sink)
            } else if let additional = schema.additionalProperties {
                walk(entry.value, schema: additional, path: &path, into: &sink)
            } else if !schema.preserveUnknownFields {
                sink.append(Diagnostic(.error, path, "unknown field \"\(entry.key)\"\(suggestion(for: entry.key, in: schema))", location: entry.keyLocation))
            }
            path.pop()
        }
        guard !schema.required.isEmpty || !schema.oneOf.isEmpty || !schema.anyOf.isEmpty || !schema.allOf.isEmpty else {
            checkPropertyCount(entries, node: node, schema: schema, path: path, into: &sink)
            return
        }
        let present = Set(entries.filter { !$0.value.isNull }.map(\.key))
        for name in schema.required where !present.contains(name) {
            sink.append(Diagnostic(.error, path.appending(name), "required field is missing", location: node.location))
        }
        checkPropertyCount(entries, node: node, schema: schema, path: path, into: &sink)
        KeyPresenceRules.check(schema, present: present, node: node, path: path, into: &sink)
    }

    private func checkPropertyCount(_ entries: [ConfigNode.Entry], node: ConfigNode, schema: SchemaNode, path: FieldPath, into sink: inout [Diagnostic]) {
        if let maxProperties = schema.maxProperties, entries.count > maxProperties {
            sink.append(Diagnostic(.error, path, "must have at most \(maxProperties) entries, has \(entries.count)", location: node.location))
        }
        if let minProperties = schema.minProperties, entries.count < minProperties {
            sink.append(Diagnostic(.error, path, "must have at least \(minProperties) entr\(minProperties == 1 ? "y" : "ies")", location: node.location))
        }
    }

    /// "did you mean" for a misspelt field: a known field that differs only in case.
    private func suggestion(for key: String, in schema: SchemaNode) -> String {
        let lowered = key.lowercased()
        if let match = schema.properties.keys.first(where: { $0.lowercased() == lowered }) {
            return " (did you mean \"\(match)\"?)"
        }
        return ""
    }
}
