/// A cluster's endpoints grouped by locality and priority (Envoy's
/// ClusterLoadAssignment).
public struct EndpointSet: Sendable {
    public struct Locality: Sendable, Equatable {
        public var region: String
        public var zone: String
        public var subZone: String

        public init(region: String = "", zone: String = "", subZone: String = "") {
            self.region = region
            self.zone = zone
            self.subZone = subZone
        }
    }

    public enum Health: Sendable, Equatable {
        case unknown, healthy, unhealthy, draining, timeout, degraded

        /// Envoy routes to UNKNOWN and HEALTHY (and DEGRADED as a last resort).
        public var isRoutable: Bool { self == .unknown || self == .healthy || self == .degraded }
    }

    public struct Endpoint: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var weight: Int
        public var health: Health
        /// `metadata.filter_metadata["envoy.transport_socket_match"]` (string values):
        /// what the cluster's transport_socket_matches look at.
        public var transportSocketMatch: [String: String]

        public init(host: String, port: Int, weight: Int = 1, health: Health = .unknown, transportSocketMatch: [String: String] = [:]) {
            self.host = host
            self.port = port
            self.weight = weight
            self.health = health
            self.transportSocketMatch = transportSocketMatch
        }
    }

    public struct Group: Sendable, Equatable {
        public var locality: Locality
        public var priority: Int
        public var weight: Int
        public var endpoints: [Endpoint]

        public init(locality: Locality = Locality(), priority: Int = 0, weight: Int = 1, endpoints: [Endpoint]) {
            self.locality = locality
            self.priority = priority
            self.weight = weight
            self.endpoints = endpoints
        }
    }

    public var clusterName: String
    public var groups: [Group]

    public init(clusterName: String, groups: [Group]) {
        self.clusterName = clusterName
        self.groups = groups
    }

    /// Routable endpoints of the highest priority that has any (Envoy's failover
    /// without overprovisioning nuances).
    public var routableEndpoints: [Endpoint] {
        let priorities = Set(groups.map(\.priority)).sorted()
        for priority in priorities {
            let endpoints = groups.filter { $0.priority == priority }.flatMap { $0.endpoints.filter { $0.health.isRoutable } }
            if !endpoints.isEmpty { return endpoints }
        }
        return []
    }
}
