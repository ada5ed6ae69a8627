import MeshCore
import SwiftProtobuf

/// Typed decoding of one part of the document (a listener, a cluster, the node),
/// with unknown fields refused as Envoy refuses them. protobuf's JSON errors carry
/// no position, so on failure the smallest part whose removal lets the rest decode
/// is searched for: the error names that field, not just the listener it is in.
/// `typed_config` contents are checked here too when every `@type` in the part is
/// one this proxy knows (protobuf decodes an Any's JSON only when it is used);
/// unknown types are left for the listener and filter conversion to judge.
extension BootstrapDecoder {
    static func typed<M: SwiftProtobuf.Message>(_ type: M.Type, _ value: Google_Protobuf_Value, at path: FieldPath) throws(BootstrapError) -> M {
        let checkAny = !value.mentionsUnknownAnyType
        do {
            let message = try M(jsonString: try value.jsonString(), options: strict)
            if checkAny { try checkContents(message) }
            return message
        } catch {
            let culprit = self.culprit(M.self, in: value, checkAny: checkAny)
            var full = path
            for segment in culprit.segments { full.push(segment) }
            // The Any's own error is a bare "transcode failure": decode the culprit's
            // part again for protobuf's real reason where possible.
            let reason = culpritError(at: culprit, in: value) ?? error
            throw BootstrapError(path: full, reason: explain(reason, value: value.value(at: culprit.segments[...])))
        }
    }

    /// Decodes every `Any` inside `message` (binary encoding does, strictly).
    private static func checkContents<M: SwiftProtobuf.Message>(_ message: M) throws {
        let _: [UInt8] = try message.serializedBytes()
    }

    private static func decodes<M: SwiftProtobuf.Message>(_ type: M.Type, _ json: String, checkAny: Bool) -> Bool {
        guard let message = try? M(jsonString: json, options: strict) else { return false }
        return !checkAny || (try? checkContents(message)) != nil
    }

    /// protobuf's error for the part of `value` holding the culprit: the innermost
    /// `Any` (object with a known `@type`) around it, decoded as its own type.
    private static func culpritError(at culprit: FieldPath, in value: Google_Protobuf_Value) -> (any Error)? {
        var segments = culprit.segments[...]
        while !segments.isEmpty {
            segments = segments.dropLast()
            guard case .structValue(var object)? = value.value(at: segments)?.kind,
                  let url = object.fields["@type"]?.stringValue, let type = Google_Protobuf_Any.messageType(forTypeURL: url)
            else { continue }
            object.fields["@type"] = nil
            do {
                _ = try type.init(jsonString: try object.jsonString(), options: strict)
                return nil
            } catch {
                return error
            }
        }
        return nil
    }

    static var strict: JSONDecodingOptions {
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = false
        return options
    }

    /// The deepest path whose removal makes `value` decode as `M` (empty when no
    /// single removal does: several faults, or the value's own shape).
    static func culprit<M: SwiftProtobuf.Message>(_ type: M.Type, in value: Google_Protobuf_Value, checkAny: Bool) -> FieldPath {
        var path = FieldPath.root
        var node = value
        descending: while true {
            for (segment, child) in node.children {
                var candidate = path
                candidate.push(segment)
                guard let pruned = try? value.removing(candidate.segments[...]).jsonString() else { continue }
                if decodes(M.self, pruned, checkAny: checkAny) {
                    path = candidate
                    node = child
                    continue descending
                }
            }
            return path
        }
    }

    static func explain(_ error: any Error, value: Google_Protobuf_Value?) -> String {
        let found = value.flatMap { try? $0.jsonString() }.map { $0.count > 80 ? String($0.prefix(77)) + "..." : $0 }
        let got = found.map { " (got \($0))" } ?? ""
        guard let decoding = error as? JSONDecodingError else { return "\(error)\(got)" }
        switch decoding {
        case .unknownField(let name): return "unknown field \"\(name)\" (not in Envoy's v3 API, or not supported by this proxy)"
        case .malformedDuration: return "not a duration: expected a string such as \"0.25s\"\(got)"
        case .malformedTimestamp: return "not a timestamp\(got)"
        case .malformedNumber, .leadingZero: return "not a number\(got)"
        case .numberRange: return "number out of range, or not a whole number\(got)"
        case .malformedBool: return "not a boolean\(got)"
        case .malformedString: return "expected a string\(got)"
        case .unrecognizedEnumValue: return "unknown enum value\(got)"
        case .conflictingOneOf: return "set together with another field that excludes it (one of them only)"
        case .illegalNull: return "null is not allowed here"
        case .schemaMismatch: return "wrong type for this field\(got)"
        default: return "\(decoding)\(got)"
        }
    }
}
