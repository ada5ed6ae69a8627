import ProxyCore
import SwiftProtobuf
import XDSAPI

/// LDS Listener -> ListenerConfig: filter chains (each with its match and one
/// HTTP connection manager or TCP proxy), the default chain, listener filters,
/// the listener's own access logs.
public enum ListenerConverter {
    typealias HCM = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager
    static let httpConnectionManager = "envoy.filters.network.http_connection_manager"
    static let tcpProxy = "envoy.filters.network.tcp_proxy"
    static let router = "envoy.filters.http.router"

    public static func convert(_ listener: Envoy_Config_Listener_V3_Listener, warnings: inout ConversionWarnings) throws(XDSConversionError) -> ListenerConfig {
        let scope = ConversionScope(resource: "Listener \(listener.name)", path: "")
        guard !listener.name.isEmpty else { throw scope.child("name").error("listener name is empty") }
        let (host, port) = try socketAddress(listener.address, scope.child("address"))
        guard !listener.filterChains.isEmpty || listener.hasDefaultFilterChain else {
            throw scope.child("filter_chains").error("no filter chains specified")
        }
        let inspection = try Self.inspection(listener, scope, warnings: &warnings)
        var chains: [FilterChainConfig] = []
        for (index, chain) in listener.filterChains.enumerated() {
            chains.append(try filterChain(chain, scope.index("filter_chains", index), warnings: &warnings))
        }
        do {
            try FilterChainSelector.validate(chains.map(\.match))
        } catch {
            throw XDSConversionError(resource: scope.resource, field: "filter_chains[\(error.chain)].filter_chain_match" + (error.field == "(match)" ? "" : ".\(error.field)"),
                                     reason: error.reason)
        }
        // Envoy ignores a default chain's filter_chain_match: it is what no match gets.
        var fallback = listener.hasDefaultFilterChain
            ? try filterChain(listener.defaultFilterChain, scope.child("default_filter_chain"), warnings: &warnings, matching: false) : nil
        let accessLogs = try listenerAccessLogs(listener, scope, chains: &chains, fallback: &fallback, warnings: &warnings)
        let direction: ListenerConfig.Direction
        switch listener.trafficDirection {
        case .inbound: direction = .inbound
        case .outbound: direction = .outbound
        default: direction = .unspecified
        }
        var config = ListenerConfig(name: listener.name, host: host, port: port,
                                    bindToPort: listener.hasBindToPort ? listener.bindToPort.value : true,
                                    useOriginalDestination: listener.hasUseOriginalDst && listener.useOriginalDst.value,
                                    direction: direction, filterChains: chains, defaultFilterChain: fallback, inspection: inspection)
        config.accessLogs = accessLogs
        return config
    }

    /// One filter chain: its match, plaintext transport, one network filter.
    static func filterChain(_ chain: Envoy_Config_Listener_V3_FilterChain, _ chainScope: ConversionScope,
                            warnings: inout ConversionWarnings, matching: Bool = true) throws(XDSConversionError) -> FilterChainConfig {
        let match = matching && chain.hasFilterChainMatch ? try filterChainMatch(chain.filterChainMatch, chainScope.child("filter_chain_match")) : .any
        let tls = chain.hasTransportSocket
            ? try TLSContextConverter.downstream(chain.transportSocket, chainScope.child("transport_socket"), warnings: &warnings) : nil
        guard let last = chain.filters.last else { throw chainScope.child("filters").error("no network filters") }
        // Network RBAC filters may precede a tcp_proxy (Istio's TCP authorization).
        var networkRBAC: [RBACFilterConfig] = []
        for (index, filter) in chain.filters.dropLast().enumerated() {
            let filterScope = chainScope.index("filters", index)
            guard filter.name == RBACConverter.networkFilter, last.name == tcpProxy else {
                throw filterScope.child("name").unsupported("network filter \"\(filter.name)\" before \(last.name)")
            }
            let config: Envoy_Extensions_Filters_Network_Rbac_V3_RBAC = try unpack(filter.typedConfig, filterScope.child("typed_config"))
            networkRBAC.append(try RBACConverter.network(config, name: filter.name, filterScope.child("typed_config")))
        }
        let filterScope = chainScope.index("filters", chain.filters.count - 1)
        let filter = last
        let converted: ListenerConfig.Chain
        switch filter.name {
        case httpConnectionManager:
            let manager: HCM = try unpack(filter.typedConfig, filterScope.child("typed_config"))
            converted = .http(try connectionManager(manager, filterScope.child("typed_config"), warnings: &warnings))
        case tcpProxy:
            let proxy: Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy = try unpack(filter.typedConfig, filterScope.child("typed_config"))
            var config = try Self.tcpProxy(proxy, filterScope.child("typed_config"), warnings: &warnings)
            config.rbac = networkRBAC
            converted = .tcp(config)
        default:
            throw filterScope.child("name").unsupported("network filter \"\(filter.name)\"")
        }
        return FilterChainConfig(name: chain.name, match: match, chain: converted, tls: tls)
    }

