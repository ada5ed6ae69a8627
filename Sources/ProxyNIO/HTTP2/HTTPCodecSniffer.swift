import NIOCore
import NIOHTTP2
import ProxyCore

/// The first handler of an HTTP connection whose connection manager has codec
/// AUTO or HTTP2: looks at the first bytes and installs the HTTP/2 pipeline when
/// they are the HTTP/2 connection preface (prior knowledge, h2c), else the
/// HTTP/1.1 handler (AUTO only); then replays the bytes and removes itself.
/// It costs one handler per connection, nothing per request.
final class HTTPCodecSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// RFC 9113 §3.4.
    static let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    private let worker: WorkerRuntime
    private let listener: ListenerRuntime
    private var held: ByteBuffer?
    private let connection: ConnectionFacts

    init(worker: WorkerRuntime, listener: ListenerRuntime, connection: ConnectionFacts = ConnectionFacts()) {
        self.worker = worker
        self.listener = listener
        self.connection = connection
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        if held == nil { held = buffer } else { held!.writeBuffer(&buffer) }
        guard let verdict = Self.sniff(held!.readableBytesView, http2Only: listener.http.codec == .http2) else { return }
        do {
            if verdict {
                try HTTP2DownstreamPipeline.configure(context.pipeline.syncOperations, channel: context.channel,
                                                      worker: worker, listener: listener, connection: connection)
            } else {
                try context.pipeline.syncOperations.addHandler(DownstreamHTTP1Handler(worker: worker, listener: listener, connection: connection))
            }
        } catch {
            context.close(promise: nil)
            return
        }
        let bytes = held!
        held = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Held back until the protocol is known; the replay carries its own.
    }

    /// true: HTTP/2, false: HTTP/1.1, nil: not known yet (a prefix of the preface).
    /// HTTP2-only listeners take everything as HTTP/2: a bad preface is the codec's
    /// connection error, as in Envoy.
    static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes, http2Only: Bool) -> Bool? {
        if http2Only { return true }
        var index = 0
        for byte in bytes {
            guard index < preface.count else { break }
            if byte != preface[index] { return false }
            index += 1
        }
        return index == preface.count ? true : nil
    }
}

extension ListenerRuntime {
    /// The handler that serves a new connection of this HTTP chain, by codec.
    func makeConnectionHandler(worker: WorkerRuntime, connection: ConnectionFacts = ConnectionFacts()) -> any ChannelHandler {
        switch http.codec {
        case .http1: return DownstreamHTTP1Handler(worker: worker, listener: self, connection: connection)
        case .auto, .http2: return HTTPCodecSniffer(worker: worker, listener: self, connection: connection)
        }
    }

    /// The handlers for a connection whose TLS handshake negotiated `protocol` by
    /// ALPN: h2 and http/1.1 go straight to their codec (the codec type allowing),
    /// anything else is sniffed as on plain text.
    func installAfterHandshake(_ pipeline: ChannelPipeline.SynchronousOperations, channel: any Channel, worker: WorkerRuntime,
                               connection: ConnectionFacts) throws {
        switch (connection.negotiatedProtocol, http.codec) {
        case ("h2", .auto), ("h2", .http2):
            try HTTP2DownstreamPipeline.configure(pipeline, channel: channel, worker: worker, listener: self, connection: connection)
        case ("http/1.1", .auto), ("http/1.1", .http1):
            try pipeline.addHandler(DownstreamHTTP1Handler(worker: worker, listener: self, connection: connection))
        default:
            try pipeline.addHandler(makeConnectionHandler(worker: worker, connection: connection))
        }
    }
}
