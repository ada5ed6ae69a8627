import MeshConfig
import MeshCore
import MeshSnapshot
import SwiftProtobuf

/// The tcp_proxy timeouts Istio's `buildOutboundNetworkFilters` sets on outbound and
/// gateway TCP / TLS-passthrough chains: `idle_timeout` from
/// `connectionPool.tcp.idleTimeout` and `max_downstream_connection_duration` from
/// `connectionPool.tcp.maxConnectionDuration`, of the top-level traffic policy of
/// the DestinationRule for the service the route's first destination names.
/// Without them Istio leaves both unset (Envoy: 1 h idle, no maximum); the
/// passthrough and inbound chains never carry them.
struct TCPProxyTimeouts {
    var idle: Google_Protobuf_Duration?
    var maxConnectionDuration: Google_Protobuf_Duration?
}

extension RouteContext {
    func tcpTimeouts(for destination: Destination?, from namespace: String) -> TCPProxyTimeouts {
        guard let host = destination?.host, let service = snapshot.registry.resolve(host, from: namespace) else { return TCPProxyTimeouts() }
        return Self.tcpTimeouts(snapshot: snapshot, hostname: service.hostname, proxyNamespace: proxy.namespace)
    }

    static func tcpTimeouts(snapshot: MeshSnapshot, hostname: String, proxyNamespace: String) -> TCPProxyTimeouts {
        let tcp = snapshot.destinationRule(for: hostname, from: proxyNamespace)?.spec.trafficPolicy?.connectionPool?.tcp
        func duration(_ text: String?) -> Google_Protobuf_Duration? {
            guard let text, let nanos = try? GoDuration.parse(text) else { return nil }
            return Proto.duration(nanoseconds: nanos)
        }
        return TCPProxyTimeouts(idle: duration(tcp?.idleTimeout), maxConnectionDuration: duration(tcp?.maxConnectionDuration))
    }
}
