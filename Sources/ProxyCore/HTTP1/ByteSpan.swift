/// A range of bytes inside a message head, as offsets from the head's first byte.
/// Spans keep the parsed head free of copies: matching and rewriting read the
/// original bytes.
public struct ByteSpan: Sendable, Equatable {
    public var start: Int32
    public var end: Int32

    @inline(__always) public init(start: Int, end: Int) {
        self.start = Int32(truncatingIfNeeded: start)
        self.end = Int32(truncatingIfNeeded: end)
    }

    public static let empty = ByteSpan(start: 0, end: 0)

    @inline(__always) public var count: Int { Int(end &- start) }
    @inline(__always) public var isEmpty: Bool { end == start }

    @inline(__always) public func bytes(in base: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: base[Int(start)..<Int(end)])
    }
}
