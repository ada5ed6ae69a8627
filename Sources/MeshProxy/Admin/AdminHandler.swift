import NIOCore
import NIOPosix
import ProxyCore

/// Envoy-style admin endpoint (Istio's 15000), minimal for now: `/ready`,
/// `/listeners`, `/clusters`, `/config_dump` (a summary, not Envoy's shape yet), `/stats`,
/// `/stats/prometheus`, `/healthz/ready`, `POST /quitquitquit`. The same handler
/// serves Istio's Prometheus port (15090) with only `/stats/prometheus` and its
/// health port (15021) with only `/healthz/ready`. It parses with the proxy's own
/// HTTP/1 parser and closes after each answer.
final class AdminHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    enum Mode: Sendable {
        case admin, prometheus, health
    }

    private let state: AdminState
    private let mode: Mode
    private var buffer: ByteBuffer?
    private var head = HTTP1RequestHead()
    private let parser = HTTP1RequestParser(maxHeadBytes: 16 * 1024)

    init(state: AdminState, mode: Mode = .admin) {
        self.state = state
        self.mode = mode
    }

    static func bind(group: any EventLoopGroup, host: String, port: Int, state: AdminState, mode: Mode) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AdminHandler(state: state, mode: mode))
                }
            }
            .bind(host: host, port: port).get()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if buffer == nil { buffer = incoming } else { buffer!.writeBuffer(&incoming) }
        guard let current = buffer else { return }
        let parsed: (complete: Bool, path: String, query: String, method: String)? = current.withUnsafeReadableBytes { bytes in
            guard let complete = try? parser.parse(bytes, into: &head) else { return nil }
            guard complete else { return (false, "", "", "") }
            let path = head.path.bytes(in: bytes)
            let end = path.firstIndex(of: UInt8(ascii: "?")) ?? path.count
            let query = end < path.count ? String(decoding: path[(end + 1)...], as: UTF8.self) : ""
            return (true, String(decoding: path[0..<end], as: UTF8.self), query, String(decoding: head.method.bytes(in: bytes), as: UTF8.self))
        }
        guard let parsed else { return respond(context, status: 400, body: "bad request\n") }
        guard parsed.complete else { return }
        buffer = nil
        if mode == .health || parsed.path == "/healthz/ready" {
            guard parsed.path == "/healthz/ready" else { return respond(context, status: 404, body: "not found: \(parsed.path)\n") }
            return state.isReady ? respond(context, status: 200, body: "") : respond(context, status: 503, body: "not ready\n")
        }
        if parsed.path == "/stats/prometheus" {
            // Collected from every worker on its own loop, so answered later.
            let promise = context.eventLoop.makePromise(of: String.self)
            let metrics = state.metrics
            promise.completeWithTask { try await metrics?() ?? "" }
            promise.futureResult.assumeIsolated().whenComplete { result in
                switch result {
                case .success(let text): self.respond(context, status: 200, body: text, type: "text/plain; version=0.0.4")
                case .failure(let error): self.respond(context, status: 500, body: "\(error)\n")
                }
            }
            return
        }
        if mode == .prometheus { return respond(context, status: 404, body: "not found: \(parsed.path)\n") }
        if parsed.path == "/stats" { return stats(context, query: parsed.query) }
        if parsed.path == "/certs" { return certs(context) }
        if parsed.path == "/quitquitquit" {
            // Envoy's: POST only; answer first, then the proxy shuts down gracefully.
            guard parsed.method == "POST" else { return respond(context, status: 405, body: "This endpoint requires POST\n") }
            respond(context, status: 200, body: "OK\n")
            state.quit()
            return
        }
        if parsed.path == "/logging" {
            // Envoy's: GET lists the loggers, POST with a query changes levels.
            if parsed.query.isEmpty { return respond(context, status: 200, body: ProxyLog.listing()) }
            guard parsed.method == "POST" else { return respond(context, status: 405, body: "This endpoint requires POST\n") }
            guard let listing = ProxyLog.apply(query: parsed.query) else { return respond(context, status: 404, body: ProxyLog.usage) }
            return respond(context, status: 200, body: listing)
        }
        let (status, body) = state.answer(path: parsed.path)
        respond(context, status: status, body: body)
    }

    /// Envoy's `/stats` text (`name: value` lines), `?filter=REGEX` as Envoy.
    private func stats(_ context: ChannelHandlerContext, query: String) {
        let promise = context.eventLoop.makePromise(of: String.self)
        let counters = state.counters
        let filter = EnvoyStatsText.filter(inQuery: query[...])
        promise.completeWithTask { try EnvoyStatsText.render(try await counters?() ?? [:], filter: filter) }
        promise.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let text): self.respond(context, status: 200, body: text)
            case .failure(let error): self.respond(context, status: 400, body: "\(error)\n")
            }
        }
    }

    /// Envoy's `/certs`: the workload certificate in use (empty without an agent).
    private func certs(_ context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: String.self)
        let certificates = state.certificates
        promise.completeWithTask { await certificates?() ?? "{\"certificates\": []}\n" }
        promise.futureResult.assumeIsolated().whenComplete { result in
            if case .success(let text) = result { self.respond(context, status: 200, body: text) }
        }
    }

    private func respond(_ context: ChannelHandlerContext, status: Int, body: String, type: String? = nil) {
        var out = context.channel.allocator.buffer(capacity: body.utf8.count + 128)
        let type = type ?? (body.hasPrefix("{") ? "application/json" : "text/plain")
        out.writeString("HTTP/1.1 \(status) \(status == 200 ? "OK" : "Error")\r\ncontent-type: \(type)\r\n")
        out.writeString("content-length: \(body.utf8.count)\r\nconnection: close\r\n\r\n\(body)")
        context.writeAndFlush(wrapOutboundOut(out)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        buffer = nil
    }
}
