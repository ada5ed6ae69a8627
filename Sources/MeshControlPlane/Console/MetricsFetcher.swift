import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 GET for scraping proxies' `/stats/prometheus`: one connection
/// per request, closed after it, bounded by a timeout so a hung proxy costs the
/// console one slow answer, not a stuck page.
enum MetricsFetcher {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `target` is `host:port` (IPv6 in brackets) as `/sd/prometheus` lists it.
    static func get(_ target: String, path: String, timeout: TimeAmount = .seconds(2)) async throws -> String {
        guard let colon = target.lastIndex(of: ":"), let port = Int(target[target.index(after: colon)...]) else {
            throw Failure(description: "bad target \(target)")
        }
        let host = String(target[..<colon]).trimmingCharacters(in: ["[", "]"])
        // One loop for the channel, its promise and the timeout: promises complete on their loop.
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let promise = loop.makePromise(of: String.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap {
                    channel.pipeline.addHandler(BodyCollector(promise: promise))
                }
            }
        let channel = try await bootstrap.connect(host: host, port: port).get()
        channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(description: "\(target): no answer within \(timeout.nanoseconds / 1_000_000) ms"))
            channel.close(promise: nil)
        }
        var headers = HTTPHeaders([("host", target), ("connection", "close")])
        headers.add(name: "accept", value: "text/plain")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }

    final class BodyCollector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart

        let promise: EventLoopPromise<String>
        private var status = 0
        private var body = ""

        init(promise: EventLoopPromise<String>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body(let buffer): body += String(buffer: buffer)
            case .end:
                if status == 200 { promise.succeed(body) } else { promise.fail(Failure(description: "status \(status)")) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(Failure(description: "connection closed before the answer ended"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
