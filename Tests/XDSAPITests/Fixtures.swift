import Foundation
import SwiftProtobuf
import XDSAPI

// Istio-shaped sample resources built from the generated messages. They are
// used by the unit tests and, when a stock Envoy binary is available, fed to
// `envoy --mode validate` (see EnvoyValidationTests).

typealias Listener = Envoy_Config_Listener_V3_Listener
typealias Cluster = Envoy_Config_Cluster_V3_Cluster
typealias RouteConfiguration = Envoy_Config_Route_V3_RouteConfiguration
typealias ClusterLoadAssignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment
typealias Secret = Envoy_Extensions_TransportSockets_Tls_V3_Secret
typealias HCM = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpConnectionManager
typealias HTTPFault = Envoy_Extensions_Filters_Http_Fault_V3_HTTPFault
typealias UpstreamTlsContext = Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext
typealias HeaderValueOption = Envoy_Config_Core_V3_HeaderValueOption
typealias StringMatcher = Envoy_Type_Matcher_V3_StringMatcher
typealias Permission = Envoy_Config_Rbac_V3_Permission
typealias Principal = Envoy_Config_Rbac_V3_Principal

func seconds(_ value: Int64) -> Google_Protobuf_Duration {
    Google_Protobuf_Duration(seconds: value, nanos: 0)
}

func milliseconds(_ value: Int64) -> Google_Protobuf_Duration {
    Google_Protobuf_Duration(seconds: value / 1000, nanos: Int32(value % 1000) * 1_000_000)
}

func u32(_ value: UInt32) -> Google_Protobuf_UInt32Value { Google_Protobuf_UInt32Value(value) }

func packed(_ message: any Message) -> Google_Protobuf_Any {
    // Packing a fully initialized proto3 message cannot fail.
    try! Google_Protobuf_Any(deterministicallyPacking: message)
}

func exact(_ value: String) -> StringMatcher {
    var matcher = StringMatcher()
    matcher.exact = value
    return matcher
}

func percent(_ numerator: UInt32) -> Envoy_Type_V3_FractionalPercent {
    var fraction = Envoy_Type_V3_FractionalPercent()
    fraction.numerator = numerator
    fraction.denominator = .hundred
    return fraction
}

func socketAddress(_ ip: String, _ port: UInt32) -> Envoy_Config_Core_V3_Address {
    var socket = Envoy_Config_Core_V3_SocketAddress()
    socket.address = ip
    socket.portValue = port
    var address = Envoy_Config_Core_V3_Address()
    address.socketAddress = socket
    return address
}

func header(_ key: String, _ value: String, _ action: HeaderValueOption.HeaderAppendAction = .overwriteIfExistsOrAdd) -> HeaderValueOption {
    var option = HeaderValueOption()
    option.header.key = key
    option.header.value = value
    option.appendAction = action
    return option
}

func structValue(_ fields: [String: String]) -> Google_Protobuf_Struct {
    Google_Protobuf_Struct(fields: fields.mapValues { Google_Protobuf_Value(stringValue: $0) })
}

func adsConfigSource() -> Envoy_Config_Core_V3_ConfigSource {
    var source = Envoy_Config_Core_V3_ConfigSource()
    source.ads = Envoy_Config_Core_V3_AggregatedConfigSource()
    source.resourceApiVersion = .v3
    source.initialFetchTimeout = seconds(0)
    return source
}

enum Fixtures {
    static let reviewsV1 = "outbound|9080|v1|reviews.default.svc.cluster.local"
    static let reviewsV2 = "outbound|9080|v2|reviews.default.svc.cluster.local"
    static let reviewsV3 = "outbound|9080|v3|reviews.default.svc.cluster.local"
    static let inbound = "inbound|9080||"
    static let xdsCluster = "xds-grpc"

    // A self-signed test root (certificate only; its key was discarded).
    static let testRootPEM = """
        -----BEGIN CERTIFICATE-----
        MIIBzzCCAXWgAwIBAgIUfPjBx2iYMJ6kyhkS1OcKHzCgBiIwCgYIKoZIzj0EAwIw
        NDEXMBUGA1UECgwOU3dpZnRNZXNoIHRlc3QxGTAXBgNVBAMMEFhEU0FQSSB0ZXN0
        IHJvb3QwIBcNMjYxMTI1MTcxMDA1WhgPMjEyNjExMDExNzEwMDVaMDQxFzAVBgNV
        BAoMDlN3aWZ0TWVzaCB0ZXN0MRkwFwYDVQQDDBBYRFNBUEkgdGVzdCByb290MFkw
        EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEo0IfKWbamiyUPt+LLlsVkzUvdn4LEvAR
        kLsXvBiiyHgPLzVBixxFSmgQ0pUxM91YnV0UZBZj3NxReeXSZ862a6NjMGEwHQYD
        VR0OBBYEFCjpsizvl8MBgktEvGoGVDCp+BI7MB8GA1UdIwQYMBaAFCjpsizvl8MB
        gktEvGoGVDCp+BI7MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoG
        CCqGSM49BAMCA0gAMEUCIQCuXsQedikGrhxqNFOSb5/5bTq2CKfXblrVkZpEyA/m
        ZQIgURtzAj3sdtzE7mwafR5GbkqodVWnrtHD3OIZ2DoH+qk=
        -----END CERTIFICATE-----

        """

