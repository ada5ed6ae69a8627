import NIOCore
import NIOSSL
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A gRPC-shaped HTTP/2 upstream (h2c prior knowledge): echoes the request body
/// as DATA and ends with trailers `grpc-status: 0`; response headers report the
/// request's :path, :authority, te and protocol it saw. `.../notfound` gets a
/// trailers-only reply with grpc-status 5; `/pkg.Slow/...` is never answered; `/pkg.Bye/...` is followed by GOAWAY.
final class GRPCEchoStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private var request = HPACKHeaders()
    private var body: [UInt8] = []
    private var requestTrailers: HPACKHeaders?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let frame):
            if request.isEmpty { request = frame.headers } else { requestTrailers = frame.headers }
            if frame.endStream { respond(context: context) }
        case .data(let frame):
            if case .byteBuffer(let buffer) = frame.data { body += Array(buffer.readableBytesView) }
            if frame.endStream { respond(context: context) }
        default:
            break
        }
    }

    private func respond(context: ChannelHandlerContext) {
        let path = request.first(name: ":path") ?? ""
        // Never answered: for route timeouts.
        if path.hasPrefix("/pkg.Slow/") { return }
        var headers: HPACKHeaders = [":status": "200", "content-type": request.first(name: "content-type") ?? "text/plain"]
        headers.add(name: "x-path", value: path)
        headers.add(name: "x-authority", value: request.first(name: ":authority") ?? "-")
        headers.add(name: "x-te", value: request.first(name: "te") ?? "-")
        headers.add(name: "x-request-trailer", value: requestTrailers?.first(name: "x-trailer") ?? "-")
        if path.hasSuffix("/notfound") {
            headers.add(name: "grpc-status", value: "5")
            context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: headers, endStream: true))), promise: nil)
            return
        }
        context.write(wrapOutboundOut(.headers(.init(headers: headers))), promise: nil)
        if !body.isEmpty {
            context.write(wrapOutboundOut(.data(.init(data: .byteBuffer(context.channel.allocator.buffer(bytes: body))))), promise: nil)
        }
        let trailers: HPACKHeaders = ["grpc-status": "0", "grpc-message": "echoed"]
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: nil)
        // `/pkg.Bye/...`: the server drains the connection after this call.
        if path.hasPrefix("/pkg.Bye/"), let parent = context.channel.parent,
           let id = try? context.channel.syncOptions?.getOption(HTTP2StreamChannelOptions.streamID) {
            parent.writeAndFlush(HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: id, errorCode: .noError, opaqueData: nil)),
                                 promise: nil)
        }
    }
}

enum GRPCEchoUpstream {
    /// - Parameter tls: serve HTTP/2 over TLS with this context (ALPN h2).
    static func start(group: any EventLoopGroup, tls: NIOSSLContext? = nil) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: .init(), streamConfiguration: .init()
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture { try stream.pipeline.syncOperations.addHandler(GRPCEchoStreamHandler()) }
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
