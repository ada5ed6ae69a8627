import MeshConfig
import MeshRegistry
import MeshSnapshot

/// What translating one VirtualService route needs to know: who asks (for
/// sourceLabels / gateways matches), which port the listener serves, and how to
/// name clusters for destinations.
struct RouteContext {
    let snapshot: MeshSnapshot
    let proxy: ProxyNode
    /// `mesh`, or the gateways (`ns/name`) the route is generated for.
    let gatewayNames: Set<String>
    let listenerPort: Int

    /// `outbound|PORT|SUBSET|FQDN` for a VirtualService destination written in `namespace`.
    func clusterName(for destination: Destination, from namespace: String) -> String {
        let target = resolve(destination, from: namespace)
        return ClusterName.outbound(port: target.port, subset: destination.subset ?? "", host: target.hostname)
    }

    /// The service hostname and port a destination reaches: its own port, the
    /// service's only port, the listener's port, or the service's first port.
    func resolve(_ destination: Destination, from namespace: String) -> (hostname: String, port: Int) {
        let host = destination.host ?? ""
        let service = snapshot.registry.resolve(host, from: namespace)
        let hostname = service?.hostname ?? snapshot.fqdn(host, in: namespace)
        let port = destination.port?.number ?? (service?.ports.count == 1 ? service!.ports[0].number : nil)
            ?? (service?.port(number: listenerPort) != nil ? listenerPort : service?.ports.first?.number ?? listenerPort)
        return (hostname, port)
    }

    /// True when a match's source conditions (labels, namespace, gateways) select this proxy.
    func selects(sourceLabels: [String: String]?, sourceNamespace: String?, gateways: [String]?, vsNamespace: String) -> Bool {
        if let labels = sourceLabels, !proxy.matches(labels) { return false }
        if let namespace = sourceNamespace, namespace != proxy.namespace { return false }
        if let gateways, !gateways.isEmpty {
            let qualified = Set(gateways.map { snapshot.qualifyGateway($0, from: vsNamespace) })
            if qualified.isDisjoint(with: gatewayNames) { return false }
        }
        return true
    }
}
