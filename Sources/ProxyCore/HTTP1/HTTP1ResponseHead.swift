/// A parsed HTTP/1 response head (status line and fields), reused like the request head.
public struct HTTP1ResponseHead: Sendable {
    public var length = 0
    public var version = HTTPVersion1.http11
    public var status = 0
    /// The status line without its CRLF, e.g. `HTTP/1.1 200 OK`.
    public var statusLine = ByteSpan.empty
    public var fields: [HTTPHeaderField] = []
    public var framing = BodyFraming.none
    /// The upstream will close after this response.
    public var willClose = false

    public init() {
        fields.reserveCapacity(32)
    }

    public var isInformational: Bool { status >= 100 && status < 200 }

    mutating func reset() {
        length = 0
        version = .http11
        status = 0
        statusLine = .empty
        fields.removeAll(keepingCapacity: true)
        framing = .none
        willClose = false
    }
}
