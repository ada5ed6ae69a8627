/// What one exchange contributes to its access-log line. Reused per connection:
/// header values are copied into one byte store whose capacity is kept, so a
/// warm connection logs without allocating.
public struct AccessLogRecord: Sendable {
    public var startEpochNanos: Int64 = 0
    public var durationNanos: Int64 = 0
    /// 0 when no response was sent.
    public var responseCode = 0
    public var responseCodeDetails: StaticString = "-"
    /// Details built per request (RBAC's `rbac_access_denied_matched_policy[NAME]`);
    /// when set they replace `responseCodeDetails`.
    public var dynamicResponseCodeDetails: [UInt8] = []
    public var flags: ResponseFlags = []
    public var bytesReceived = 0
    public var bytesSent = 0
    public var version = HTTPVersion1.http11
    /// The request came on an HTTP/2 stream (`%PROTOCOL%` is `HTTP/2`).
    public var isHTTP2 = false
    /// A tcp_proxy connection: no HTTP, so `%PROTOCOL%`, the response code's
    /// details and CEL's `request.protocol` / `response.code` have no value.
    public var isTCP = false
    public var upstreamHost: [UInt8] = []
    public var upstreamCluster: [UInt8] = []
    public var routeName: [UInt8] = []
    public var downstreamRemote: [UInt8] = []
    public var downstreamRemotePort = 0
    public var downstreamLocal: [UInt8] = []
    /// Per connection (TLS): the client certificate's URI SAN, the proxy's own, the SNI.
    public var downstreamPeerURISAN: [UInt8] = []
    public var downstreamLocalURISAN: [UInt8] = []
    public var requestedServerName: [UInt8] = []
    /// `%CONNECTION_TERMINATION_DETAILS%`: why the proxy closed the connection
    /// (network RBAC's `rbac_access_denied_matched_policy[NAME]`).
    public var connectionTerminationDetails: [UInt8] = []
    /// `%UPSTREAM_LOCAL_ADDRESS%` (`ip:port`) of the upstream connection used.
    public var upstreamLocal: [UInt8] = []
    /// Why the upstream TLS connection failed (`%UPSTREAM_TRANSPORT_FAILURE_REASON%`).
    public var upstreamTransportFailureReason: [UInt8] = []
    /// Values by the format's header index; -1 start: absent.
    var store: [UInt8] = []
    var requestValues: [Range<Int>?] = []
    var responseValues: [Range<Int>?] = []

    public init() {
        store.reserveCapacity(512)
    }

    /// Forgets the previous exchange (keeps capacity).
    public mutating func reset(format: AccessLogFormat) {
        store.removeAll(keepingCapacity: true)
        requestValues.removeAll(keepingCapacity: true)
        requestValues.append(contentsOf: repeatElement(nil, count: format.requestHeaders.count))
        responseValues.removeAll(keepingCapacity: true)
        responseValues.append(contentsOf: repeatElement(nil, count: format.responseHeaders.count))
        responseCode = 0
        responseCodeDetails = "-"
        if !dynamicResponseCodeDetails.isEmpty { dynamicResponseCodeDetails = [] }
        flags = []
        bytesReceived = 0
        bytesSent = 0
        // These are set to shared arrays (the endpoint's, the cluster's): emptying
        // one in place would copy it, so they are replaced instead.
        upstreamHost = []
        upstreamCluster = []
        routeName = []
        upstreamLocal = []
        upstreamTransportFailureReason = []
    }

    /// Copies the request headers the format names out of the received bytes.
    public mutating func captureRequest(_ bytes: UnsafeRawBufferPointer, head: HTTP1RequestHead, format: AccessLogFormat) {
        version = head.version
        for (index, ref) in format.requestHeaders.enumerated() {
            if !copyRequestValue(ref.name, bytes, head, slot: index), let alternative = ref.alternative {
                _ = copyRequestValue(alternative, bytes, head, slot: index)
            }
        }
    }

    private mutating func copyRequestValue(_ name: [UInt8], _ bytes: UnsafeRawBufferPointer, _ head: HTTP1RequestHead, slot: Int) -> Bool {
        let span: ByteSpan?
        switch name {
        case Self.method: span = head.method
        case Self.path: span = head.path
        case Self.authority: span = head.hasAuthority ? head.authority : nil
        default: span = head.fields.first { ASCII.equalsLowercased($0.name.bytes(in: bytes), name) }?.value
        }
        guard let span else { return false }
        let start = store.count
        store.append(contentsOf: span.bytes(in: bytes))
        requestValues[slot] = start..<store.count
        return true
    }

    /// Copies the response headers the format names.
    public mutating func captureResponse(_ bytes: UnsafeRawBufferPointer, head: HTTP1ResponseHead, format: AccessLogFormat) {
        for (index, ref) in format.responseHeaders.enumerated() {
            if !copyResponseValue(ref.name, bytes, head, slot: index), let alternative = ref.alternative {
                _ = copyResponseValue(alternative, bytes, head, slot: index)
            }
        }
    }

    private mutating func copyResponseValue(_ name: [UInt8], _ bytes: UnsafeRawBufferPointer, _ head: HTTP1ResponseHead, slot: Int) -> Bool {
        guard let field = head.fields.first(where: { ASCII.equalsLowercased($0.name.bytes(in: bytes), name) }) else { return false }
        let start = store.count
        store.append(contentsOf: field.value.bytes(in: bytes))
        responseValues[slot] = start..<store.count
        return true
    }

    /// A request header as the proxy forwarded it (a generated `x-request-id`,
    /// `x-forwarded-for` with the peer appended): replaces the captured value.
    public mutating func setRequestHeader(_ name: [UInt8], format: AccessLogFormat, value: (inout [UInt8]) -> Void) {
        for (index, ref) in format.requestHeaders.enumerated() where ref.name == name {
            let start = store.count
            value(&store)
            requestValues[index] = start..<store.count
        }
    }

    /// A route rewrote the request's path: `%REQ(:PATH)%` shows the new one, as Envoy's
    /// router changes the header; `x-envoy-original-path` the old one when the router adds
    /// Envoy's headers (`original`), else it is absent and its `:path` fallback is the new one.
    public mutating func rewritePath(_ rewritten: UnsafeRawBufferPointer, original: UnsafeRawBufferPointer?, format: AccessLogFormat) {
        for (index, ref) in format.requestHeaders.enumerated() {
            let value: UnsafeRawBufferPointer
            if ref.name == Self.path {
                value = rewritten
            } else if ref.name == Self.originalPath, let original {
                value = original
            } else if ref.name == Self.originalPath, ref.alternative == Self.path {
                value = rewritten
            } else {
                continue
            }
            let start = store.count
            store.append(contentsOf: value)
            requestValues[index] = start..<store.count
        }
    }

    /// The value captured for a response header slot, if any.
    public func responseValue(_ slot: Int) -> ArraySlice<UInt8>? {
        responseValues[slot].map { store[$0] }
    }

    /// The value captured for a request header slot, if any.
    public func requestValue(_ slot: Int) -> ArraySlice<UInt8>? {
        requestValues[slot].map { store[$0] }
    }

    static let method = Array(":method".utf8)
    static let path = Array(":path".utf8)
    static let originalPath = Array("x-envoy-original-path".utf8)
    static let authority = Array(":authority".utf8)
}
