/// Virtual-host selection by Host, as Envoy does it: exact domain, then the longest
/// suffix wildcard (`*.example.com`, `*-bar.example.com`), then the longest prefix
/// wildcard (`example.*`), then `*`. Case-insensitive; a port in Host is part of
/// the name (Istio lists each domain with and without its port). A wildcard must
/// stand for at least one character.
public struct DomainIndex: Sendable {
    public struct DuplicateDomain: Error, Sendable, Equatable {
        public let domain: String
    }

    public struct InvalidDomain: Error, Sendable, Equatable {
        public let domain: String
    }

    struct Entry: Sendable {
        let bytes: [UInt8]
        let host: Int
    }

    /// Exact domains by hash of their lower-case bytes; the bytes are compared too.
    private var exact: [UInt64: [Entry]] = [:]
    private var suffixes: [Entry] = []
    private var prefixes: [Entry] = []
    private var fallback: Int?

    public init(domainsByHost: [[String]]) throws {
        var seen = Set<String>()
        for (host, domains) in domainsByHost.enumerated() {
            for domain in domains {
                let lowered = String(decoding: domain.utf8.map(ASCII.lower), as: UTF8.self)
                guard seen.insert(lowered).inserted else { throw DuplicateDomain(domain: domain) }
                let bytes = Array(lowered.utf8)
                let stars = bytes.filter { $0 == UInt8(ascii: "*") }.count
                if lowered == "*" {
                    fallback = host
                } else if stars == 0 {
                    exact[Self.hash(bytes), default: []].append(Entry(bytes: bytes, host: host))
                } else if stars == 1 && bytes.first == UInt8(ascii: "*") {
                    suffixes.append(Entry(bytes: Array(bytes.dropFirst()), host: host))
                } else if stars == 1 && bytes.last == UInt8(ascii: "*") {
                    prefixes.append(Entry(bytes: Array(bytes.dropLast()), host: host))
                } else {
                    throw InvalidDomain(domain: domain)
                }
            }
        }
        // Longest first; equal lengths cannot both match one host unless equal.
        suffixes.sort { $0.bytes.count > $1.bytes.count }
        prefixes.sort { $0.bytes.count > $1.bytes.count }
    }

    /// Index of the virtual host for this Host value, or nil (Envoy: 404 NR).
    public func lookup(_ host: UnsafeRawBufferPointer) -> Int? {
        if !exact.isEmpty, let bucket = exact[Self.hash(host)] {
            for entry in bucket where ASCII.equalsLowercased(host, entry.bytes) { return entry.host }
        }
        for entry in suffixes where host.count > entry.bytes.count && ByteMatch.hasSuffix(host, entry.bytes, ignoreCase: true) {
            return entry.host
        }
        for entry in prefixes where host.count > entry.bytes.count && ByteMatch.hasPrefix(host, entry.bytes, ignoreCase: true) {
            return entry.host
        }
        return fallback
    }

    /// FNV-1a over lower-cased bytes: hashing request bytes needs no String.
    @inline(__always) static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(ASCII.lower(byte))) &* 0x100_0000_01b3
        }
        return hash
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { hash($0) }
    }
}
