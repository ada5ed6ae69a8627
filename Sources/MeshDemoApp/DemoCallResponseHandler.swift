import NIOCore
import NIOHTTP1

/// Collects one HTTP/1.1 response for `DemoOutboundCaller` and completes its promise.
final class DemoCallResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// Bodies past this size are refused rather than buffered.
    static let maximumBodySize = 8 << 20

    private let promise: EventLoopPromise<DemoCallResponse>
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(promise: EventLoopPromise<DemoCallResponse>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body(let buffer):
            guard body.count + buffer.readableBytes <= Self.maximumBodySize else {
                promise.fail(DemoCallError.responseTooLarge(Self.maximumBodySize))
                context.close(promise: nil)
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            if head.status.code < 200 {
                // An interim (1xx) answer: the real one follows.
                self.head = nil
                body = []
                return
            }
            promise.succeed(DemoCallResponse(status: Int(head.status.code), contentType: head.headers.first(name: "content-type"), body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(DemoCallError.closedBeforeResponse)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
