import MeshConfig
import SwiftProtobuf

extension Google_Protobuf_Value {
    /// A YAML node (read with `YAMLDialect.envoy`) as Envoy turns it into protobuf
    /// JSON before decoding the message: integers in the int32 range are numbers,
    /// larger ones decimal strings (protobuf JSON takes strings for 64-bit fields);
    /// everything not resolved as null, boolean or integer is already a string, and
    /// the message's field types decide what it becomes.
    init(envoyYAML node: ConfigNode) {
        self.init()
        switch node.value {
        case .null:
            kind = .nullValue(.nullValue)
        case .bool(let value):
            kind = .boolValue(value)
        case .int(let value):
            kind = Int32(exactly: value) != nil ? .numberValue(Double(value)) : .stringValue(String(value))
        case .bigInteger(let text):
            kind = .stringValue(text)
        case .float(let value):
            kind = .numberValue(value)
        case .string(let text):
            kind = .stringValue(text)
        case .sequence(let items):
            kind = .listValue(Google_Protobuf_ListValue(values: items.map(Google_Protobuf_Value.init(envoyYAML:))))
        case .mapping(let entries):
            var object = Google_Protobuf_Struct()
            for entry in entries { object.fields[entry.key] = Google_Protobuf_Value(envoyYAML: entry.value) }
            kind = .structValue(object)
        }
    }
}
