/// A compiled RouteConfiguration: virtual hosts indexed by domain, each with its
/// routes in order. Immutable; replaced whole when RDS changes.
public struct RouteTable: Sendable {
    /// The route a request takes, with its virtual host (for host-level headers).
    public struct Selection {
        public let virtualHost: VirtualHostConfig
        public let route: RouteEntry
    }

    public let name: String
    public let virtualHosts: [VirtualHostConfig]
    /// Response headers the configuration adds to every response, and so on.
    public let requestHeaders: HeaderMutation
    public let responseHeaders: HeaderMutation
    private let domains: DomainIndex

    public init(name: String, virtualHosts: [VirtualHostConfig], requestHeaders: HeaderMutation = .none,
                responseHeaders: HeaderMutation = .none) throws {
        self.name = name
        self.virtualHosts = virtualHosts
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.domains = try DomainIndex(domainsByHost: virtualHosts.map(\.domains))
    }

    public func virtualHost(for authority: UnsafeRawBufferPointer) -> VirtualHostConfig? {
        domains.lookup(authority).map { virtualHosts[$0] }
    }

    /// The first route of the selected virtual host that matches, or nil (404 NR).
    public func select(_ request: RouteRequest) -> Selection? {
        guard let host = virtualHost(for: request.authorityBytes) else { return nil }
        for route in host.routes where route.match.matches(request) {
            return Selection(virtualHost: host, route: route)
        }
        return nil
    }
}
