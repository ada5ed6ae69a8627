import NIOCore

/// First handler on every accepted connection: looks at the first bytes and sets up
/// HTTP/2 when they are the HTTP/2 client connection preface (prior knowledge, h2c),
/// HTTP/1.1 otherwise; then hands the bytes read so far on and removes itself.
final class DemoProtocolDetector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// RFC 9113 section 3.4.
    static let http2Preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Detected { case http1, http2 }

    private let configure: (Detected, ChannelPipeline.SynchronousOperations) throws -> Void
    private var buffered: ByteBuffer?
    private var done = false

    /// `configure` adds the handlers for the detected protocol (after this one).
    init(configure: @escaping (Detected, ChannelPipeline.SynchronousOperations) throws -> Void) {
        self.configure = configure
    }

    /// `.http2` / `.http1` once the bytes decide, nil while they are a strict prefix
    /// of the preface.
    static func detect(_ bytes: some Collection<UInt8>) -> Detected? {
        let prefix = bytes.prefix(http2Preface.count)
        guard prefix.elementsEqual(http2Preface.prefix(prefix.count)) else { return .http1 }
        return prefix.count == http2Preface.count ? .http2 : nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if done {
            context.fireChannelRead(data)
            return
        }
        if buffered == nil {
            buffered = incoming
        } else {
            buffered!.writeBuffer(&incoming)
        }
        guard let protocolFound = Self.detect(buffered!.readableBytesView) else { return }
        done = true
        do {
            try configure(protocolFound, context.pipeline.syncOperations)
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        let bytes = buffered!
        buffered = nil
        context.fireChannelRead(wrapInboundOut(bytes))
        context.fireChannelReadComplete()
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if done { context.fireChannelReadComplete() }
    }
}
