import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes the `--call` requests: an HTTP/1.1 GET on a fresh connection per call
/// (`connection: close`), on the event loop of the request that caused it.
public struct DemoOutboundCaller: Sendable {
    /// Limit for one call: connect, send, and read the whole response.
    public var timeout: TimeAmount

    public init(timeout: TimeAmount = .seconds(15)) {
        self.timeout = timeout
    }

    /// Calls `url` and describes the outcome as a "calls" entry. Never fails: a call that
    /// got no complete response becomes `{"url", "error"}`.
    public func call(
        _ url: DemoCallURL,
        forwarding headers: [(name: String, value: String)],
        via: DemoListenAddress? = nil,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<JSONValue> {
        let responsePromise = eventLoop.makePromise(of: DemoCallResponse.self)
        let timeout = self.timeout
        let timeoutTask = eventLoop.scheduleTask(in: timeout) {
            responsePromise.fail(DemoCallError.timedOut(timeout))
        }
        let head = Self.requestHead(for: url, forwarding: headers)
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(DemoCallResponseHandler(promise: responsePromise))
                }
            }
            .connect(host: via?.host ?? url.host, port: via?.port ?? url.port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    responsePromise.fail(error)
                case .success(let channel):
                    responsePromise.futureResult.whenComplete { _ in channel.close(promise: nil) }
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { responsePromise.fail($0) }
                }
            }
        return responsePromise.futureResult
            .map { response in
                timeoutTask.cancel()
                return DemoResponseBuilder.callResult(
                    url: url.text, status: response.status, contentType: response.contentType, body: response.body
                )
            }
            .recover { error in
                timeoutTask.cancel()
                return DemoResponseBuilder.callError(url: url.text, message: Self.describe(error))
            }
    }

    static func requestHead(for url: DemoCallURL, forwarding headers: [(name: String, value: String)]) -> HTTPRequestHead {
        var fields = HTTPHeaders()
        fields.add(name: "host", value: url.authority)
        for (name, value) in headers { fields.add(name: name, value: value) }
        fields.add(name: "connection", value: "close")
        return HTTPRequestHead(version: .http1_1, method: .GET, uri: url.pathAndQuery, headers: fields)
    }

    /// A short reason for the "error" field.
    static func describe(_ error: any Error) -> String {
        switch error {
        case let error as DemoCallError: return error.description
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return "connect to \(error.host):\(error.port) failed: \(describe(first.error))" }
            if let dns = error.dnsAAAAError ?? error.dnsAError { return "cannot resolve \(error.host): \(dns)" }
            return "connect to \(error.host):\(error.port) failed"
        case let error as IOError where error.errnoCode == ECONNRESET: return "connection reset before a complete response"
        case let error as IOError: return error.description
        case ChannelError.connectTimeout(let amount): return "connect timed out after \(amount.nanoseconds / 1_000_000)ms"
        default: return String(describing: error)
        }
    }
}

/// What a call got back.
struct DemoCallResponse: Sendable {
    var status: Int
    var contentType: String?
    var body: [UInt8]
}

enum DemoCallError: Error, CustomStringConvertible {
    case timedOut(TimeAmount)
    case closedBeforeResponse
    case responseTooLarge(Int)

    var description: String {
        switch self {
        case .timedOut(let amount): "no complete response within \(amount.nanoseconds / 1_000_000)ms"
        case .closedBeforeResponse: "connection closed before a complete response"
        case .responseTooLarge(let limit): "response body larger than \(limit) bytes"
        }
    }
}
