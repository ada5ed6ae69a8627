import ProxyCore

/// A cluster's transport sockets resolved once per config apply: the default one
/// and one per transport_socket_matches entry, so endpoints only pick.
struct UpstreamSockets {
    private let cluster: ClusterConfig
    private let fallback: UpstreamTLSRuntime?
    private let matches: [UpstreamTLSRuntime?]

    init(_ cluster: ClusterConfig, resolver: TLSMaterialResolver, cache: TLSContextCache) {
        func resolve(_ socket: TransportSocketConfig) -> UpstreamTLSRuntime? {
            guard case .tls(let tls) = socket else { return nil }
            return resolver.upstream(tls, cache: cache)
        }
        self.cluster = cluster
        fallback = resolve(cluster.transportSocket)
        matches = cluster.transportSocketMatches.map { resolve($0.socket) }
    }

    func runtime(forEndpointMetadata metadata: [String: String]) -> UpstreamTLSRuntime? {
        TransportSocketMatch.firstIndex(cluster.transportSocketMatches, metadata: metadata).map { matches[$0] } ?? fallback
    }
}
