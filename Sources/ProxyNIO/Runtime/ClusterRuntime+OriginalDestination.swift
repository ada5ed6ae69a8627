import NIOCore
import ProxyCore

/// Envoy's ORIGINAL_DST cluster: the upstream is the downstream connection's
/// original destination (restored from the redirect by the capturing listener).
/// Hosts are made on first use and kept for reuse of their connections, like
/// Envoy's per-address hosts; the table is bounded.
extension ClusterRuntime {
    static let maxOriginalDestinations = 1024

    var isOriginalDestination: Bool { config.discovery == .originalDestination }

    func originalDestination(_ facts: ConnectionFacts) -> EndpointRuntime? {
        guard facts.redirected, let address = facts.destinationAddress, facts.destinationPort > 0 else { return nil }
        let label = "\(address):\(facts.destinationPort)"
        if let known = originalDestinations[label] { return known }
        guard let socket = try? SocketAddress(ipAddress: "\(address)", port: facts.destinationPort) else { return nil }
        if originalDestinations.count >= Self.maxOriginalDestinations {
            for endpoint in originalDestinations.values { endpoint.closeIdle() }
            originalDestinations.removeAll()
        }
        let endpoint = EndpointRuntime(address: socket, label: label, resources: resources)
        // Not in the balancer's list: index lookups (outlier detection, retries) find nothing.
        endpoint.index = Int.max
        originalDestinations[label] = endpoint
        return endpoint
    }
}
