import NIOCore

/// One OTLP/HTTP export on its own connection: writes the request when the
/// connection is up, reports whether the collector answered 2xx, then closes.
/// (A batch a second at most: pooling the connection is not worth its state.)
final class OTLPExportHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: ByteBuffer
    private let done: EventLoopPromise<Bool>
    private var received: [UInt8] = []
    private var answered = false

    init(request: ByteBuffer, done: EventLoopPromise<Bool>) {
        self.request = request
        self.done = done
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received += buffer.readBytes(length: buffer.readableBytes) ?? []
        // "HTTP/1.1 200" is all that is needed.
        guard received.count >= 12 else { return }
        let digits = received[9..<12]
        let ok = received.starts(with: Array("HTTP/1.".utf8)) && digits.first == UInt8(ascii: "2")
        finish(ok)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(false)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(false)
        context.close(promise: nil)
    }

    private func finish(_ ok: Bool) {
        guard !answered else { return }
        answered = true
        done.succeed(ok)
    }
}