    // MARK: Node

    static func node() -> Envoy_Config_Core_V3_Node {
        var node = Envoy_Config_Core_V3_Node()
        node.id = "sidecar~127.0.0.2~productpage-v1-7f4d.default~default.svc.cluster.local"
        node.cluster = "productpage.default"
        var labels = Google_Protobuf_Value()
        labels.structValue = structValue(["app": "productpage", "version": "v1"])
        var metadata = structValue(["NAMESPACE": "default", "MESH_ID": "cluster.local", "CLUSTER_ID": "Kubernetes"])
        metadata.fields["LABELS"] = labels
        node.metadata = metadata
        node.locality.region = "region1"
        node.locality.zone = "zone1"
        node.userAgentName = "envoy"
        node.userAgentVersion = "1.40.0"
        return node
    }

    // MARK: Listeners

    static func fileAccessLog() -> Envoy_Config_Accesslog_V3_AccessLog {
        var format = Envoy_Config_Core_V3_SubstitutionFormatString()
        var text = Envoy_Config_Core_V3_DataSource()
        text.inlineString = "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%\" %RESPONSE_CODE% %RESPONSE_FLAGS%\n"
        format.textFormatSource = text
        var file = Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog()
        file.path = "/dev/stdout"
        file.logFormat = format
        var log = Envoy_Config_Accesslog_V3_AccessLog()
        log.name = "envoy.access_loggers.file"
        log.typedConfig = packed(file)
        var responseFlags = Envoy_Config_Accesslog_V3_AccessLogFilter()
        responseFlags.responseFlagFilter.flags = ["UH", "UF", "NR"]
        var notHealthCheck = Envoy_Config_Accesslog_V3_AccessLogFilter()
        notHealthCheck.notHealthCheckFilter = .init()
        log.filter.orFilter.filters = [responseFlags, notHealthCheck]
        return log
    }

    static func rbacFilterConfig() -> Envoy_Extensions_Filters_Http_Rbac_V3_RBAC {
        var method = Permission()
        method.header.name = ":method"
        method.header.stringMatch = exact("GET")
        var path = Permission()
        path.urlPath.path.prefix = "/api"
        var port = Permission()
        port.destinationPort = 9080
        var anyOfMethod = Permission()
        anyOfMethod.orRules.rules = [method]
        var anyOfPath = Permission()
        anyOfPath.orRules.rules = [path]
        var permission = Permission()
        permission.andRules.rules = [anyOfMethod, anyOfPath, port]

        var reviews = Principal()
        reviews.authenticated.principalName = exact("spiffe://cluster.local/ns/default/sa/bookinfo-reviews")
        var namespace = Principal()
        namespace.authenticated.principalName.safeRegex.regex = "spiffe://cluster\\.local/ns/default/.*"
        var sourceIP = Principal()
        sourceIP.directRemoteIp.addressPrefix = "10.0.0.0"
        sourceIP.directRemoteIp.prefixLen = u32(8)
        var notBlocked = Principal()
        notBlocked.notID.remoteIp.addressPrefix = "10.9.0.0"
        notBlocked.notID.remoteIp.prefixLen = u32(16)
        var anyIdentity = Principal()
        anyIdentity.orIds.ids = [reviews, namespace]
        var principal = Principal()
        principal.andIds.ids = [anyIdentity, sourceIP, notBlocked]

        var policy = Envoy_Config_Rbac_V3_Policy()
        policy.permissions = [permission]
        policy.principals = [principal]
        var rbac = Envoy_Extensions_Filters_Http_Rbac_V3_RBAC()
        rbac.rules.action = .allow
        rbac.rules.policies["ns[default]-policy[allow-reviews]-rule[0]"] = policy
        rbac.shadowRulesStatPrefix = "istio_dry_run_allow_"
        return rbac
    }

