import struct Foundation.Data
import SwiftProtobuf

/// The resources one proxy should have, by type URL and name, with a content
/// version per resource and per type (unchanged content -> unchanged version ->
/// nothing pushed). Built once per translation and shared by every stream it
/// serves, so hashing the bytes happens once, not once per stream and push.
public struct NodeResources: Sendable, Equatable {
    public private(set) var byType: [String: [String: Google_Protobuf_Any]] = [:]
    /// Per type: every name in order, and its content hash.
    private var hashes: [String: [String: UInt64]] = [:]
    private var sortedNames: [String: [String]] = [:]
    public private(set) var versions: [String: String] = [:]

    public init(_ byType: [String: [(name: String, resource: Google_Protobuf_Any)]]) {
        for (type, entries) in byType {
            var map: [String: Google_Protobuf_Any] = [:]
            var typeHashes: [String: UInt64] = [:]
            for entry in entries {
                map[entry.name] = entry.resource
                typeHashes[entry.name] = Self.hash(name: entry.name, bytes: entry.resource.value)
            }
            let names = map.keys.sorted()
            self.byType[type] = map
            hashes[type] = typeHashes
            sortedNames[type] = names
            versions[type] = Self.combine(names.map { typeHashes[$0]! })
        }
    }

    public func resources(_ type: String) -> [String: Google_Protobuf_Any] { byType[type] ?? [:] }
    public func version(_ type: String) -> String { versions[type] ?? Self.combine([]) }
    public func names(_ type: String) -> [String] { sortedNames[type] ?? [] }

    /// A resource's own version (delta xDS).
    public func version(_ type: String, name: String) -> String? {
        hashes[type]?[name].map { Self.hex($0) }
    }

    /// The version of the named subset, in the given (sorted) name order; equal to
    /// `version(type)` when the names are all of them.
    public func version(_ type: String, sortedNames names: [String]) -> String {
        guard let typeHashes = hashes[type] else { return Self.combine([]) }
        return Self.combine(names.compactMap { typeHashes[$0] })
    }

    /// FNV-1a over the name and serialized bytes: stable across runs.
    static func hash(name: String, bytes: Data) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= 0xff
        hash = hash &* 0x100_0000_01b3
        bytes.withUnsafeBytes { raw in
            for byte in raw {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }

    static func combine(_ values: [UInt64]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for value in values {
            hash ^= value
            hash = hash &* 0x100_0000_01b3
        }
        return hex(hash)
    }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
