/// What Envoy's tls_inspector learns from a connection's first bytes, without
/// consuming them: whether they start a TLS ClientHello, and if so its SNI host
/// name and ALPN list. Works on the bytes received so far; the caller buffers and
/// asks again until the answer is not `needMoreBytes`.
public enum TLSClientHelloParser {
    public struct ClientHello: Sendable, Equatable {
        /// The SNI host name, when the client sent one.
        public var serverName: String?
        /// ALPN protocols in the client's order (empty without the extension).
        public var applicationProtocols: [String]

        public init(serverName: String?, applicationProtocols: [String]) {
            self.serverName = serverName
            self.applicationProtocols = applicationProtocols
        }
    }

    public enum Result: Sendable, Equatable {
        case needMoreBytes
        /// Plaintext, or a ClientHello BoringSSL would refuse: Envoy then goes on
        /// with transport protocol "raw_buffer".
        case notTLS
        /// More than `maxBytes` would be needed: Envoy closes the connection.
        case tooLarge
        case clientHello(ClientHello)
    }

    /// Envoy's TLS_MAX_CLIENT_HELLO (the tls_inspector's default limit).
    public static let defaultMaxBytes = 64 * 1024
    static let recordHeader = 5
    static let maxRecordPayload = 16_384

    public static func parse(_ bytes: [UInt8], maxBytes: Int = defaultMaxBytes) -> Result {
        bytes.withUnsafeBytes { parse($0, maxBytes: maxBytes) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = defaultMaxBytes) -> Result {
        // Reassemble the handshake message from TLS records (a ClientHello may span several).
        var handshake: [UInt8] = []
        var offset = 0
        var needed: Int?  // handshake message length once its header is in
        while needed.map({ handshake.count < $0 }) ?? true {
            guard offset < bytes.count else { return more(bytes.count, maxBytes) }
            guard bytes[offset] == 0x16 else { return .notTLS }  // handshake record
            guard offset + 1 < bytes.count else { return more(bytes.count, maxBytes) }
            guard bytes[offset + 1] == 3 else { return .notTLS }  // SSL 3 / TLS 1.x record version
            guard offset + recordHeader <= bytes.count else { return more(bytes.count, maxBytes) }
            let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
            guard length > 0, length <= maxRecordPayload else { return .notTLS }
            let start = offset + recordHeader
            let available = min(length, bytes.count - start)
            handshake += bytes[start..<(start + available)]
            if needed == nil, handshake.count >= 4 {
                guard handshake[0] == 1 else { return .notTLS }  // ClientHello
                let total = 4 + (Int(handshake[1]) << 16 | Int(handshake[2]) << 8 | Int(handshake[3]))
                // Record headers come on top of the message; a hello that cannot fit is refused now.
                guard total + recordHeader <= maxBytes else { return .tooLarge }
                needed = total
            }
            guard available == length else { return more(bytes.count, maxBytes) }
            offset = start + length
        }
        guard let total = needed else { return more(bytes.count, maxBytes) }
        return clientHello(handshake[4..<total]).map(Result.clientHello) ?? .notTLS
    }

    private static func more(_ count: Int, _ maxBytes: Int) -> Result {
        count >= maxBytes ? .tooLarge : .needMoreBytes
    }

    /// The ClientHello body: version, random, session id, cipher suites,
    /// compression methods, extensions. nil when malformed.
    static func clientHello(_ body: ArraySlice<UInt8>) -> ClientHello? {
        var reader = TLSFieldReader(body)
        guard reader.skip(2 + 32),  // client_version, random
              reader.vector(lengthBytes: 1) != nil,  // session_id
              let suites = reader.vector(lengthBytes: 2), !suites.isEmpty, suites.count % 2 == 0,
              let compression = reader.vector(lengthBytes: 1), !compression.isEmpty else { return nil }
        var hello = ClientHello(serverName: nil, applicationProtocols: [])
        guard !reader.isAtEnd else { return hello }  // no extensions
        guard var extensions = reader.vector(lengthBytes: 2).map(TLSFieldReader.init), reader.isAtEnd else { return nil }
        var seen = Set<Int>()
        while !extensions.isAtEnd {
            guard let type = extensions.integer(2), let data = extensions.vector(lengthBytes: 2) else { return nil }
            guard seen.insert(type).inserted else { return nil }  // duplicate extensions are refused
            switch type {
            case 0: guard let name = serverName(data) else { return nil }
                hello.serverName = name
            case 16: hello.applicationProtocols = applicationProtocols(data)
            default: break
            }
        }
        return hello
    }

    /// server_name: BoringSSL takes exactly one host_name entry, 1-255 bytes, no NUL.
    static func serverName(_ data: ArraySlice<UInt8>) -> String? {
        var reader = TLSFieldReader(data)
        guard var list = reader.vector(lengthBytes: 2).map(TLSFieldReader.init), reader.isAtEnd,
              list.integer(1) == 0, let name = list.vector(lengthBytes: 2), list.isAtEnd,
              !name.isEmpty, name.count <= 255, !name.contains(0) else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// ALPN: a malformed list is ignored (Envoy lets the TLS stack report it).
    static func applicationProtocols(_ data: ArraySlice<UInt8>) -> [String] {
        var reader = TLSFieldReader(data)
        guard var list = reader.vector(lengthBytes: 2).map(TLSFieldReader.init), reader.isAtEnd, !list.isAtEnd else { return [] }
        var protocols: [String] = []
        while !list.isAtEnd {
            guard let name = list.vector(lengthBytes: 1), !name.isEmpty else { return [] }
            protocols.append(String(decoding: name, as: UTF8.self))
        }
        return protocols
    }
}

/// A bounds-checked cursor over big-endian TLS fields.
struct TLSFieldReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func skip(_ count: Int) -> Bool {
        guard bytes.count >= count else { return false }
        bytes = bytes.dropFirst(count)
        return true
    }

    mutating func integer(_ width: Int) -> Int? {
        guard bytes.count >= width else { return nil }
        let value = bytes.prefix(width).reduce(0) { $0 << 8 | Int($1) }
        bytes = bytes.dropFirst(width)
        return value
    }

    /// A length-prefixed vector.
    mutating func vector(lengthBytes: Int) -> ArraySlice<UInt8>? {
        guard let length = integer(lengthBytes), bytes.count >= length else { return nil }
        defer { bytes = bytes.dropFirst(length) }
        return bytes.prefix(length)
    }
}