    static func httpFilters() -> [Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter] {
        func filter(_ name: String, _ config: any Message) -> Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter {
            var filter = Envoy_Extensions_Filters_Network_HttpConnectionManager_V3_HttpFilter()
            filter.name = name
            filter.typedConfig = packed(config)
            return filter
        }
        return [
            filter("envoy.filters.http.fault", HTTPFault()),
            filter("envoy.filters.http.cors", Envoy_Extensions_Filters_Http_Cors_V3_Cors()),
            filter("envoy.filters.http.rbac", rbacFilterConfig()),
            filter("envoy.filters.http.router", Envoy_Extensions_Filters_Http_Router_V3_Router()),
        ]
    }

    static func httpConnectionManager(rds routeName: String) -> HCM {
        var hcm = HCM()
        hcm.codecType = .auto
        hcm.statPrefix = "outbound_0.0.0.0_9080"
        hcm.rds.configSource = adsConfigSource()
        hcm.rds.routeConfigName = routeName
        hcm.httpFilters = httpFilters()
        hcm.accessLog = [fileAccessLog()]
        hcm.useRemoteAddress = Google_Protobuf_BoolValue(false)
        hcm.xffNumTrustedHops = 0
        hcm.generateRequestID = Google_Protobuf_BoolValue(true)
        hcm.forwardClientCertDetails = .appendForward
        hcm.setCurrentClientCertDetails.subject = Google_Protobuf_BoolValue(true)
        hcm.setCurrentClientCertDetails.dns = true
        hcm.setCurrentClientCertDetails.uri = true
        var websocket = HCM.UpgradeConfig()
        websocket.upgradeType = "websocket"
        hcm.upgradeConfigs = [websocket]
        hcm.streamIdleTimeout = seconds(0)
        hcm.requestTimeout = seconds(0)
        hcm.normalizePath = Google_Protobuf_BoolValue(true)
        hcm.mergeSlashes = true
        hcm.pathWithEscapedSlashesAction = .keepUnchanged
        hcm.serverName = "istio-envoy"
        hcm.commonHTTPProtocolOptions.idleTimeout = seconds(3600)
        hcm.commonHTTPProtocolOptions.maxRequestsPerConnection = u32(1000)
        hcm.httpProtocolOptions.acceptHTTP10 = true
        hcm.http2ProtocolOptions.maxConcurrentStreams = u32(100)
        hcm.tracing.clientSampling.value = 100
        hcm.tracing.randomSampling.value = 1
        hcm.tracing.overallSampling.value = 100
        return hcm
    }

