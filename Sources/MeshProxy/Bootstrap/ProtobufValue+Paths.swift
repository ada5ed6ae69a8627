import MeshCore
import SwiftProtobuf

/// Walking and pruning a generic protobuf JSON value by field path, for locating
/// what makes a bootstrap part fail to decode.
extension Google_Protobuf_Value {
    /// Whether some `@type` inside names a type this proxy has not registered.
    var mentionsUnknownAnyType: Bool {
        switch kind {
        case .structValue(let object)?:
            if let url = object.fields["@type"]?.stringValue, Google_Protobuf_Any.messageType(forTypeURL: url) == nil { return true }
            return object.fields.values.contains { $0.mentionsUnknownAnyType }
        case .listValue(let list)?:
            return list.values.contains { $0.mentionsUnknownAnyType }
        default:
            return false
        }
    }

    /// Object fields (in name order) or list items, with their path segments.
    var children: [(FieldPath.Segment, Google_Protobuf_Value)] {
        switch kind {
        case .structValue(let object)?: object.fields.sorted { $0.key < $1.key }.map { (.key($0.key), $0.value) }
        case .listValue(let list)?: list.values.enumerated().map { (.index($0.offset), $0.element) }
        default: []
        }
    }

    func value(at path: ArraySlice<FieldPath.Segment>) -> Google_Protobuf_Value? {
        guard let first = path.first else { return self }
        switch (first, kind) {
        case (.key(let key), .structValue(let object)?): return object.fields[key]?.value(at: path.dropFirst())
        case (.index(let index), .listValue(let list)?) where list.values.indices.contains(index): return list.values[index].value(at: path.dropFirst())
        default: return nil
        }
    }

    /// A copy without the value at `path`.
    func removing(_ path: ArraySlice<FieldPath.Segment>) -> Google_Protobuf_Value {
        guard let first = path.first else { return self }
        var copy = self
        switch (first, kind) {
        case (.key(let key), .structValue(var object)?):
            if path.count == 1 { object.fields[key] = nil } else if let child = object.fields[key] { object.fields[key] = child.removing(path.dropFirst()) }
            copy.kind = .structValue(object)
        case (.index(let index), .listValue(var list)?) where list.values.indices.contains(index):
            if path.count == 1 { list.values.remove(at: index) } else { list.values[index] = list.values[index].removing(path.dropFirst()) }
            copy.kind = .listValue(list)
        default:
            break
        }
        return copy
    }
}
