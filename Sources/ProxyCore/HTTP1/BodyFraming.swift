/// How a message's body ends (RFC 9112 §6.3).
public enum BodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
    /// Only responses: the body ends when the upstream closes the connection.
    case untilClose
}
