import ProxyCore
import XDSAPI

/// EDS ClusterLoadAssignment (or a cluster's inline load_assignment) -> EndpointSet.
public enum EndpointConverter {
    public static func convert(_ assignment: Envoy_Config_Endpoint_V3_ClusterLoadAssignment) throws(XDSConversionError) -> EndpointSet {
        try convert(assignment, ConversionScope(resource: "ClusterLoadAssignment \(assignment.clusterName)", path: ""))
    }

    static func convert(_ assignment: Envoy_Config_Endpoint_V3_ClusterLoadAssignment, _ scope: ConversionScope) throws(XDSConversionError) -> EndpointSet {
        var groups: [EndpointSet.Group] = []
        for (index, locality) in assignment.endpoints.enumerated() {
            let groupScope = scope.index("endpoints", index)
            var endpoints: [EndpointSet.Endpoint] = []
            for (endpointIndex, lbEndpoint) in locality.lbEndpoints.enumerated() {
                endpoints.append(try endpoint(lbEndpoint, groupScope.index("lb_endpoints", endpointIndex)))
            }
            let weight = locality.hasLoadBalancingWeight ? Int(locality.loadBalancingWeight.value) : 1
            let place = EndpointSet.Locality(region: locality.locality.region, zone: locality.locality.zone, subZone: locality.locality.subZone)
            groups.append(EndpointSet.Group(locality: place, priority: Int(locality.priority), weight: weight, endpoints: endpoints))
        }
        return EndpointSet(clusterName: assignment.clusterName, groups: groups)
    }

    static func endpoint(_ lbEndpoint: Envoy_Config_Endpoint_V3_LbEndpoint, _ scope: ConversionScope) throws(XDSConversionError) -> EndpointSet.Endpoint {
        guard case .endpoint(let endpoint)? = lbEndpoint.hostIdentifier else {
            throw scope.unsupported("an endpoint given by name")
        }
        let (host, port) = try ListenerConverter.socketAddress(endpoint.address, scope.child("endpoint.address"))
        let health: EndpointSet.Health
        switch lbEndpoint.healthStatus {
        case .unknown: health = .unknown
        case .healthy: health = .healthy
        case .unhealthy: health = .unhealthy
        case .draining: health = .draining
        case .timeout: health = .timeout
        case .degraded: health = .degraded
        case .UNRECOGNIZED(let value): throw scope.child("health_status").error("unknown value \(value)")
        }
        let weight = lbEndpoint.hasLoadBalancingWeight ? Int(lbEndpoint.loadBalancingWeight.value) : 1
        var socketMatch: [String: String] = [:]
        if let fields = lbEndpoint.metadata.filterMetadata["envoy.transport_socket_match"] {
            socketMatch = try ProtoValues.stringFields(fields, scope.child("metadata.filter_metadata[envoy.transport_socket_match]"))
        }
        return EndpointSet.Endpoint(host: host, port: port, weight: weight, health: health, transportSocketMatch: socketMatch)
    }
}
