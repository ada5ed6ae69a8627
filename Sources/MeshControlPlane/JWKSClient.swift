import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Fetches a JWKS document over HTTP(S) for a RequestAuthentication `jwksUri`, as
/// istiod does so proxies get the keys inline. One GET, no redirects, a deadline;
/// the answer must be 200 with a JSON object holding `keys`.
enum JWKSClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func fetch(_ uri: String, timeout: TimeAmount = .seconds(5)) async -> Result<String, Failure> {
        guard let target = Target(uri) else { return .failure(Failure(description: "not an http(s) URL")) }
        do {
            let body = try await get(target, timeout: timeout)
            guard body.range(of: "\"keys\"") != nil, body.first(where: { !$0.isWhitespace }) == "{" else {
                return .failure(Failure(description: "the answer is not a JWKS document (no \"keys\")"))
            }
            return .success(body)
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(description: "\(error)"))
        }
    }

    struct Target {
        var secure: Bool
        var host: String
        var port: Int
        var path: String

        init?(_ uri: String) {
            let secure: Bool
            let rest: Substring
            if uri.hasPrefix("https://") { secure = true; rest = uri.dropFirst(8) } else if uri.hasPrefix("http://") { secure = false; rest = uri.dropFirst(7) } else { return nil }
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            var host = String(authority)
            var port = secure ? 443 : 80
            if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]"), let number = Int(authority[authority.index(after: colon)...]) {
                host = String(authority[..<colon])
                port = number
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty else { return nil }
            self.secure = secure
            self.host = host
            self.port = port
        }
    }

    static func get(_ target: Target, timeout: TimeAmount) async throws -> String {
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: String.self)
        let tls: NIOSSLContext? = target.secure ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: target.host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: target.host, port: target.port).get()
        } catch {
            // The promise is completed on every path (NIO traps on a leaked one).
            promise.fail(error)
            throw Failure(description: "cannot connect to \(target.host):\(target.port): \(error)")
        }
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(description: "no answer within \(timeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.path)
        let defaultPort = target.secure ? 443 : 80
        head.headers.add(name: "Host", value: target.port == defaultPort ? target.host : "\(target.host):\(target.port)")
        head.headers.add(name: "Accept", value: "application/json")
        head.headers.add(name: "Connection", value: "close")
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }

    /// Collects one response; fails on a status other than 200.
    final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<String>
        var status: HTTPResponseStatus?
        var body = ByteBuffer()

        init(promise: EventLoopPromise<String>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = head.status
            case .body(var part): body.writeBuffer(&part)
            case .end:
                if status == .ok {
                    promise.succeed(String(buffer: body))
                } else {
                    promise.fail(Failure(description: "HTTP \(status?.code ?? 0)"))
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            promise.fail(error)
            context.close(promise: nil)
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(Failure(description: "connection closed before the answer was complete"))
        }
    }
}
