import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// What one HTTP/2 stream received: headers, body, trailers, or a reset.
struct HTTP2TestResponse: Sendable {
    var headers = HPACKHeaders()
    var body: [UInt8] = []
    var trailers: HPACKHeaders?
    var reset: HTTP2ErrorCode?

    var status: Int? { headers.first(name: ":status").flatMap { Int($0) } }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// Collects one stream's response frames.
final class HTTP2ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload

    private var response = HTTP2TestResponse()
    private let promise: EventLoopPromise<HTTP2TestResponse>
    private var sawHeaders = false

    init(promise: EventLoopPromise<HTTP2TestResponse>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            if sawHeaders {
                response.trailers = frame.headers
            } else if let status = frame.headers.first(name: ":status").flatMap({ Int($0) }), status >= 200 {
                sawHeaders = true
                response.headers = frame.headers
            }
            if frame.endStream { promise.succeed(response) }
        case .data(let frame):
            if case .byteBuffer(let buffer) = frame.data { response.body += Array(buffer.readableBytesView) }
            if frame.endStream { promise.succeed(response) }
        case .rstStream(let code):
            response.reset = code
            promise.succeed(response)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if response.reset == nil { response.reset = .cancel }
        promise.succeed(response)
    }
}

/// A prior-knowledge (h2c) HTTP/2 client for loopback tests.
final class HTTP2TestClient: Sendable {
    let channel: any Channel
    private let multiplexer: NIOLoopBound<NIOHTTP2Handler.StreamMultiplexer>

    static func connect(port: Int, group: any EventLoopGroup, validateHeaders: Bool = true) async throws -> HTTP2TestClient {
        let channel = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port).get()
        let multiplexer = try await channel.eventLoop.submit {
            var connection = NIOHTTP2Handler.ConnectionConfiguration()
            connection.headerBlockValidation = validateHeaders ? .enabled : .disabled
            return NIOLoopBound(try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                mode: .client, connectionConfiguration: connection, streamConfiguration: .init()) { $0.close() },
                eventLoop: channel.eventLoop)
        }.get()
        return HTTP2TestClient(channel: channel, multiplexer: multiplexer)
    }

    private init(channel: any Channel, multiplexer: NIOLoopBound<NIOHTTP2Handler.StreamMultiplexer>) {
        self.channel = channel
        self.multiplexer = multiplexer
    }

    /// Sends one request (headers as given, pseudo-headers first) and waits for its response.
    func request(_ fields: [(String, String)], body: [UInt8]? = nil, trailers: [(String, String)]? = nil) async throws -> HTTP2TestResponse {
        let loop = channel.eventLoop
        let promise = loop.makePromise(of: HTTP2TestResponse.self)
        // A stream that never starts (the connection went first) must not hang the test.
        loop.scheduleTask(in: .seconds(5)) { promise.fail(ChannelError.ioOnClosedChannel) }
        let multiplexer = self.multiplexer
        let headers = HPACKHeaders(fields)
        let trailerBlock = trailers.map { HPACKHeaders($0) }
        try await loop.submit {
            multiplexer.value.createStreamChannel(promise: nil) { stream in
                stream.eventLoop.makeCompletedFuture {
                    try stream.pipeline.syncOperations.addHandler(HTTP2ResponseCollector(promise: promise))
                    let onlyHeaders = body == nil && trailerBlock == nil
                    stream.write(HTTP2Frame.FramePayload.headers(.init(headers: headers, endStream: onlyHeaders)), promise: nil)
                    if let body {
                        let data = stream.allocator.buffer(bytes: body)
                        stream.write(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(data), endStream: trailerBlock == nil)), promise: nil)
                    }
                    if let trailerBlock {
                        stream.write(HTTP2Frame.FramePayload.headers(.init(headers: trailerBlock, endStream: true)), promise: nil)
                    }
                    stream.flush()
                }
            }
        }.get()
        return try await promise.futureResult.get()
    }

    func close() async throws {
        try await channel.close()
    }

    static func get(_ path: String, authority: String = "svc", extra: [(String, String)] = []) -> [(String, String)] {
        [(":method", "GET"), (":scheme", "http"), (":authority", authority), (":path", path)] + extra
    }
}
