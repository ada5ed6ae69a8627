/// A parsed HTTP/1 request head: spans into the received bytes plus the facts the
/// proxy acts on. Reused from request to request (its field array keeps its
/// capacity), so parsing allocates nothing once warm.
public struct HTTP1RequestHead: Sendable {
    /// Bytes from the first byte of the request line through the blank line.
    public var length = 0
    /// Leading empty lines skipped before the request line (RFC 9112 §2.2).
    public var skipped = 0
    public var method = ByteSpan.empty
    /// The path and query (origin form); for absolute-form targets, the part after
    /// the authority.
    public var path = ByteSpan.empty
    /// Authority from an absolute-form target, else from Host.
    public var authority = ByteSpan.empty
    public var hasAuthority = false
    /// The target was absolute-form: its authority overrides Host (RFC 9112 §3.2.2).
    public var absoluteForm = false
    public var version = HTTPVersion1.http11
    public var fields: [HTTPHeaderField] = []
    public var framing = BodyFraming.none
    /// The client asked to close after this exchange (or is HTTP/1.0 without keep-alive).
    public var wantsClose = false
    public var expectsContinue = false
    public var hasRequestID = false
    public var hasForwardedProto = false
    public var isHead = false
    /// The `upgrade` header's value (empty span: none).
    public var upgrade = ByteSpan.empty
    /// `connection` names `upgrade`.
    public var connectionUpgrade = false

    /// An HTTP/1.1 protocol upgrade request (WebSocket): both headers present.
    public var isUpgrade: Bool { connectionUpgrade && upgrade.end > upgrade.start }
    /// More than one Host field (Envoy joins them with ",").
    public var repeatedHost = false

    public init() {
        fields.reserveCapacity(32)
    }

    mutating func reset() {
        length = 0
        skipped = 0
        method = .empty
        path = .empty
        authority = .empty
        hasAuthority = false
        absoluteForm = false
        version = .http11
        fields.removeAll(keepingCapacity: true)
        framing = .none
        wantsClose = false
        expectsContinue = false
        hasRequestID = false
        hasForwardedProto = false
        isHead = false
        upgrade = .empty
        connectionUpgrade = false
        repeatedHost = false
    }
}
