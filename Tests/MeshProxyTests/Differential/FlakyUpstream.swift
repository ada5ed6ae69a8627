import Foundation
import NIOCore
import NIOPosix
import ProxyCore

/// An upstream that refuses the first attempt of each request with 503 and serves
/// the next with 200 and the body it received ("got N bytes: ..."), so a client sees
/// whether the retried attempt carried the whole body. Attempts are told apart by
/// the request's `x-key` header (a client sets one per request and data plane).
final class FlakyUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var keys: Set<String> = []
        /// True the first time `key` is seen.
        func first(_ key: String) -> Bool { lock.withLock { keys.insert(key).inserted } }
    }

    private let seen: Seen
    private var buffer: ByteBuffer?
    private var head = HTTP1RequestHead()

    init(seen: Seen) { self.seen = seen }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        while var current = buffer, current.readableBytes > 0 {
            let parsed: (key: String, body: String, length: Int)? = current.withUnsafeReadableBytes { bytes in
                guard (try? HTTP1RequestParser().parse(bytes, into: &head)) == true else { return nil }
                var length = 0
                if case .contentLength(let count) = head.framing { length = count }
                guard bytes.count >= head.length + length else { return nil }
                let key = head.fields.first { String(decoding: $0.name.bytes(in: bytes), as: UTF8.self).lowercased() == "x-key" }
                    .map { String(decoding: $0.value.bytes(in: bytes), as: UTF8.self) } ?? ""
                let body = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[head.length..<(head.length + length)]), as: UTF8.self)
                return (key, body, head.length + length)
            }
            guard let parsed else { return }
            current.moveReaderIndex(forwardBy: parsed.length)
            buffer = current.readableBytes > 0 ? current : nil
            let response: String
            if seen.first(parsed.key) {
                response = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy"
            } else {
                let text = "got \(parsed.body.utf8.count) bytes: \(parsed.body.prefix(16))"
                response = "HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)"
            }
            context.write(wrapOutboundOut(ByteBuffer(string: response)), promise: nil)
        }
        context.flush()
    }
}

enum FlakyUpstream {
    static func start(group: any EventLoopGroup) async throws -> any Channel {
        let seen = FlakyUpstreamHandler.Seen()
        return try await LoopbackServer.start(group: group) { FlakyUpstreamHandler(seen: seen) }
    }
}
