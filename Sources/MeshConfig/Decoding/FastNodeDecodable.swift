/// Decoding from a node without Codable's machinery or path bookkeeping: the
/// typed models of the Istio kinds implement it (generated). It is only used once
/// the schema check has passed; if it still fails, the Codable decoder runs again
/// to report where.
protocol FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure)
}

struct FastDecodeFailure: Error {}

extension String: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .string(let value) = node.value else { throw FastDecodeFailure() }
        self = value
    }
}

extension Int: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .int(let value) = node.value, let converted = Int(exactly: value) else { throw FastDecodeFailure() }
        self = converted
    }
}

extension Double: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        switch node.value {
        case .float(let value): self = value
        case .int(let value): self = Double(value)
        default: throw FastDecodeFailure()
        }
    }
}

extension Bool: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .bool(let value) = node.value else { throw FastDecodeFailure() }
        self = value
    }
}

extension JSONValue: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) { self = JSONValue(node) }
}

extension IntOrString: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        switch node.value {
        case .int(let value): self = .int(Int(value))
        case .string(let value): self = .string(value)
        default: throw FastDecodeFailure()
        }
    }
}

extension Array: FastNodeDecodable where Element: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .sequence(let items) = node.value else { throw FastDecodeFailure() }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items { result.append(try Element(fast: item)) }
        self = result
    }
}

extension Dictionary: FastNodeDecodable where Key == String, Value: FastNodeDecodable {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .mapping(let entries) = node.value else { throw FastDecodeFailure() }
        var result: [String: Value] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries { result[entry.key] = try Value(fast: entry.value) }
        self = result
    }
}

extension RawStringEnum where Self: RawRepresentable<String> {
    init(fast node: ConfigNode) throws(FastDecodeFailure) {
        guard case .string(let raw) = node.value, let value = Self(rawValue: raw) else { throw FastDecodeFailure() }
        self = value
    }
}
