import NIOCore
import ProxyCore

/// A cluster as one worker uses it: routable endpoints and a round-robin cursor.
/// Rebuilt when its config or endpoints change; pools of endpoints that stay are
/// carried over. Event-loop confined.
final class ClusterRuntime {
    let config: ClusterConfig
    let endpoints: [EndpointRuntime]
    private var cursor = 0

    init(config: ClusterConfig, endpoints: [EndpointRuntime]) {
        self.config = config
        self.endpoints = endpoints
    }

    /// Round robin over routable endpoints; nil when there are none (503 UH).
    @inline(__always) func pick() -> EndpointRuntime? {
        let count = endpoints.count
        guard count > 0 else { return nil }
        if count == 1 { return endpoints[0] }
        cursor = cursor &+ 1
        return endpoints[cursor % count]
    }
}
