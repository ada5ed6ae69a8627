import NIOCore
import NIOPosix

/// A raw TCP upstream that reads until the client's FIN, then answers with what
/// it received ("received N bytes: ...") and closes: a reply reaches the client
/// only if the proxy passed the FIN on and kept the other direction open.
final class HalfCloseUpstreamHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var received = ""
    private var count = 0

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        count += buffer.readableBytes
        received += String(buffer: buffer)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        let reply = "received \(count) bytes: \(received)"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

enum HalfCloseUpstream {
    static func start(group: any EventLoopGroup) async throws -> any Channel {
        try await LoopbackServer.start(group: group, allowHalfClosure: true) { HalfCloseUpstreamHandler() }
    }

    /// One listener whose tcp_proxy has a 1 s idle timeout (or the given
    /// `max_downstream_connection_duration` and a 10 s idle timeout), to that upstream.
    static func bootstrap(listenPort: Int, upstreamPort: Int, maxDuration: String? = nil) -> String {
        let timeouts = maxDuration.map { #""idle_timeout": "10s", "max_downstream_connection_duration": "\#($0)""# } ?? #""idle_timeout": "1s""#
        return """
        {
          "static_resources": {
            "listeners": [{
              "name": "tcp",
              "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(listenPort)}},
              "filter_chains": [{"filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                "stat_prefix": "tcp", "cluster": "backend", \(timeouts)}}]}]
            }],
            "clusters": [{"name": "backend", "type": "STATIC", "connect_timeout": "1s", "load_assignment": {"cluster_name": "backend",
              "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}}]
          }
        }
        """
    }
}
