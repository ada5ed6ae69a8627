/// Decodes a chunked body (RFC 9112 §7.1) into its payload and trailer section,
/// for protocol translation: HTTP/2 has no chunked framing, so bytes bound for an
/// HTTP/2 peer need the payload alone and the trailers as a header block.
/// The HTTP/1.1 forwarding path does not use it (`ChunkedBodyScanner` passes
/// chunks through undecoded).
public struct ChunkedBodyDecoder: Sendable {
    enum State: Sendable {
        case size
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    public enum Piece: Sendable {
        /// Payload bytes at this range of the input.
        case data(Range<Int>)
        /// The body ends here, with these trailer fields (spans into the input).
        case end(trailers: [HTTPHeaderField])
    }

    var state = State.size

    public init() {}

    public var isDone: Bool {
        if case .done = state { return true }
        return false
    }

    /// Decodes what it can of `bytes` and returns how many it consumed; the rest
    /// (an incomplete size line or trailer section) must be offered again with
    /// more bytes appended.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, _ emit: (Piece) -> Void) throws(HTTPParseError) -> Int {
        var index = 0
        let count = bytes.count
        while index < count {
            switch state {
            case .size:
                guard let lf = HTTP1HeaderBlock.findLF(bytes, from: index) else {
                    if count - index > 4096 { throw .badRequest("chunk size line too long") }
                    return index
                }
                var size = 0
                var digits = 0
                var cursor = index
                while cursor < lf, let digit = ChunkedBodyScanner.hexValue(bytes[cursor]) {
                    guard digits < 15 else { throw .badRequest("chunk size too large") }
                    size = size << 4 | digit
                    digits += 1
                    cursor += 1
                }
                guard digits > 0 else { throw .badRequest("invalid chunk size") }
                if cursor < lf {
                    // Extensions are ignored; anything else after the size is an error.
                    let next = bytes[cursor]
                    guard next == UInt8(ascii: ";") || next == 0x20 || next == 0x09 || next == 0x0D else {
                        throw .badRequest("invalid chunk size")
                    }
                }
                index = lf + 1
                state = size == 0 ? .trailers : .data(remaining: size)
            case .data(let remaining):
                let take = min(remaining, count - index)
                emit(.data(index..<(index + take)))
                index += take
                state = take == remaining ? .dataEnd : .data(remaining: remaining - take)
            case .dataEnd:
                if bytes[index] == 0x0D {
                    guard index + 1 < count else { return index }
                    guard bytes[index + 1] == 0x0A else { throw .badRequest("missing CRLF after chunk") }
                    index += 2
                } else if bytes[index] == 0x0A {
                    index += 1
                } else {
                    throw .badRequest("missing CRLF after chunk")
                }
                state = .size
            case .trailers:
                // The whole trailer section is needed before it can be handed on.
                var fields: [HTTPHeaderField] = []
                guard let end = try HTTP1HeaderBlock.parseFields(bytes, from: index, fields: &fields,
                                                                 maxHeadBytes: 60 * 1024, maxHeaderCount: 100) else {
                    return index
                }
                emit(.end(trailers: fields))
                state = .done
                return end
            case .done:
                return index
            }
        }
        return index
    }
}
