import NIOCore
import NIOHTTP1
import NIOPosix

/// The control plane's HTTP port (Istio's 15014): readiness, Prometheus metrics,
/// the debug endpoints and the management API. A thin NIO server; the answers
/// come from `handler`.
public final class DebugHTTPServer: Sendable {
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
        /// Lower-case names; repeated headers joined with ", ".
        public var headers: [String: String]
        public var body: [UInt8]
    }

    public struct Response: Sendable {
        public var status: Int
        public var contentType: String
        public var body: String
        public var headers: [(String, String)]

        public init(_ status: Int, _ contentType: String, _ body: String, headers: [(String, String)] = []) {
            self.status = status
            self.contentType = contentType
            self.body = body
            self.headers = headers
        }
    }

    public typealias Handler = @Sendable (Request) async -> Response
    /// Request bodies larger than this get 413 (config objects are small).
    static let maxBody = 4 << 20

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
    private var body: [UInt8] = []
    private var tooLarge = false

    init(handler: @escaping DebugHTTPServer.Handler) {
        self.handler = handler
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            tooLarge = false
        case .body(let chunk):
            if body.count + chunk.readableBytes > DebugHTTPServer.maxBody { tooLarge = true } else { body += chunk.readableBytesView }
        case .end:
            guard let head else { return }
            self.head = nil
            let (path, query) = Self.split(head.uri)
            var headers: [String: String] = [:]
            for (name, value) in head.headers {
                let key = name.lowercased()
                headers[key] = headers[key].map { "\($0), \(value)" } ?? value
            }
            let request = DebugHTTPServer.Request(method: head.method.rawValue, path: path, query: query, headers: headers, body: body)
            body = []
            let handler = self.handler
            let keepAlive = head.isKeepAlive
            let version = head.version
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            if tooLarge {
                respond(context: context, version: version, keepAlive: false, response: .init(413, "text/plain", "request body over \(DebugHTTPServer.maxBody) bytes\n"))
                return
            }
            context.eventLoop.makeFutureWithTask {
                await handler(request)
            }.whenSuccess { response in
                let (handler, context) = loopBound.value
                handler.respond(context: context, version: version, keepAlive: keepAlive, response: response)
            }
        }
    }

    func respond(context: ChannelHandlerContext, version: HTTPVersion, keepAlive: Bool, response: DebugHTTPServer.Response) {
        var buffer = context.channel.allocator.buffer(capacity: response.body.utf8.count)
        buffer.writeString(response.body)
        var headers = HTTPHeaders([("content-type", response.contentType), ("content-length", String(buffer.readableBytes))])
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers))), promise: nil)
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
