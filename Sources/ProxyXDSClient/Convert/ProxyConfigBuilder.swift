import ProxyCore
import XDSAPI

/// Assembles one ProxyConfig from the four resource sets, checking what Envoy
/// checks across them (every RDS name a listener uses exists before it serves).
public enum ProxyConfigBuilder {
    public static func build(version: String = "",
                             listeners: [Envoy_Config_Listener_V3_Listener],
                             routes: [Envoy_Config_Route_V3_RouteConfiguration] = [],
                             clusters: [Envoy_Config_Cluster_V3_Cluster],
                             assignments: [Envoy_Config_Endpoint_V3_ClusterLoadAssignment] = [],
                             secrets: [Envoy_Extensions_TransportSockets_Tls_V3_Secret] = [],
                             warnings: inout ConversionWarnings) throws(XDSConversionError) -> ProxyConfig {
        var config = ProxyConfig(version: version)
        for cluster in clusters {
            let (converted, endpoints) = try ClusterConverter.convert(cluster, warnings: &warnings)
            guard config.clusters[converted.name] == nil else {
                throw XDSConversionError(resource: "Cluster \(converted.name)", field: "name", reason: "duplicate cluster name")
            }
            config.clusters[converted.name] = converted
            if let endpoints { config.endpoints[converted.name] = endpoints }
        }
        for assignment in assignments {
            config.endpoints[assignment.clusterName] = try EndpointConverter.convert(assignment)
        }
        for secret in secrets {
            config.secrets[secret.name] = try SecretConverter.convert(secret)
        }
        for route in routes {
            config.routeTables[route.name] = try RouteConfigurationConverter.convert(route, warnings: &warnings)
        }
        var names = Set<String>()
        for listener in listeners {
            let converted = try ListenerConverter.convert(listener, warnings: &warnings)
            guard names.insert(converted.name).inserted else {
                throw XDSConversionError(resource: "Listener \(converted.name)", field: "name", reason: "duplicate listener name")
            }
            config.listeners.append(converted)
        }
        return config
    }
}
