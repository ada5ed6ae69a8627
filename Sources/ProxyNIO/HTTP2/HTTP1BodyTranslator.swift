import NIOCore
import NIOHPACK
import NIOHTTP2
import ProxyCore

/// Turns an HTTP/1.1 message body, in whatever framing it came, into HTTP/2
/// DATA frames (and a trailing HEADERS frame for chunked trailers), ending the
/// stream where the body ends.
struct HTTP1BodyTranslator {
    enum Mode {
        case length(remaining: Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
        case done
    }

    private(set) var mode: Mode

    init(_ framing: BodyFraming) {
        switch framing {
        case .none: mode = .done
        case .contentLength(let length): mode = length > 0 ? .length(remaining: length) : .done
        case .chunked: mode = .chunked(ChunkedBodyDecoder())
        case .untilClose: mode = .untilClose
        }
    }

    var isDone: Bool {
        if case .done = mode { return true }
        return false
    }

    var endsAtClose: Bool {
        if case .untilClose = mode { return true }
        return false
    }

    /// Takes body bytes from `buffer` (leaving what is not decodable yet, or what
    /// follows the body) and emits the frames they make.
    mutating func consume(_ buffer: inout ByteBuffer, _ emit: (HTTP2Frame.FramePayload) -> Void) throws(HTTPParseError) {
        switch mode {
        case .done:
            return
        case .untilClose:
            guard buffer.readableBytes > 0 else { return }
            emit(.data(.init(data: .byteBuffer(buffer.readSlice(length: buffer.readableBytes)!), endStream: false)))
        case .length(let remaining):
            let take = min(remaining, buffer.readableBytes)
            guard take > 0 else { return }
            mode = take == remaining ? .done : .length(remaining: remaining - take)
            emit(.data(.init(data: .byteBuffer(buffer.readSlice(length: take)!), endStream: isDone)))
        case .chunked(var decoder):
            var ranges: [Range<Int>] = []
            var trailers: HPACKHeaders?
            let consumed = try buffer.withUnsafeReadableBytes { bytes throws(HTTPParseError) in
                try decoder.decode(bytes) { piece in
                    switch piece {
                    case .data(let range): ranges.append(range)
                    case .end(let fields):
                        var headers = HPACKHeaders()
                        headers.appendHTTP1Fields(fields, in: bytes)
                        trailers = headers
                    }
                }
            }
            mode = decoder.isDone ? .done : .chunked(decoder)
            for range in ranges where !range.isEmpty {
                let slice = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count)!
                emit(.data(.init(data: .byteBuffer(slice), endStream: false)))
            }
            buffer.moveReaderIndex(forwardBy: consumed)
            if let trailers {
                if trailers.isEmpty {
                    emit(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
                } else {
                    emit(.headers(.init(headers: trailers, endStream: true)))
                }
            }
        }
    }

    /// The connection closing ends an until-close body.
    mutating func finishAtClose(_ emit: (HTTP2Frame.FramePayload) -> Void) {
        guard endsAtClose else { return }
        mode = .done
        emit(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
    }
}
