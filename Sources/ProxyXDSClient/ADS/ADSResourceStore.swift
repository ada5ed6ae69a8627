import ProxyCore
import SwiftProtobuf
import XDSAPI

/// The resources of the four xDS types as last accepted (plus static ones from
/// the bootstrap), and what they reference: the EDS names clusters need and the
/// RDS names listeners need. A response is tried on a copy and kept only when the
/// whole set still converts, so a bad update leaves the last good config in force;
/// listeners are the exception, judged one by one as Envoy's LDS does
/// (ADSResourceStore+Listeners).
public struct ADSResourceStore: Sendable {
    public var staticListeners: [Envoy_Config_Listener_V3_Listener]
    public var staticClusters: [Envoy_Config_Cluster_V3_Cluster]
    internal(set) var listeners: [String: Envoy_Config_Listener_V3_Listener] = [:]
    internal(set) var routes: [String: Envoy_Config_Route_V3_RouteConfiguration] = [:]
    internal(set) var clusters: [String: Envoy_Config_Cluster_V3_Cluster] = [:]
    internal(set) var endpoints: [String: Envoy_Config_Endpoint_V3_ClusterLoadAssignment] = [:]
    /// SDS secrets received on the ADS stream (gateway credentials), by name.
    internal(set) var secrets: [String: Envoy_Extensions_TransportSockets_Tls_V3_Secret] = [:]

    public init(staticListeners: [Envoy_Config_Listener_V3_Listener] = [], staticClusters: [Envoy_Config_Cluster_V3_Cluster] = []) {
        self.staticListeners = staticListeners
        self.staticClusters = staticClusters
    }

    public struct DecodeError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Replaces the resources of one type with a state-of-the-world response's.
    /// Returns the names it held.
    public mutating func replace(typeURL: String, with resources: [Google_Protobuf_Any]) throws -> [String] {
        func decode<M: SwiftProtobuf.Message>(_: M.Type, name: (M) -> String) throws -> [String: M] {
            var result: [String: M] = [:]
            for any in resources {
                do {
                    let message = try M(unpackingAny: any)
                    result[name(message)] = message
                } catch {
                    throw DecodeError(description: "cannot decode \(any.typeURL) as \(M.protoMessageName): \(error)")
                }
            }
            return result
        }
        switch typeURL {
        case ProxyCore.XDSTypeURL.listener: listeners = try decode(Envoy_Config_Listener_V3_Listener.self) { $0.name }
            return listeners.keys.sorted()
        case ProxyCore.XDSTypeURL.route: routes = try decode(Envoy_Config_Route_V3_RouteConfiguration.self) { $0.name }
            return routes.keys.sorted()
        case ProxyCore.XDSTypeURL.cluster: clusters = try decode(Envoy_Config_Cluster_V3_Cluster.self) { $0.name }
            return clusters.keys.sorted()
        case ProxyCore.XDSTypeURL.endpoint: endpoints = try decode(Envoy_Config_Endpoint_V3_ClusterLoadAssignment.self) { $0.clusterName }
            return endpoints.keys.sorted()
        case ProxyCore.XDSTypeURL.secret: secrets = try decode(Envoy_Extensions_TransportSockets_Tls_V3_Secret.self) { $0.name }
            return secrets.keys.sorted()
        default:
            throw DecodeError(description: "type \(typeURL) is not supported by this proxy")
        }
    }

    /// EDS service names of the EDS clusters.
    public var endpointNames: [String] {
        clusters.values.filter { $0.type == .eds }.map { $0.edsClusterConfig.serviceName.isEmpty ? $0.name : $0.edsClusterConfig.serviceName }.sorted()
    }

    /// RDS names the listeners' connection managers use.
    public var routeNames: [String] {
        var names = Set<String>()
        for listener in listeners.values {
            for chain in listener.filterChains {
                for filter in chain.filters where filter.name == ListenerConverter.httpConnectionManager {
                    if let manager = try? ListenerConverter.HCM(unpackingAny: filter.typedConfig), case .rds(let rds)? = manager.routeSpecifier {
                        names.insert(rds.routeConfigName)
                    }
                }
            }
        }
        return names.sorted()
    }

    /// Whether every referenced route configuration and endpoint set has arrived
    /// (Envoy warms clusters and listeners until then).
    public var isComplete: Bool {
        endpointNames.allSatisfy { endpoints[$0] != nil } && routeNames.allSatisfy { routes[$0] != nil }
    }

    public func build(version: String, warnings: inout ConversionWarnings) throws(XDSConversionError) -> ProxyConfig {
        try ProxyConfigBuilder.build(
            version: version,
            listeners: staticListeners + listeners.keys.sorted().map { listeners[$0]! },
            routes: routes.keys.sorted().map { routes[$0]! },
            clusters: staticClusters + clusters.keys.sorted().map { clusters[$0]! },
            assignments: endpoints.keys.sorted().map { endpoints[$0]! },
            secrets: secrets.keys.sorted().map { secrets[$0]! },
            warnings: &warnings)
    }
}