    static func tcpProxy(cluster: String) -> Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = cluster
        proxy.cluster = cluster
        proxy.idleTimeout = seconds(3600)
        proxy.maxConnectAttempts = u32(2)
        var file = Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog()
        file.path = "/dev/stdout"
        var log = Envoy_Config_Accesslog_V3_AccessLog()
        log.name = "envoy.access_loggers.file"
        log.typedConfig = packed(file)
        proxy.accessLog = [log]
        return proxy
    }

    static func networkFilter(_ name: String, _ config: any Message) -> Envoy_Config_Listener_V3_Filter {
        var filter = Envoy_Config_Listener_V3_Filter()
        filter.name = name
        filter.typedConfig = packed(config)
        return filter
    }

    static func listenerFilter(_ name: String, _ config: any Message) -> Envoy_Config_Listener_V3_ListenerFilter {
        var filter = Envoy_Config_Listener_V3_ListenerFilter()
        filter.name = name
        filter.typedConfig = packed(config)
        return filter
    }

    /// Istio's outbound HTTP listener for port 9080, routes over RDS, a TCP
    /// passthrough default chain. It does not bind (the outbound capture
    /// listener hands connections over).
    static func outboundListener() -> Listener {
        var listener = Listener()
        listener.name = "0.0.0.0_9080"
        listener.address = socketAddress("0.0.0.0", 9080)
        listener.trafficDirection = .outbound
        listener.bindToPort = Google_Protobuf_BoolValue(false)
        listener.perConnectionBufferLimitBytes = u32(32768)
        listener.continueOnListenerFiltersTimeout = true
        listener.listenerFiltersTimeout = seconds(0)
        listener.listenerFilters = [
            listenerFilter("envoy.filters.listener.tls_inspector", Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector()),
            listenerFilter("envoy.filters.listener.http_inspector", Envoy_Extensions_Filters_Listener_HttpInspector_V3_HttpInspector()),
        ]
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.filterChainMatch.transportProtocol = "raw_buffer"
        chain.filterChainMatch.applicationProtocols = ["http/1.1", "h2c"]
        chain.filters = [networkFilter("envoy.filters.network.http_connection_manager", httpConnectionManager(rds: "9080"))]
        listener.filterChains = [chain]
        var passthrough = Envoy_Config_Listener_V3_FilterChain()
        passthrough.name = "PassthroughFilterChain"
        passthrough.filters = [networkFilter("envoy.filters.network.tcp_proxy", tcpProxy(cluster: "PassthroughCluster"))]
        listener.defaultFilterChain = passthrough
        return listener
    }

    /// Istio's inbound capture listener shape: original destination restored,
    /// per-port chains, plaintext here (TLS chains need a certificate).
    static func virtualInboundListener() -> Listener {
        var listener = Listener()
        listener.name = "virtualInbound"
        listener.address = socketAddress("0.0.0.0", 15006)
        listener.trafficDirection = .inbound
        listener.bindToPort = Google_Protobuf_BoolValue(false)
        listener.useOriginalDst = Google_Protobuf_BoolValue(false)
        listener.listenerFilters = [
            listenerFilter("envoy.filters.listener.original_dst", Envoy_Extensions_Filters_Listener_OriginalDst_V3_OriginalDst()),
            listenerFilter("envoy.filters.listener.tls_inspector", Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector()),
        ]
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.name = "0.0.0.0_9080"
        chain.filterChainMatch.destinationPort = u32(9080)
        chain.filterChainMatch.transportProtocol = "raw_buffer"
        var local = Envoy_Config_Core_V3_CidrRange()
        local.addressPrefix = "127.0.0.0"
        local.prefixLen = u32(8)
        chain.filterChainMatch.prefixRanges = [local]
        chain.filterChainMatch.sourcePrefixRanges = [local]
        var hcm = HCM()
        hcm.statPrefix = "inbound_0.0.0.0_9080"
        hcm.routeConfig = inboundRouteConfiguration()
        hcm.httpFilters = [httpFilters().last!]
        chain.filters = [networkFilter("envoy.filters.network.http_connection_manager", hcm)]
        var sni = Envoy_Config_Listener_V3_FilterChain()
        sni.name = "tls-passthrough"
        sni.filterChainMatch.destinationPort = u32(9443)
        sni.filterChainMatch.transportProtocol = "tls"
        sni.filterChainMatch.serverNames = ["*.example.com"]
        var tcpRBAC = Envoy_Extensions_Filters_Network_Rbac_V3_RBAC()
        tcpRBAC.statPrefix = "tcp."
        var denyPort = Envoy_Config_Rbac_V3_Policy()
        var port = Permission()
        port.destinationPort = 9443
        var sniName = Permission()
        sniName.requestedServerName = exact("blocked.example.com")
        var ports = Permission()
        ports.orRules.rules = [port, sniName]
        denyPort.permissions = [ports]
        var anyone = Principal()
        anyone.any = true
        denyPort.principals = [anyone]
        tcpRBAC.rules.action = .deny
        tcpRBAC.rules.policies["ns[default]-policy[deny-tls]-rule[0]"] = denyPort
        sni.filters = [
            networkFilter("envoy.filters.network.rbac", tcpRBAC),
            networkFilter("envoy.filters.network.tcp_proxy", tcpProxy(cluster: inbound)),
        ]
        listener.filterChains = [chain, sni]
        return listener
    }

    static func inboundRouteConfiguration() -> RouteConfiguration {
        var route = Envoy_Config_Route_V3_Route()
        route.name = "default"
        route.match.prefix = "/"
        route.route.cluster = inbound
        route.route.timeout = seconds(0)
        route.decorator.operation = "productpage.default.svc.cluster.local:9080/*"
        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = "inbound|http|9080"
        host.domains = ["*"]
        host.routes = [route]
        var config = RouteConfiguration()
        config.name = "inbound|9080||"
        config.virtualHosts = [host]
        config.validateClusters = Google_Protobuf_BoolValue(false)
        return config
    }

    // MARK: Routes

    static func faultPerRoute() -> HTTPFault {
        var fault = HTTPFault()
        fault.delay.fixedDelay = seconds(5)
        fault.delay.percentage = percent(10)
        fault.abort.httpStatus = 503
        var abortShare = Envoy_Type_V3_FractionalPercent()
        abortShare.numerator = 5000
        abortShare.denominator = .million
        fault.abort.percentage = abortShare
        return fault
    }

    static func corsPolicy() -> Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy {
        var cors = Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy()
        var origin = StringMatcher()
        origin.suffix = ".example.com"
        origin.ignoreCase = true
        cors.allowOriginStringMatch = [exact("https://app.example.com"), origin]
        cors.allowMethods = "GET,POST"
        cors.allowHeaders = "content-type,x-user"
        cors.exposeHeaders = "x-request-id"
        cors.maxAge = "86400"
        cors.allowCredentials = Google_Protobuf_BoolValue(true)
        cors.filterEnabled.defaultValue = percent(100)
        return cors
    }

    static func retryPolicy() -> Envoy_Config_Route_V3_RetryPolicy {
        var retry = Envoy_Config_Route_V3_RetryPolicy()
        retry.retryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes"
        retry.numRetries = u32(2)
        retry.perTryTimeout = seconds(2)
        var previousHosts = Envoy_Config_Route_V3_RetryPolicy.RetryHostPredicate()
        previousHosts.name = "envoy.retry_host_predicates.previous_hosts"
        previousHosts.typedConfig = packed(Envoy_Extensions_Retry_Host_PreviousHosts_V3_PreviousHostsPredicate())
        retry.retryHostPredicate = [previousHosts]
        retry.hostSelectionRetryMaxAttempts = 5
        retry.retriableStatusCodes = [503]
        retry.retryBackOff.baseInterval = milliseconds(25)
        retry.retryBackOff.maxInterval = milliseconds(250)
        return retry
    }

    /// Istio's outbound route table for port 9080: a weighted split with
    /// retries, fault injection and CORS per route, a rewrite, a redirect and
    /// a direct response.
    static func routeConfiguration() -> RouteConfiguration {
        var split = Envoy_Config_Route_V3_Route()
        split.name = "reviews-jason"
        split.match.prefix = "/"
        split.match.caseSensitive = Google_Protobuf_BoolValue(true)
        var user = Envoy_Config_Route_V3_HeaderMatcher()
        user.name = "end-user"
        user.stringMatch = exact("jason")
        var notDebug = Envoy_Config_Route_V3_HeaderMatcher()
        notDebug.name = "x-debug"
        notDebug.presentMatch = true
        notDebug.invertMatch = true
        notDebug.treatMissingHeaderAsEmpty = true
        split.match.headers = [user, notDebug]
        var v1 = Envoy_Config_Route_V3_WeightedCluster.ClusterWeight()
        v1.name = reviewsV1
        v1.weight = u32(80)
        v1.requestHeadersToAdd = [header("x-subset", "v1")]
        v1.responseHeadersToRemove = ["x-internal"]
        var v2 = Envoy_Config_Route_V3_WeightedCluster.ClusterWeight()
        v2.name = reviewsV2
        v2.weight = u32(20)
        v2.requestHeadersToRemove = ["x-legacy"]
        v2.responseHeadersToAdd = [header("x-subset", "v2", .appendIfExistsOrAdd)]
        split.route.weightedClusters.clusters = [v1, v2]
        split.route.timeout = seconds(10)
        split.route.retryPolicy = retryPolicy()
        var mirror = Envoy_Config_Route_V3_RouteAction.RequestMirrorPolicy()
        mirror.cluster = reviewsV3
        mirror.runtimeFraction.defaultValue = percent(10)
        split.route.requestMirrorPolicies = [mirror]
        var hash = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        hash.header.headerName = "x-user"
        var cookie = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        cookie.cookie.name = "session"
        cookie.cookie.ttl = seconds(3600)
        cookie.cookie.path = "/"
        var source = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        source.connectionProperties.sourceIp = true
        var query = Envoy_Config_Route_V3_RouteAction.HashPolicy()
        query.queryParameter.name = "user"
        split.route.hashPolicy = [hash, cookie, source, query]
        split.route.maxStreamDuration.maxStreamDuration = seconds(0)
        split.route.maxStreamDuration.grpcTimeoutHeaderMax = seconds(0)
        split.typedPerFilterConfig["envoy.filters.http.fault"] = packed(faultPerRoute())
        split.typedPerFilterConfig["envoy.filters.http.cors"] = packed(corsPolicy())
        split.decorator.operation = "reviews.default.svc.cluster.local:9080/*"
        split.requestHeadersToAdd = [header("x-route", "split")]
        split.requestHeadersToRemove = ["x-drop-me"]
        split.responseHeadersToAdd = [header("x-served-by", "swiftmesh", .addIfAbsent)]
        split.responseHeadersToRemove = ["server"]
        var istioMetadata = Google_Protobuf_Value()
        istioMetadata.stringValue = "/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews"
        split.metadata.filterMetadata["istio"] = Google_Protobuf_Struct(fields: ["config": istioMetadata])

        var rewrite = Envoy_Config_Route_V3_Route()
        rewrite.name = "api-rewrite"
        rewrite.match.pathSeparatedPrefix = "/api"
        var debug = Envoy_Config_Route_V3_QueryParameterMatcher()
        debug.name = "debug"
        debug.presentMatch = true
        rewrite.match.queryParameters = [debug]
        rewrite.match.runtimeFraction.defaultValue = percent(50)
        rewrite.route.cluster = reviewsV1
        rewrite.route.prefixRewrite = "/"
        rewrite.route.hostRewriteLiteral = "reviews.internal"
        rewrite.route.idleTimeout = seconds(30)

        var regexRewrite = Envoy_Config_Route_V3_Route()
        regexRewrite.match.safeRegex.regex = "/v[0-9]+/reviews/.*"
        regexRewrite.route.cluster = reviewsV2
        regexRewrite.route.regexRewrite.pattern.regex = "^/v[0-9]+/(.*)$"
        regexRewrite.route.regexRewrite.substitution = "/\\1"
        regexRewrite.route.autoHostRewrite = Google_Protobuf_BoolValue(true)

        var redirect = Envoy_Config_Route_V3_Route()
        redirect.match.path = "/old"
        redirect.redirect.httpsRedirect = true
        redirect.redirect.hostRedirect = "reviews.example.com"
        redirect.redirect.pathRedirect = "/new"
        redirect.redirect.responseCode = .permanentRedirect

        var health = Envoy_Config_Route_V3_Route()
        health.match.prefix = "/healthz"
        health.directResponse.status = 200
        health.directResponse.body.inlineString = "ok"

        var host = Envoy_Config_Route_V3_VirtualHost()
        host.name = "reviews.default.svc.cluster.local:9080"
        host.domains = ["reviews.default.svc.cluster.local", "reviews", "reviews.default", "reviews:9080"]
        host.routes = [split, rewrite, regexRewrite, redirect, health]
        host.includeRequestAttemptCount = true
        host.retryPolicy = retryPolicy()
        host.typedPerFilterConfig["envoy.filters.http.cors"] = packed(corsPolicy())

        var config = RouteConfiguration()
        config.name = "9080"
        config.virtualHosts = [host]
        config.validateClusters = Google_Protobuf_BoolValue(false)
        config.ignorePortInHostMatching = true
        return config
    }

    // MARK: Clusters and endpoints

    static func upstreamTLS(sni: String) -> UpstreamTlsContext {
        var tls = UpstreamTlsContext()
        tls.sni = sni
        tls.commonTlsContext.tlsParams.tlsMinimumProtocolVersion = .tlsv12
        tls.commonTlsContext.tlsParams.tlsMaximumProtocolVersion = .tlsv13
        tls.commonTlsContext.alpnProtocols = ["istio-peer-exchange", "istio"]
        var san = Envoy_Extensions_TransportSockets_Tls_V3_SubjectAltNameMatcher()
        san.sanType = .uri
        san.matcher = exact("spiffe://cluster.local/ns/default/sa/bookinfo-reviews")
        var combined = Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext.CombinedCertificateValidationContext()
        combined.defaultValidationContext.matchTypedSubjectAltNames = [san]
        // A static secret: envoy --mode validate cannot follow SDS-over-ADS references.
        combined.validationContextSdsSecretConfig.name = "ROOTCA"
        tls.commonTlsContext.combinedValidationContext = combined
        return tls
    }

    static func transportSocket(_ tls: UpstreamTlsContext) -> Envoy_Config_Core_V3_TransportSocket {
        var socket = Envoy_Config_Core_V3_TransportSocket()
        socket.name = "envoy.transport_sockets.tls"
        socket.typedConfig = packed(tls)
        return socket
    }

    static func upstreamHTTPOptions() -> Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions {
        var options = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions()
        options.commonHTTPProtocolOptions.idleTimeout = seconds(3600)
        options.commonHTTPProtocolOptions.maxRequestsPerConnection = u32(100)
        var downstream = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions.UseDownstreamHttpConfig()
        downstream.httpProtocolOptions = Envoy_Config_Core_V3_Http1ProtocolOptions()
        downstream.http2ProtocolOptions.maxConcurrentStreams = u32(1_073_741_824)
        options.useDownstreamProtocolConfig = downstream
        return options
    }

    /// Istio's outbound subset cluster: EDS over ADS, circuit breakers, outlier
    /// detection, auto mTLS through transport socket matches.
    static func edsCluster(_ name: String) -> Cluster {
        var cluster = Cluster()
        cluster.name = name
        cluster.type = .eds
        cluster.edsClusterConfig.edsConfig = adsConfigSource()
        cluster.edsClusterConfig.serviceName = name
        cluster.connectTimeout = seconds(10)
        cluster.perConnectionBufferLimitBytes = u32(32768)
        cluster.lbPolicy = .leastRequest
        cluster.leastRequestLbConfig.choiceCount = u32(2)
        var thresholds = Envoy_Config_Cluster_V3_CircuitBreakers.Thresholds()
        thresholds.priority = .default
        thresholds.maxConnections = u32(100)
        thresholds.maxPendingRequests = u32(50)
        thresholds.maxRequests = u32(200)
        thresholds.maxRetries = u32(3)
        thresholds.trackRemaining = true
        cluster.circuitBreakers.thresholds = [thresholds]
        var outlier = Envoy_Config_Cluster_V3_OutlierDetection()
        outlier.consecutive5Xx = u32(5)
        outlier.interval = seconds(10)
        outlier.baseEjectionTime = seconds(30)
        outlier.maxEjectionPercent = u32(50)
        outlier.enforcingConsecutive5Xx = u32(100)
        outlier.consecutiveGatewayFailure = u32(3)
        outlier.enforcingConsecutiveGatewayFailure = u32(0)
        outlier.splitExternalLocalOriginErrors = true
        outlier.consecutiveLocalOriginFailure = u32(5)
        outlier.enforcingConsecutiveLocalOriginFailure = u32(100)
        outlier.enforcingSuccessRate = u32(0)
        cluster.outlierDetection = outlier
        cluster.commonLbConfig.localityWeightedLbConfig = .init()
        cluster.commonLbConfig.healthyPanicThreshold.value = 0
        let sni = name.replacingOccurrences(of: "|", with: "_.")
        var mtls = Cluster.TransportSocketMatch()
        mtls.name = "tlsMode-istio"
        mtls.match = structValue(["tlsMode": "istio"])
        mtls.transportSocket = transportSocket(upstreamTLS(sni: sni))
        var plaintext = Cluster.TransportSocketMatch()
        plaintext.name = "tlsMode-disabled"
        plaintext.match = Google_Protobuf_Struct()
        plaintext.transportSocket.name = "envoy.transport_sockets.raw_buffer"
        plaintext.transportSocket.typedConfig = packed(Envoy_Extensions_TransportSockets_RawBuffer_V3_RawBuffer())
        cluster.transportSocketMatches = [mtls, plaintext]
        cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] = packed(upstreamHTTPOptions())
        cluster.upstreamConnectionOptions.tcpKeepalive.keepaliveTime = u32(300)
        cluster.upstreamConnectionOptions.tcpKeepalive.keepaliveInterval = u32(75)
        cluster.metadata.filterMetadata["istio"] = structValue(["default_original_port": "9080", "subset": "v1"])
        return cluster
    }

    static func clusterWithTLS() -> Cluster {
        var cluster = edsCluster(reviewsV3)
        cluster.transportSocket = transportSocket(upstreamTLS(sni: "outbound_.9080_.v3_.reviews.default.svc.cluster.local"))
        cluster.transportSocketMatches = []
        return cluster
    }

    static func passthroughCluster() -> Cluster {
        var cluster = Cluster()
        cluster.name = "PassthroughCluster"
        cluster.type = .originalDst
        cluster.lbPolicy = .clusterProvided
        cluster.connectTimeout = seconds(10)
        cluster.cleanupInterval = seconds(60)
        var thresholds = Envoy_Config_Cluster_V3_CircuitBreakers.Thresholds()
        thresholds.maxConnections = u32(4_294_967_295)
        thresholds.maxPendingRequests = u32(4_294_967_295)
        thresholds.maxRequests = u32(4_294_967_295)
        thresholds.maxRetries = u32(4_294_967_295)
        cluster.circuitBreakers.thresholds = [thresholds]
        return cluster
    }

    static func dnsCluster() -> Cluster {
        var cluster = Cluster()
        cluster.name = "outbound|80||httpbin.org"
        cluster.type = .strictDns
        cluster.dnsLookupFamily = .v4Only
        // dns_refresh_rate / respect_dns_ttl are deprecated in Envoy 1.40 (warnings); not set here.
        cluster.lbPolicy = .ringHash
        cluster.ringHashLbConfig.minimumRingSize = Google_Protobuf_UInt64Value(1024)
        cluster.connectTimeout = seconds(10)
        var assignment = ClusterLoadAssignment()
        assignment.clusterName = cluster.name
        var endpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
        endpoint.endpoint.address = socketAddress("httpbin.org", 80)
        endpoint.endpoint.hostname = "httpbin.org"
        var locality = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        locality.lbEndpoints = [endpoint]
        assignment.endpoints = [locality]
        cluster.loadAssignment = assignment
        return cluster
    }

    /// The EDS resource for reviews v1: two localities, one failover priority.
    static func clusterLoadAssignment(_ name: String = reviewsV1) -> ClusterLoadAssignment {
        func endpoint(_ ip: String, weight: UInt32, health: Envoy_Config_Core_V3_HealthStatus) -> Envoy_Config_Endpoint_V3_LbEndpoint {
            var endpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
            endpoint.endpoint.address = socketAddress(ip, 9080)
            endpoint.healthStatus = health
            endpoint.loadBalancingWeight = u32(weight)
            endpoint.metadata.filterMetadata["envoy.transport_socket_match"] = structValue(["tlsMode": "istio"])
            endpoint.metadata.filterMetadata["istio"] = structValue(["workload": "reviews-v1;default;reviews;v1;Kubernetes"])
            return endpoint
        }
        var local = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        local.locality.region = "region1"
        local.locality.zone = "zone1"
        local.lbEndpoints = [endpoint("127.0.0.10", weight: 1, health: .healthy), endpoint("127.0.0.11", weight: 2, health: .healthy)]
        local.loadBalancingWeight = u32(3)
        local.priority = 0
        var remote = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        remote.locality.region = "region1"
        remote.locality.zone = "zone2"
        remote.locality.subZone = "rack7"
        remote.lbEndpoints = [endpoint("127.0.0.12", weight: 1, health: .draining)]
        remote.loadBalancingWeight = u32(1)
        remote.priority = 1
        var assignment = ClusterLoadAssignment()
        assignment.clusterName = name
        assignment.endpoints = [local, remote]
        assignment.policy.overprovisioningFactor = u32(140)
        return assignment
    }

    /// Istio's inbound cluster: the application on localhost, with static endpoints.
    static func inboundCluster() -> Cluster {
        var cluster = Cluster()
        cluster.name = inbound
        cluster.type = .static
        cluster.connectTimeout = seconds(10)
        cluster.lbPolicy = .roundRobin
        cluster.loadAssignment = clusterLoadAssignment(inbound)
        cluster.commonLbConfig.localityWeightedLbConfig = .init()
        return cluster
    }

    /// The control plane cluster the bootstrap's ADS stream uses (HTTP/2).
    static func xdsGRPCCluster() -> Cluster {
        var cluster = Cluster()
        cluster.name = xdsCluster
        cluster.type = .static
        cluster.connectTimeout = seconds(1)
        var assignment = ClusterLoadAssignment()
        assignment.clusterName = xdsCluster
        var endpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
        endpoint.endpoint.address = socketAddress("127.0.0.1", 15010)
        var locality = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        locality.lbEndpoints = [endpoint]
        assignment.endpoints = [locality]
        cluster.loadAssignment = assignment
        var options = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions()
        var explicit = Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions.ExplicitHttpConfig()
        var http2 = Envoy_Config_Core_V3_Http2ProtocolOptions()
        http2.connectionKeepalive.interval = seconds(30)
        http2.connectionKeepalive.timeout = seconds(10)
        explicit.http2ProtocolOptions = http2
        options.explicitHTTPConfig = explicit
        cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"] = packed(options)
        return cluster
    }

    static func rootSecret() -> Secret {
        var secret = Secret()
        secret.name = "ROOTCA"
        var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
        validation.trustedCa.inlineString = testRootPEM
        secret.validationContext = validation
        return secret
    }

    static func adsConfig() -> Envoy_Config_Core_V3_ApiConfigSource {
        var ads = Envoy_Config_Core_V3_ApiConfigSource()
        ads.apiType = .grpc
        ads.transportApiVersion = .v3
        ads.setNodeOnFirstMessageOnly = true
        var service = Envoy_Config_Core_V3_GrpcService()
        service.envoyGrpc.clusterName = xdsCluster
        service.timeout = seconds(30)
        ads.grpcServices = [service]
        return ads
    }

    static func listeners() -> [Listener] { [outboundListener(), virtualInboundListener(), staticRouteListener()] }

    /// A listener carrying routeConfiguration() inline, so that Envoy checks it.
    static func staticRouteListener() -> Listener {
        var hcm = httpConnectionManager(rds: "unused")
        hcm.routeConfig = routeConfiguration()
        var chain = Envoy_Config_Listener_V3_FilterChain()
        chain.filters = [networkFilter("envoy.filters.network.http_connection_manager", hcm)]
        var listener = Listener()
        listener.name = "static_routes"
        listener.address = socketAddress("127.0.0.1", 19080)
        listener.bindToPort = Google_Protobuf_BoolValue(false)
        listener.filterChains = [chain]
        return listener
    }

    static func clusters() -> [Cluster] {
        [edsCluster(reviewsV1), edsCluster(reviewsV2), clusterWithTLS(), passthroughCluster(), dnsCluster(), inboundCluster(), xdsGRPCCluster()]
    }
}