    static func unpack<M: SwiftProtobuf.Message>(_ any: Google_Protobuf_Any, _ scope: ConversionScope) throws(XDSConversionError) -> M {
        do {
            return try M(unpackingAny: any)
        } catch {
            throw scope.error("expected \(M.protoMessageName), got \(any.typeURL)")
        }
    }

    static func socketAddress(_ address: Envoy_Config_Core_V3_Address, _ scope: ConversionScope) throws(XDSConversionError) -> (String, Int) {
        guard case .socketAddress(let socket)? = address.address else { throw scope.unsupported("a non-socket address") }
        guard case .portValue(let port)? = socket.portSpecifier else { throw scope.child("socket_address").unsupported("a named port") }
        guard !socket.address.isEmpty else { throw scope.child("socket_address.address").error("address is empty") }
        return (socket.address, Int(port))
    }

    static func connectionManager(_ manager: HCM, _ scope: ConversionScope, warnings: inout ConversionWarnings) throws(XDSConversionError) -> HTTPConnectionConfig {
        let routes: HTTPConnectionConfig.Routes
        switch manager.routeSpecifier {
        case .rds(let rds): routes = .rds(rds.routeConfigName)
        case .routeConfig(let config): routes = .inline(try RouteConfigurationConverter.convert(config, scope.child("route_config"), warnings: &warnings))
        case nil: throw scope.error("needs rds or route_config")
        }
        let codec: HTTPConnectionConfig.Codec
        switch manager.codecType {
        case .auto: codec = .auto
        case .http1: codec = .http1
        case .http2: codec = .http2
        case .http3: throw scope.child("codec_type").unsupported("HTTP/3")
        case .UNRECOGNIZED(let value): throw scope.child("codec_type").error("unknown value \(value)")
        }
        var config = HTTPConnectionConfig(statPrefix: manager.statPrefix, routes: routes, codec: codec)
        if manager.hasHTTP2ProtocolOptions {
            config.http2 = try HTTP2OptionsConverter.convert(manager.http2ProtocolOptions, scope.child("http2_protocol_options"))
        }
        if manager.hasGenerateRequestID { config.generateRequestID = manager.generateRequestID.value }
        if manager.hasUseRemoteAddress { config.useRemoteAddress = manager.useRemoteAddress.value }
        if manager.hasMaxRequestHeadersKb { config.maxRequestHeadersBytes = Int(manager.maxRequestHeadersKb.value) * 1024 }
        if manager.hasStreamIdleTimeout { config.streamIdleTimeoutNanos = ProtoValues.nanos(manager.streamIdleTimeout) }
        if manager.hasRequestTimeout { config.requestTimeoutNanos = ProtoValues.nanos(manager.requestTimeout) }
        if manager.proxy100Continue { throw scope.child("proxy_100_continue").unsupported("proxying 100-continue") }
        if manager.xffNumTrustedHops > 0 { throw scope.child("xff_num_trusted_hops").unsupported("trusted XFF hops") }
        if !manager.serverName.isEmpty {
            guard !manager.serverName.utf8.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F }) else {
                throw scope.child("server_name").error("not a valid header value")
            }
            config.serverName = manager.serverName
        }
        switch manager.serverHeaderTransformation {
        case .overwrite: config.serverHeaderTransformation = .overwrite
        case .appendIfAbsent: config.serverHeaderTransformation = .appendIfAbsent
        case .passThrough: config.serverHeaderTransformation = .passThrough
        case .UNRECOGNIZED(let value): throw scope.child("server_header_transformation").error("unknown value \(value)")
        }
        switch manager.forwardClientCertDetails {
        case .sanitize: config.forwardClientCert = .sanitize
        case .forwardOnly: config.forwardClientCert = .forwardOnly
        case .alwaysForwardOnly: config.forwardClientCert = .alwaysForwardOnly
        case .appendForward: config.forwardClientCert = .appendForward
        case .sanitizeSet: config.forwardClientCert = .sanitizeSet
        case .UNRECOGNIZED(let value): throw scope.child("forward_client_cert_details").error("unknown value \(value)")
        }
        let details = manager.setCurrentClientCertDetails
        if details.chain { throw scope.child("set_current_client_cert_details.chain").unsupported("the peer's certificate chain in x-forwarded-client-cert") }
        if details.hasSubject && details.subject.value { config.clientCertDetails.insert(.subject) }
        if details.cert { config.clientCertDetails.insert(.cert) }
        if details.uri { config.clientCertDetails.insert(.uri) }
        if details.dns { config.clientCertDetails.insert(.dns) }
        config.acceptHTTP10 = manager.httpProtocolOptions.acceptHTTP10
        config.defaultHostForHTTP10 = manager.httpProtocolOptions.defaultHostForHTTP10
        if !config.defaultHostForHTTP10.isEmpty {
            throw scope.child("http_protocol_options.default_host_for_http_10").unsupported("a default host for HTTP/1.0")
        }
        config.normalizePath = manager.hasNormalizePath && manager.normalizePath.value
        config.mergeSlashes = manager.mergeSlashes
        switch manager.pathWithEscapedSlashesAction {
        // Envoy's unset default (runtime key unset) keeps escaped slashes.
        case .implementationSpecificDefault, .keepUnchanged: config.escapedSlashes = .keepUnchanged
        case .rejectRequest: config.escapedSlashes = .reject
        case .unescapeAndRedirect: config.escapedSlashes = .unescapeAndRedirect
        case .unescapeAndForward: config.escapedSlashes = .unescapeAndForward
        case .UNRECOGNIZED(let value): throw scope.child("path_with_escaped_slashes_action").error("unknown value \(value)")
        }
        if case .stripAnyHostPort(true)? = manager.stripPortMode {
            if manager.stripMatchingHostPort {
                throw scope.child("strip_matching_host_port").error("strip_matching_host_port and strip_any_host_port cannot both be set")
            }
            config.hostNormalization.stripPort = .any
        } else if manager.stripMatchingHostPort {
            config.hostNormalization.stripPort = .matching
        }
        config.hostNormalization.stripTrailingDot = manager.stripTrailingHostDot
        config.accessLogs = try AccessLogConverter.convert(manager.accessLog, scope, warnings: &warnings)
        for (index, upgrade) in manager.upgradeConfigs.enumerated() {
            let upgradeScope = scope.index("upgrade_configs", index)
            if !upgrade.filters.isEmpty { throw upgradeScope.child("filters").unsupported("filters for upgraded streams") }
            guard upgrade.upgradeType.lowercased() == "websocket" else {
                throw upgradeScope.child("upgrade_type").unsupported("upgrade \"\(upgrade.upgradeType)\" (websocket is)")
            }
            if upgrade.hasEnabled && !upgrade.enabled.value { continue }
            config.upgradeTypes.append(Array(upgrade.upgradeType.lowercased().utf8))
        }
        config.tracing = try TracingConverter.convert(manager, scope, warnings: &warnings)
        var sawRouter = false
        var sawRouteFilter = false
        var suppressEnvoyHeaders = false
        for (index, filter) in manager.httpFilters.enumerated() {
            let filterScope = scope.index("http_filters", index)
            switch filter.name {
            case router:
                let config: Envoy_Extensions_Filters_Http_Router_V3_Router = filter.configType != nil
                    ? try unpack(filter.typedConfig, filterScope.child("typed_config")) : .init()
                sawRouter = true
                // The x-envoy-* headers Envoy's router adds (original path, expected
                // timeout, upstream service time) are added unless suppressed.
                suppressEnvoyHeaders = config.suppressEnvoyHeaders
            case RouteConfigurationConverter.faultFilter, RouteConfigurationConverter.corsFilter:
                sawRouteFilter = true
                // Acts through per-route config only (faults are served, CORS is refused there).
                if filter.configType != nil, !filter.typedConfig.value.isEmpty {
                    throw filterScope.child("typed_config").unsupported("\(filter.name) with listener-wide settings")
                }
            case JWTAuthnConverter.filterName:
                if sawRouter { throw filterScope.child("name").error("\(filter.name) after the router filter") }
                if sawRouteFilter { throw filterScope.child("name").unsupported("\(filter.name) after envoy.filters.http.fault or cors") }
                if filter.disabled { throw filterScope.child("disabled").unsupported("a jwt_authn filter enabled per route") }
                let jwt: Envoy_Extensions_Filters_Http_JwtAuthn_V3_JwtAuthentication = try unpack(filter.typedConfig, filterScope.child("typed_config"))
                config.authzFilters.append(.jwtAuthn(try JWTAuthnConverter.convert(jwt, filterScope.child("typed_config"))))
            case RBACConverter.httpFilter:
                if sawRouter { throw filterScope.child("name").error("\(filter.name) after the router filter") }
                // Faults and CORS act at the route step, after authorization (Istio's order).
                if sawRouteFilter { throw filterScope.child("name").unsupported("\(filter.name) after envoy.filters.http.fault or cors") }
                if filter.disabled { throw filterScope.child("disabled").unsupported("an RBAC filter enabled per route") }
                let rbac: Envoy_Extensions_Filters_Http_Rbac_V3_RBAC = try unpack(filter.typedConfig, filterScope.child("typed_config"))
                config.authzFilters.append(.rbac(try RBACConverter.http(rbac, name: filter.name, filterScope.child("typed_config"))))
            default:
                if filter.isOptional || filter.disabled { continue }
                throw filterScope.child("name").unsupported("HTTP filter \"\(filter.name)\"")
            }
        }
        guard sawRouter else { throw scope.child("http_filters").error("no router filter") }
        config.suppressEnvoyHeaders = suppressEnvoyHeaders
        return config
    }

    static func tcpProxy(_ proxy: Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy, _ scope: ConversionScope,
                         warnings: inout ConversionWarnings) throws(XDSConversionError) -> TCPProxyConfig {
        // Fields outside our subset (hash policy, tunneling, on-demand CDS, access-log
        // flush options, ...) would change what the proxy does: refused, not ignored.
        try UnknownFields.refuse(proxy, scope, names: tcpProxyFieldNames)
        if !proxy.metadataMatch.filterMetadata.isEmpty {
            throw scope.child("metadata_match").unsupported("endpoint subset selection by tcp_proxy metadata_match")
        }
        let target: ClusterTarget
        switch proxy.clusterSpecifier {
        case .cluster(let name): target = .cluster(name)
        case .weightedClusters(let weighted):
            for (index, entry) in weighted.clusters.enumerated() where !entry.metadataMatch.filterMetadata.isEmpty {
                throw scope.index("weighted_clusters.clusters", index).child("metadata_match").unsupported("endpoint subset selection by metadata_match")
            }
            let entries = weighted.clusters.map { WeightedClusterEntry(name: $0.name, weight: UInt64($0.weight)) }
            let total = entries.reduce(0) { $0 + $1.weight }
            guard total > 0 else { throw scope.child("weighted_clusters").error("total weight is 0") }
            target = .weighted(entries, totalWeight: total)
        case nil: throw scope.error("needs cluster or weighted_clusters")
        }
        var config = TCPProxyConfig(statPrefix: proxy.statPrefix, target: target)
        if proxy.hasMaxConnectAttempts {
            // Envoy's validation: at least 1 (1, the default, is no retry).
            guard proxy.maxConnectAttempts.value >= 1 else { throw scope.child("max_connect_attempts").error("must be at least 1") }
            config.maxConnectAttempts = Int(proxy.maxConnectAttempts.value)
        }
        // Envoy reads both in whole milliseconds: an idle timeout under 1 ms is none.
        if proxy.hasIdleTimeout {
            config.idleTimeoutNanos = try Self.milliseconds(proxy.idleTimeout, scope.child("idle_timeout"))
        }
        if proxy.hasMaxDownstreamConnectionDuration {
            let field = scope.child("max_downstream_connection_duration")
            let nanos = try Self.milliseconds(proxy.maxDownstreamConnectionDuration, field)
            guard nanos >= 1_000_000 else { throw field.error("must be at least 1ms") }
            config.maxDownstreamConnectionDurationNanos = nanos
        }
        // The same loggers, formats and filters as the connection manager's.
        config.accessLogs = try AccessLogConverter.convert(proxy.accessLog, scope, warnings: &warnings)
        return config
    }

    /// Envoy's names of the tcp_proxy fields our proto subset leaves out.
    static let tcpProxyFieldNames: [Int: String] = [
        3: "downstream_idle_timeout", 4: "upstream_idle_timeout", 11: "hash_policy", 12: "tunneling_config", 14: "on_demand",
        15: "access_log_flush_interval", 16: "flush_access_log_on_connected", 17: "access_log_options", 18: "backoff_options",
        19: "proxy_protocol_tlvs", 20: "max_downstream_connection_duration_jitter_percentage",
    ]

    /// A non-negative duration cut to whole milliseconds, in nanoseconds; Envoy
    /// allows up to 10,000 years, which past Int64 nanoseconds is "never".
    static func milliseconds(_ duration: Google_Protobuf_Duration, _ scope: ConversionScope) throws(XDSConversionError) -> Int64 {
        guard duration.seconds >= 0 && duration.nanos >= 0 else { throw scope.error("duration is negative") }
        let nanos = duration.seconds > Int64.max / 1_000_000_000 - 1 ? Int64.max : ProtoValues.nanos(duration)
        return nanos / 1_000_000 * 1_000_000
    }
}
