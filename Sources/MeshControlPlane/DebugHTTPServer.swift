import NIOCore
import NIOHTTP1
import NIOPosix

/// The control plane's HTTP port (Istio's 15014): readiness, Prometheus metrics and
/// the debug endpoints. A thin NIO server; the answers come from `handle`.
public final class DebugHTTPServer: Sendable {
    public typealias Handler = @Sendable (_ method: String, _ path: String, _ query: [String: String]) async -> (status: Int, contentType: String, body: String)

    private let channel: any Channel

    public static func start(host: String, port: Int, handler: @escaping Handler) async throws -> DebugHTTPServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(DebugRequestHandler(handler: handler))
                }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return DebugHTTPServer(channel: channel)
    }

    private init(channel: any Channel) {
        self.channel = channel
    }

    public var port: Int { channel.localAddress?.port ?? 0 }

    public func close() async {
        try? await channel.close()
    }
}

final class DebugRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: DebugHTTPServer.Handler
    private var head: HTTPRequestHead?

    init(handler: @escaping DebugHTTPServer.Handler) {
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let (path, query) = Self.split(head.uri)
            let handler = self.handler
            let keepAlive = head.isKeepAlive
            let version = head.version
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.makeFutureWithTask {
                await handler(head.method.rawValue, path, query)
            }.whenSuccess { status, type, body in
                let (handler, context) = loopBound.value
                handler.respond(context: context, version: version, keepAlive: keepAlive, status: status, contentType: type, body: body)
            }
        }
    }

    func respond(context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool, status: Int, contentType: String, body: String) {
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        var headers = HTTPHeaders([("content-type", contentType), ("content-length", String(buffer.readableBytes))])
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            if !keepAlive { context.close(promise: nil) }
        }
    }

    static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncodingSimple() }
            query[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return (String(uri[..<mark]), query)
    }
}

extension String {
    /// `%7E` -> `~`, `+` -> space (query strings only).
    func removingPercentEncodingSimple() -> String {
        var bytes: [UInt8] = []
        var iterator = Array(utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
