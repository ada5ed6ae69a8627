import Foundation
import NIOCore
import NIOEmbedded
import ProxyCore
@testable import ProxyNIO

/// A downstream connection through the proxy on an EmbeddedEventLoop, with
/// upstream connections that are EmbeddedChannels the test plays the server of.
final class EmbeddedProxy {
    let loop = EmbeddedEventLoop()
    let worker: WorkerRuntime
    let downstream: EmbeddedChannel
    private(set) var upstreams: [EmbeddedChannel] = []
    /// When false, connecting fails (connection refused).
    var upstreamReachable = true

    init(config: ProxyConfig = EmbeddedProxy.config(), listener: String = "http", identity: TelemetryIdentity = .anonymous) throws {
        worker = WorkerRuntime(eventLoop: loop, config: config, identity: identity)
        downstream = EmbeddedChannel(loop: loop)
        worker.connector = { [unowned self] endpoint, _ in
            guard self.upstreamReachable else {
                return self.loop.makeFailedFuture(ChannelError.connectTimeout(.seconds(1)))
            }
            let channel = EmbeddedChannel(loop: self.loop)
            try! channel.pipeline.syncOperations.addHandler(UpstreamHTTP1Handler())
            _ = channel.connect(to: endpoint.address)
            self.upstreams.append(channel)
            return self.loop.makeSucceededFuture(channel)
        }
        try downstream.pipeline.syncOperations.addHandler(DownstreamHTTP1Handler(worker: worker, listener: worker.listener(named: listener)!))
        _ = downstream.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 40000))
    }

    /// One listener `http` routing everything to cluster `backend` (127.0.0.1:8080),
    /// plus the given routes before the catch-all.
    static func config(routes: [RouteEntry] = [], domains: [String] = ["*"], generateRequestID: Bool = false, timeoutNanos: Int64 = 0,
                       acceptHTTP10: Bool = false, suppressEnvoyHeaders: Bool = false,
                       server: HTTPConnectionConfig.ServerHeaderTransformation = .overwrite,
                       forwardClientCert: HTTPConnectionConfig.ForwardClientCert = .sanitize,
                       endpoints: [EndpointSet.Endpoint] = [EndpointSet.Endpoint(host: "127.0.0.1", port: 8080)]) -> ProxyConfig {
        let catchAll = RouteEntry(name: "default", match: RouteMatchRule(path: PathMatch(.prefix(Array("/".utf8)))),
                                  action: .forward(ForwardAction(target: .cluster("backend"), timeoutNanos: timeoutNanos)))
        let table = try! RouteTable(name: "r", virtualHosts: [VirtualHostConfig(name: "vh", domains: domains, routes: routes + [catchAll])])
        var http = HTTPConnectionConfig(statPrefix: "http", routes: .inline(table), generateRequestID: generateRequestID,
                                        suppressEnvoyHeaders: suppressEnvoyHeaders, acceptHTTP10: acceptHTTP10)
        http.serverHeaderTransformation = server
        http.forwardClientCert = forwardClientCert
        return ProxyConfig(
            listeners: [ListenerConfig(name: "http", host: "127.0.0.1", port: 0, chain: .http(http))],
            clusters: ["backend": ClusterConfig(name: "backend", discovery: .staticEndpoints)],
            endpoints: ["backend": EndpointSet(clusterName: "backend", groups: [EndpointSet.Group(endpoints: endpoints)])])
    }

    func send(_ text: String) throws {
        try downstream.writeInbound(ByteBuffer(string: text))
    }

    /// Everything the proxy wrote to the client so far, without the lines Envoy's
    /// connection manager and router put on every response (`date`, `server:
    /// envoy`, `x-envoy-upstream-service-time`; ResponseStampTests checks them):
    /// a stripped date must still be a well-formed one.
    func received() throws -> String {
        Self.unstamped(try downstream.outboundText())
    }

    /// Everything the proxy wrote to the client so far, as written.
    func receivedWithStamps() throws -> String {
        try downstream.outboundText()
    }

    static func unstamped(_ text: String) -> String {
        let lines = text.components(separatedBy: "\r\n").filter { line in
            if line.hasPrefix("date: ") {
                precondition(line.utf8.count == 6 + HTTPDate.length && line.hasSuffix(" GMT"), "malformed \(line)")
                return false
            }
            return line != "server: envoy" && !line.hasPrefix("x-envoy-upstream-service-time: ")
        }
        return lines.joined(separator: "\r\n")
    }

    /// Everything the proxy wrote to upstream `index` so far.
    func upstreamReceived(_ index: Int = 0) throws -> String {
        try upstreams[index].outboundText()
    }

    func respond(_ text: String, upstream index: Int = 0) throws {
        try upstreams[index].writeInbound(ByteBuffer(string: text))
    }
}

extension EmbeddedChannel {
    /// Everything written to this channel so far, as text.
    func outboundText() throws -> String {
        var text = ""
        while let buffer = try readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }
}
