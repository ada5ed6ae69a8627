/// What route matching reads of a request: spans into the head's bytes, valid
/// only while those bytes are (the caller holds them for the duration of a match).
public struct RouteRequest {
    public let bytes: UnsafeRawBufferPointer
    public let method: ByteSpan
    public let path: ByteSpan
    public let authority: ByteSpan
    public let fields: [HTTPHeaderField]
    public let isTLS: Bool
    /// The stream's random value: runtime fractions and weighted clusters use it, as
    /// Envoy does, so one request takes consistent decisions.
    public let random: UInt64

    public init(bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead, isTLS: Bool = false, random: UInt64) {
        self.bytes = bytes
        self.method = head.method
        self.path = head.path
        self.authority = head.authority
        self.fields = head.fields
        self.isTLS = isTLS
        self.random = random
    }

    /// `:path`; an absolute-form target without a path reads as `/`.
    @inline(__always) public var pathBytes: UnsafeRawBufferPointer {
        path.isEmpty ? Self.slash : path.bytes(in: bytes)
    }

    @inline(__always) public var authorityBytes: UnsafeRawBufferPointer { authority.bytes(in: bytes) }

    /// Calls `body` with the value of the named header (lower-case name), or nil.
    /// Repeated headers are joined with "," as Envoy's matchers see them.
    public func withHeaderValue<R>(named name: [UInt8], _ body: (UnsafeRawBufferPointer?) -> R) -> R {
        if let first = name.first, first == UInt8(ascii: ":") {
            switch name {
            case Self.methodName: return body(method.bytes(in: bytes))
            case Self.pathName: return body(pathBytes)
            case Self.authorityName: return body(authorityBytes)
            case Self.schemeName: return body(isTLS ? Self.https : Self.http)
            default: return body(nil)
            }
        }
        var found: HTTPHeaderField?
        var repeated = false
        for field in fields where ASCII.equalsLowercased(field.name.bytes(in: bytes), name) {
            if found == nil { found = field } else { repeated = true; break }
        }
        guard let found else { return body(nil) }
        guard repeated else { return body(found.value.bytes(in: bytes)) }
        var joined: [UInt8] = []
        for field in fields where ASCII.equalsLowercased(field.name.bytes(in: bytes), name) {
            if !joined.isEmpty { joined.append(UInt8(ascii: ",")) }
            joined.append(contentsOf: field.value.bytes(in: bytes))
        }
        return joined.withUnsafeBytes { body($0) }
    }

    static let methodName = Array(":method".utf8)
    static let pathName = Array(":path".utf8)
    static let authorityName = Array(":authority".utf8)
    static let schemeName = Array(":scheme".utf8)
    // Immortal, never-written buffers for constants (so pointers stay valid and sharing is safe).
    nonisolated(unsafe) static let slash = StaticBytes.make("/")
    nonisolated(unsafe) static let http = StaticBytes.make("http")
    nonisolated(unsafe) static let https = StaticBytes.make("https")
}

/// Process-lifetime byte buffers for constants that must be handed out as pointers.
enum StaticBytes {
    static func make(_ text: StaticString) -> UnsafeRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: text.utf8CodeUnitCount, alignment: 1)
        buffer.copyMemory(from: UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        return UnsafeRawBufferPointer(buffer)
    }
}
