import MeshConfig
import MeshCore
import MeshSnapshot
import SwiftProtobuf

/// Istio's tcp_proxy `idle_timeout` on outbound and gateway TCP / TLS-passthrough
/// chains (`buildOutboundNetworkFilters`): the `connectionPool.tcp.idleTimeout` of
/// the top-level traffic policy of the DestinationRule for the service the route's
/// first destination names. Without one Istio leaves it unset (Envoy's 1 h); the
/// passthrough and inbound chains never carry it.
extension RouteContext {
    func tcpIdleTimeout(for destination: Destination?, from namespace: String) -> Google_Protobuf_Duration? {
        guard let host = destination?.host, let service = snapshot.registry.resolve(host, from: namespace) else { return nil }
        return Self.tcpIdleTimeout(snapshot: snapshot, hostname: service.hostname, proxyNamespace: proxy.namespace)
    }

    static func tcpIdleTimeout(snapshot: MeshSnapshot, hostname: String, proxyNamespace: String) -> Google_Protobuf_Duration? {
        let rule = snapshot.destinationRule(for: hostname, from: proxyNamespace)
        guard let idle = rule?.spec.trafficPolicy?.connectionPool?.tcp?.idleTimeout,
              let nanos = try? GoDuration.parse(idle) else { return nil }
        return Proto.duration(nanoseconds: nanos)
    }
}
