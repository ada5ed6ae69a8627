import NIOCore
import NIOHPACK
import NIOHTTP2
import ProxyCore

/// The HTTP/1.1 message the proxy's own handlers write (a response downstream,
/// a request upstream) turned into HTTP/2 frames as its bytes arrive: the head
/// once complete (its parsing is the caller's), then the body in its framing.
/// Bytes that cannot be translated yet are kept for the next write.
struct HTTP1ToHTTP2Translation {
    enum Head {
        case needMore
        /// A head that is consumed but not relayed (1xx responses).
        case skip(length: Int)
        case head(HPACKHeaders, length: Int, framing: BodyFraming)
    }

    enum State {
        case head
        case body(HTTP1BodyTranslator)
        case ended
    }

    private(set) var state = State.head
    private var pending: ByteBuffer?

    var isEnded: Bool {
        if case .ended = state { return true }
        return false
    }

    var endsAtClose: Bool {
        if case .body(let body) = state { return body.endsAtClose }
        return false
    }

    mutating func end() {
        state = .ended
        pending = nil
    }

    /// Translates `incoming` (after what was pending). `parseHead` reads a head
    /// from the readable bytes; `emit` receives each frame in order.
    mutating func translate(_ incoming: ByteBuffer, parseHead: (UnsafeRawBufferPointer) throws(HTTPParseError) -> Head,
                            emit: (HTTP2Frame.FramePayload) -> Void) throws(HTTPParseError) {
        var buffer = incoming
        if pending != nil {
            pending!.writeBuffer(&buffer)
            buffer = pending!
            pending = nil
        }
        loop: while buffer.readableBytes > 0 {
            switch state {
            case .ended:
                return
            case .head:
                let head = try buffer.withUnsafeReadableBytes { bytes throws(HTTPParseError) in try parseHead(bytes) }
                switch head {
                case .needMore:
                    break loop
                case .skip(let length):
                    buffer.moveReaderIndex(forwardBy: length)
                case .head(let headers, let length, let framing):
                    buffer.moveReaderIndex(forwardBy: length)
                    let body = HTTP1BodyTranslator(framing)
                    state = body.isDone ? .ended : .body(body)
                    emit(.headers(.init(headers: headers, endStream: body.isDone)))
                }
            case .body(var body):
                try body.consume(&buffer, emit)
                state = body.isDone ? .ended : .body(body)
                if !body.isDone { break loop }
            }
        }
        if !isEnded && buffer.readableBytes > 0 { pending = buffer }
    }

    /// The connection closing ends an until-close body.
    mutating func finishAtClose(_ emit: (HTTP2Frame.FramePayload) -> Void) {
        guard case .body(var body) = state, body.endsAtClose else { return }
        body.finishAtClose(emit)
        state = .ended
    }
}
