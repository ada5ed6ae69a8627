import MeshCore

/// Decodes `Decodable` models straight from a `ConfigNode` tree, keeping field paths
/// and source positions for errors. Missing and `null` values decode as nil.
public struct ConfigNodeDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from node: ConfigNode, at path: FieldPath = .root) throws(NodeDecodingError) -> T {
        do {
            return try T(from: NodeDecoderImpl(node: node, path: path))
        } catch let error as NodeDecodingError {
            throw error
        } catch {
            throw NodeDecodingError(path: path, location: node.location, message: "\(error)")
        }
    }
}

struct NodeDecoderImpl: Decoder {
    let node: ConfigNode
    let path: FieldPath

    var codingPath: [any CodingKey] { path.segments.map(PathKey.init) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .mapping(let entries) = node.value else {
            throw mismatch("object")
        }
        return KeyedDecodingContainer(NodeKeyedContainer<Key>(entries: entries, node: node, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .sequence(let items) = node.value else {
            throw mismatch("array")
        }
        return NodeUnkeyedContainer(items: items, path: path)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        NodeSingleValueContainer(node: node, path: path)
    }

    func mismatch(_ expected: String) -> NodeDecodingError {
        NodeDecodingError(path: path, location: node.location, message: "expected \(expected), got \(node.typeName)")
    }
}

struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(_ segment: FieldPath.Segment) {
        switch segment {
        case .key(let key): stringValue = key; intValue = nil
        case .index(let index): stringValue = "\(index)"; intValue = index
        }
    }

    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

struct NodeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: [ConfigNode.Entry]
    let node: ConfigNode
    let path: FieldPath

    var codingPath: [any CodingKey] { path.segments.map(PathKey.init) }
    var allKeys: [Key] { entries.compactMap { Key(stringValue: $0.key) } }

    func value(_ key: Key) -> ConfigNode? {
        for entry in entries where entry.key == key.stringValue { return entry.value }
        return nil
    }

    func contains(_ key: Key) -> Bool { value(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = value(key) else { return true }
        return value.isNull
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let childPath = path.appending(key.stringValue)
        guard let value = value(key) else {
            throw NodeDecodingError(path: childPath, location: node.location, message: "required field is missing")
        }
        return try decodeValue(T.self, node: value, path: childPath)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = value(key), !value.isNull else { return nil }
        return try decodeValue(T.self, node: value, path: path.appending(key.stringValue))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try NodeDecoderImpl(node: value(key) ?? ConfigNode(.null, at: node.location), path: path.appending(key.stringValue)).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try NodeDecoderImpl(node: value(key) ?? ConfigNode(.null, at: node.location), path: path.appending(key.stringValue)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { NodeDecoderImpl(node: node, path: path) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        NodeDecoderImpl(node: value(key) ?? ConfigNode(.null, at: node.location), path: path.appending(key.stringValue))
    }
}

struct NodeUnkeyedContainer: UnkeyedDecodingContainer {
    let items: [ConfigNode]
    let path: FieldPath
    var currentIndex = 0

    var codingPath: [any CodingKey] { path.segments.map(PathKey.init) }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    mutating func next() throws -> (ConfigNode, FieldPath) {
        guard !isAtEnd else {
            throw NodeDecodingError(path: path, location: items.last?.location ?? SourceLocation(line: 0, column: 0), message: "array ended early")
        }
        defer { currentIndex += 1 }
        return (items[currentIndex], path.appending(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, items[currentIndex].isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (node, itemPath) = try next()
        return try decodeValue(T.self, node: node, path: itemPath)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let (node, itemPath) = try next()
        return try NodeDecoderImpl(node: node, path: itemPath).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let (node, itemPath) = try next()
        return try NodeDecoderImpl(node: node, path: itemPath).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let (node, itemPath) = try next()
        return NodeDecoderImpl(node: node, path: itemPath)
    }
}

struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let node: ConfigNode
    let path: FieldPath

    var codingPath: [any CodingKey] { path.segments.map(PathKey.init) }

    func fail(_ expected: String) -> NodeDecodingError {
        NodeDecodingError(path: path, location: node.location, message: "expected \(expected), got \(node.typeName)")
    }

    func decodeNil() -> Bool { node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = node.value else { throw fail("boolean") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let value) = node.value else { throw fail("string") }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch node.value {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: throw fail("number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch node.value {
        case .int(let value):
            guard let converted = T(exactly: value) else {
                throw NodeDecodingError(path: path, location: node.location, message: "integer \(value) is out of range")
            }
            return converted
        case .bigInteger(let text):
            throw NodeDecodingError(path: path, location: node.location, message: "integer \(text) is out of range")
        default:
            throw fail("integer")
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decodeValue(T.self, node: node, path: path)
    }
}

/// Decodes one value; string enums get a message naming the allowed values.
func decodeValue<T: Decodable>(_ type: T.Type, node: ConfigNode, path: FieldPath) throws -> T {
    if let raw = T.self as? any RawStringEnum.Type {
        guard case .string(let text) = node.value else {
            throw NodeDecodingError(path: path, location: node.location, message: "expected string, got \(node.typeName)")
        }
        guard let value = raw.make(text) else {
            throw NodeDecodingError(path: path, location: node.location,
                                    message: "unsupported value \"\(text)\" (supported: \(raw.allRawValues.joined(separator: ", ")))")
        }
        return value as! T
    }
    return try T(from: NodeDecoderImpl(node: node, path: path))
}

/// Enums decoded from strings report the allowed values when a value is unknown.
protocol RawStringEnum {
    static func make(_ raw: String) -> Self?
    static var allRawValues: [String] { get }
}

extension RawStringEnum where Self: RawRepresentable<String> & CaseIterable {
    static func make(_ raw: String) -> Self? { Self(rawValue: raw) }
    static var allRawValues: [String] { allCases.map(\.rawValue) }
}
