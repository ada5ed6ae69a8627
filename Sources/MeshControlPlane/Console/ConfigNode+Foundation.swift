import Foundation
import MeshConfig

extension ConfigNode {
    /// The value as Foundation types for `JSONSerialization` (integers stay integers,
    /// so a weight of 80 reads back as 80, not 80.0).
    var foundationValue: Any {
        switch value {
        case .null: return NSNull()
        case .bool(let flag): return flag
        case .int(let number): return number
        case .bigInteger(let text): return text
        case .float(let number): return number
        case .string(let text): return text
        case .sequence(let items): return items.map(\.foundationValue)
        case .mapping(let entries):
            var object: [String: Any] = [:]
            for entry in entries { object[entry.key] = entry.value.foundationValue }
            return object
        }
    }
}
