import SwiftProtobuf
import XDSAPI

/// Resources shaped like the control plane's (see XDSTranslator): an HTTP
/// listener with RDS, a route configuration with Istio's domains, clusters.
enum XDSFixtures {
    static func address(_ host: String, _ port: UInt32) -> Envoy_Config_Core_V3_Address {
        var socket = Envoy_Config_Core_V3_SocketAddress()
        socket.address = host
        socket.portValue = port
        var address = Envoy_Config_Core_V3_Address()
        address.socketAddress = socket
        return address
    }

    static func any<M: SwiftProtobuf.Message>(_ message: M) -> Google_Protobuf_Any {
        try! Google_Protobuf_Any(message: message)
    }

    static func httpFilter<M: SwiftProtobuf.Message>(_ name: String, _ config: M) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter {
        var filter = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter()
        filter.name = name
        filter.typedConfig = any(config)
        return filter
    }

    static func connectionManager(rds: String? = "9080", inline: Envoy_Config_Route_V3_RouteConfiguration? = nil) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager {
        var manager = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager()
        manager.statPrefix = "outbound_0.0.0.0_9080"
        if let inline {
            manager.routeConfig = inline
        } else {
            var source = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_Rds()
            source.routeConfigName = rds ?? ""
            manager.rds = source
        }
        manager.httpFilters = [
            httpFilter("envoy.filters.http.fault", Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()),
            httpFilter("envoy.filters.http.cors", Envoy_Extensions_Filters_Http_Cors_V3_Cors()),
            httpFilter("envoy.filters.http.router", Envoy_Extensions_Filters_Http_Router_V3_Router()),
        ]
        manager.generateRequestID = Google_Protobuf_BoolValue(true)
        manager.useRemoteAddress = Google_Protobuf_BoolValue(false)
        manager.normalizePath = Google_Protobuf_BoolValue(true)
        manager.mergeSlashes = true
        return manager
    }

    static func listener(name: String = "127.0.0.1_9080", manager: Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager = connectionManager()) -> Envoy_Config_Listener_V3_Listener {
        var listener = Envoy_Config_Listener_V3_Listener()
        listener.name = name
        listener.address = address("127.0.0.1", 9080)
        listener.trafficDirection = .outbound
        var filter = Envoy_Config_Listener_V3_Filter()
        filter.name = "envoy.filters.network.http_connection_manager"
        filter.typedConfig = any(manager)
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.filters = [filter]
        listener.filterChains = [chain]
        return listener
    }

    static func route(prefix: String = "/", cluster: String) -> Envoy_Config_Route_V3_Route {
        var route = Envoy_Config_Route_V3_Route()
        route.name = "default"
        var match = Envoy_Config_Route_V3_RouteMatch()
        match.prefix = prefix
        route.match = match
        var action = Envoy_Config_Route_V3_RouteAction()
        action.cluster = cluster
        action.timeout = Google_Protobuf_Duration(seconds: 0)
        route.route = action
        return route
    }

    static func virtualHost(_ name: String, _ domains: [String], _ routes: [Envoy_Config_Route_V3_Route]) -> Envoy_Config_Route_V3_VirtualHost {
        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = name
        host.domains = domains
        host.routes = routes
        return host
    }

    static func routeConfiguration(_ hosts: [Envoy_Config_Route_V3_VirtualHost], name: String = "9080") -> Envoy_Config_Route_V3_RouteConfiguration {
        var config = Envoy_Config_Route_V3_RouteConfiguration()
        config.name = name
        config.validateClusters = Google_Protobuf_BoolValue(false)
        config.virtualHosts = hosts
        return config
    }

    static func staticCluster(_ name: String, host: String = "127.0.0.1", port: UInt32) -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = name
        cluster.type = .static
        cluster.connectTimeout = Google_Protobuf_Duration(seconds: 10)
        var endpoint = Envoy_Config_Endpoint_V3_Endpoint()
        endpoint.address = address(host, port)
        var lbEndpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
        lbEndpoint.endpoint = endpoint
        lbEndpoint.healthStatus = .healthy
        var locality = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        locality.lbEndpoints = [lbEndpoint]
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = name
        assignment.endpoints = [locality]
        cluster.loadAssignment = assignment
        return cluster
    }

    static func edsCluster(_ name: String) -> Envoy_Config_Cluster_V3_Cluster {
        var cluster = Envoy_Config_Cluster_V3_Cluster()
        cluster.name = name
        cluster.type = .eds
        var eds = Envoy_Config_Cluster_V3_Cluster.EdsClusterConfig()
        eds.serviceName = name
        cluster.edsClusterConfig = eds
        cluster.lbPolicy = .leastRequest
        var thresholds = Envoy_Config_Cluster_V3_CircuitBreakers.Thresholds()
        thresholds.maxPendingRequests = Google_Protobuf_UInt32Value(100)
        var breakers = Envoy_Config_Cluster_V3_CircuitBreakers()
        breakers.thresholds = [thresholds]
        cluster.circuitBreakers = breakers
        return cluster
    }
}
