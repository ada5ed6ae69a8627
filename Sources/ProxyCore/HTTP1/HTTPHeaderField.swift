/// One header line of a parsed head: where its name and (trimmed) value are.
public struct HTTPHeaderField: Sendable {
    public var name: ByteSpan
    public var value: ByteSpan
    public var kind: KnownHeader
    /// Where the whole line starts and ends (CRLF included), for copying it as is.
    public var line: ByteSpan
}
