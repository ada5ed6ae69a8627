/// Follows a message body as its bytes stream past, for any framing: tells how many
/// of the next bytes still belong to the message.
public struct BodyTracker: Sendable {
    enum Mode: Sendable {
        case length(remaining: Int)
        case chunked(ChunkedBodyScanner)
        case untilClose
        case done
    }

    var mode: Mode

    public init(_ framing: BodyFraming) {
        switch framing {
        case .none: mode = .done
        case .contentLength(let length): mode = length > 0 ? .length(remaining: length) : .done
        case .chunked: mode = .chunked(ChunkedBodyScanner())
        case .untilClose: mode = .untilClose
        }
    }

    public var isDone: Bool {
        if case .done = mode { return true }
        return false
    }

    /// How many of `bytes` belong to this body; `isDone` tells whether it ended there.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> Int {
        switch mode {
        case .done:
            return 0
        case .untilClose:
            return bytes.count
        case .length(let remaining):
            let take = min(remaining, bytes.count)
            mode = take == remaining ? .done : .length(remaining: remaining - take)
            return take
        case .chunked(var scanner):
            switch try scanner.scan(bytes) {
            case .needMore:
                mode = .chunked(scanner)
                return bytes.count
            case .finished(let consumed):
                mode = .done
                return consumed
            }
        }
    }
}

extension BodyTracker {
    /// The body ends when the connection closes (responses without length).
    public var endsAtClose: Bool {
        if case .untilClose = mode { return true }
        return false
    }
}
