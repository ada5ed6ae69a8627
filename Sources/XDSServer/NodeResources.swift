import SwiftProtobuf

/// The resources one proxy should have, by type URL and name, with a content
/// version per type (unchanged content -> unchanged version -> nothing pushed).
public struct NodeResources: Sendable, Equatable {
    public private(set) var byType: [String: [String: Google_Protobuf_Any]] = [:]
    public private(set) var versions: [String: String] = [:]

    public init(_ byType: [String: [(name: String, resource: Google_Protobuf_Any)]]) {
        for (type, entries) in byType {
            var map: [String: Google_Protobuf_Any] = [:]
            for entry in entries { map[entry.name] = entry.resource }
            self.byType[type] = map
            versions[type] = Self.version(of: map)
        }
    }

    public func resources(_ type: String) -> [String: Google_Protobuf_Any] { byType[type] ?? [:] }
    public func version(_ type: String) -> String { versions[type] ?? Self.version(of: [:]) }

    /// FNV-1a over names and serialized bytes, in name order: stable across runs.
    static func version(of resources: [String: Google_Protobuf_Any]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        for name in resources.keys.sorted() {
            mix(name.utf8)
            mix(resources[name]!.value)
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
