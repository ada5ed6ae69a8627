import NIOCore

/// Turns a request into a response the way the options say: health answers at once;
/// everything else waits `--delay`, then either gets the injected failure (chosen at
/// random with `--fail-ratio`, no calls made) or makes the `--call`s in order and
/// answers with the echo document. Shared by the HTTP/1 and HTTP/2 handlers.
public struct DemoRequestProcessor: Sendable {
    public var options: DemoAppOptions
    public var builder: DemoResponseBuilder
    public var caller: DemoOutboundCaller

    public init(options: DemoAppOptions, instance: String) {
        self.options = options
        self.builder = DemoResponseBuilder(service: options.service, version: options.version, instance: instance)
        self.caller = DemoOutboundCaller(timeout: .nanoseconds(options.callTimeoutNanoseconds))
    }

    public func respond(to request: DemoRequest, on eventLoop: any EventLoop) -> EventLoopFuture<DemoResponse> {
        let status: Int
        switch DemoResponseBuilder.route(for: request) {
        case .health:
            return eventLoop.makeSucceededFuture(builder.healthResponse(for: request))
        case .badRequest(let message):
            return eventLoop.makeSucceededFuture(builder.badRequestResponse(for: request, message: message))
        case .echo(let code):
            status = code
        }
        let fail = DemoResponseBuilder.shouldFail(roll: Double.random(in: 0..<1), ratio: options.failRatio)
        let delayed: EventLoopFuture<Void> =
            options.delayNanoseconds > 0
            ? eventLoop.scheduleTask(in: .nanoseconds(options.delayNanoseconds)) {}.futureResult
            : eventLoop.makeSucceededVoidFuture()
        let builder = self.builder
        let failStatus = options.failStatus
        return delayed.flatMap { () -> EventLoopFuture<DemoResponse> in
            if fail {
                return eventLoop.makeSucceededFuture(builder.failureResponse(for: request, status: failStatus))
            }
            return self.makeCalls(for: request, on: eventLoop).map { calls in
                builder.echoResponse(for: request, calls: calls, status: status)
            }
        }
    }

    /// Each `--call` in order, one after the other.
    func makeCalls(for request: DemoRequest, on eventLoop: any EventLoop) -> EventLoopFuture<[JSONValue]> {
        let forwarded = DemoResponseBuilder.forwardedHeaders(from: request)
        var results = eventLoop.makeSucceededFuture([JSONValue]())
        for url in options.calls {
            let caller = self.caller
            results = results.flatMap { done in
                caller.call(url, forwarding: forwarded, via: options.callVia, on: eventLoop).map { done + [$0] }
            }
        }
        return results
    }
}
