import SwiftProtobuf
import XDSAPI

/// The HTTP connection manager every HTTP listener carries: RDS (or an inline route),
/// authentication and authorization filters (inbound, gateways), fault and CORS
/// filters before the router, an access log to stdout, request ids.
enum ConnectionManagerBuilder {
    static let name = "envoy.filters.network.http_connection_manager"

    static func filter(statPrefix: String, routeName: String? = nil, inlineRoute: Envoy_Config_Route_V3_RouteConfiguration? = nil,
                       accessLog: [Envoy_Config_Accesslog_V3_AccessLog], inbound: Bool,
                       security: [Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter] = [],
                       pathNormalization: MeshSecurityOptions.PathNormalization? = nil,
                       clientCert: ClientCertForwarding = .sanitize) -> Envoy_Config_Listener_V3_Filter {
        var manager = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager()
        manager.statPrefix = statPrefix
        manager.codecType = .auto
        if let inlineRoute {
            manager.routeConfig = inlineRoute
        } else {
            var rds = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_Rds()
            rds.configSource = Proto.ads
            rds.routeConfigName = routeName ?? statPrefix
            manager.rds = rds
        }
        manager.httpFilters = security + [
            httpFilter(RouteFilters.fault, Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault()),
            httpFilter(RouteFilters.cors, Envoy_Extensions_Filters_Http_Cors_V3_Cors()),
            httpFilter("envoy.filters.http.router", Envoy_Extensions_Filters_Http_Router_V3_Router()),
        ]
        manager.useRemoteAddress = Proto.bool(!inbound)
        manager.generateRequestID = Proto.bool(true)
        if let pathNormalization {
            PathNormalizationSettings.apply(pathNormalization, to: &manager)
        } else {
            manager.normalizePath = Proto.bool(true)
            manager.mergeSlashes = true
        }
        clientCert.apply(to: &manager)
        var websocket = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager.UpgradeConfig()
        websocket.upgradeType = "websocket"
        manager.upgradeConfigs = [websocket]
        manager.accessLog = accessLog
        var filter = Envoy_Config_Listener_V3_Filter()
        filter.name = name
        filter.typedConfig = Proto.any(manager)
        return filter
    }

    static func httpFilter<M: SwiftProtobuf.Message>(_ name: String, _ config: M) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter {
        var filter = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter()
        filter.name = name
        filter.typedConfig = Proto.any(config)
        return filter
    }

    /// A TCP proxy to one cluster, or split by weight when `weighted` has several.
    /// As Istio's `setAccessLogAndBuildTCPFilter`, every tcp_proxy carries the same
    /// access logs as the HTTP connection managers on its side (one line per connection).
    static func tcpProxy(statPrefix: String, cluster: String, weighted: [(String, Int)] = [],
                         timeouts: TCPProxyTimeouts = TCPProxyTimeouts(),
                         accessLog: [Envoy_Config_Accesslog_V3_AccessLog]) -> Envoy_Config_Listener_V3_Filter {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = statPrefix
        proxy.accessLog = accessLog
        if let idle = timeouts.idle { proxy.idleTimeout = idle }
        if let duration = timeouts.maxConnectionDuration { proxy.maxDownstreamConnectionDuration = duration }
        if weighted.count > 1 {
            var split = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy.WeightedCluster()
            split.clusters = weighted.map { name, weight in
                var entry = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy.WeightedCluster.ClusterWeight()
                entry.name = name
                entry.weight = UInt32(weight)
                return entry
            }
            proxy.weightedClusters = split
        } else {
            proxy.cluster = weighted.first?.0 ?? cluster
        }
        var filter = Envoy_Config_Listener_V3_Filter()
        filter.name = "envoy.filters.network.tcp_proxy"
        filter.typedConfig = Proto.any(proxy)
        return filter
    }
}

/// Envoy's default access-log format, as Istio configures it, written to stdout.
