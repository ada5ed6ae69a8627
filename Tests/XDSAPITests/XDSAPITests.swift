import Foundation
import SwiftProtobuf
import Testing
import XDSAPI

@Suite struct TypeURLTests {
    @Test func resourceTypeURLsAreEnvoys() throws {
        #expect(try Google_Protobuf_Any(message: Fixtures.outboundListener()).typeURL == "type.googleapis.com/envoy.config.listener.v3.Listener")
        #expect(try Google_Protobuf_Any(message: Fixtures.routeConfiguration()).typeURL == "type.googleapis.com/envoy.config.route.v3.RouteConfiguration")
        #expect(try Google_Protobuf_Any(message: Fixtures.edsCluster(Fixtures.reviewsV1)).typeURL == "type.googleapis.com/envoy.config.cluster.v3.Cluster")
        #expect(try Google_Protobuf_Any(message: Fixtures.clusterLoadAssignment()).typeURL == "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment")
        #expect(try Google_Protobuf_Any(message: Fixtures.rootSecret()).typeURL == "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
        #expect(XDSTypeURL.listener == "type.googleapis.com/envoy.config.listener.v3.Listener")
        #expect(XDSTypeURL.routeConfiguration == "type.googleapis.com/envoy.config.route.v3.RouteConfiguration")
        #expect(XDSTypeURL.cluster == "type.googleapis.com/envoy.config.cluster.v3.Cluster")
        #expect(XDSTypeURL.clusterLoadAssignment == "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment")
        #expect(XDSTypeURL.secret == "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret")
    }

    static let extensionTypeURLs: [(any Message, String)] = [
        (HCM(), "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"),
        (Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy(), "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"),
        (Envoy_Extensions_Filters_Http_Router_V3_Router(), "envoy.extensions.filters.http.router.v3.Router"),
        (HTTPFault(), "envoy.extensions.filters.http.fault.v3.HTTPFault"),
        (Envoy_Extensions_Filters_Http_Cors_V3_Cors(), "envoy.extensions.filters.http.cors.v3.Cors"),
        (Envoy_Extensions_Filters_Http_Cors_V3_CorsPolicy(), "envoy.extensions.filters.http.cors.v3.CorsPolicy"),
        (Envoy_Extensions_Filters_Http_Rbac_V3_RBAC(), "envoy.extensions.filters.http.rbac.v3.RBAC"),
        (Envoy_Extensions_Filters_Network_Rbac_V3_RBAC(), "envoy.extensions.filters.network.rbac.v3.RBAC"),
        (UpstreamTlsContext(), "envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext"),
        (Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext(), "envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext"),
        (Envoy_Extensions_TransportSockets_RawBuffer_V3_RawBuffer(), "envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer"),
        (Envoy_Extensions_AccessLoggers_File_V3_FileAccessLog(), "envoy.extensions.access_loggers.file.v3.FileAccessLog"),
        (Envoy_Extensions_Filters_Listener_TlsInspector_V3_TlsInspector(), "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector"),
        (Envoy_Extensions_Filters_Listener_HttpInspector_V3_HttpInspector(), "envoy.extensions.filters.listener.http_inspector.v3.HttpInspector"),
        (Envoy_Extensions_Filters_Listener_OriginalDst_V3_OriginalDst(), "envoy.extensions.filters.listener.original_dst.v3.OriginalDst"),
        (Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions(), "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"),
        (Envoy_Extensions_Retry_Host_PreviousHosts_V3_PreviousHostsPredicate(), "envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate"),
    ]

    @Test func extensionTypeURLsAreEnvoys() throws {
        for (message, name) in Self.extensionTypeURLs {
            #expect(try Google_Protobuf_Any(message: message).typeURL == "type.googleapis.com/" + name)
        }
    }

    @Test func adsServiceNamesAreEnvoys() {
        let sotw = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Method.StreamAggregatedResources.descriptor
        let delta = Envoy_Service_Discovery_V3_AggregatedDiscoveryService.Method.DeltaAggregatedResources.descriptor
        #expect(sotw.fullyQualifiedMethod == "envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources")
        #expect(delta.fullyQualifiedMethod == "envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources")
    }
}

@Suite struct WireFormatTests {
    static func hex(_ message: any Message) throws -> String {
        let bytes: [UInt8] = try message.serializedBytes()
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    // Spot checks of field numbers and wire types against Envoy's .proto files.
    @Test func fieldNumbersMatchEnvoy() throws {
        var cluster = Cluster()
        cluster.name = "a"
        cluster.type = .eds
        cluster.lbPolicy = .leastRequest
        #expect(try Self.hex(cluster) == "0a01611003" + "3001")

        var action = Envoy_Config_Route_V3_RouteAction()
        action.cluster = "c"
        action.timeout = seconds(1)
        #expect(try Self.hex(action) == "0a0163" + "42020801")

        var option = HeaderValueOption()
        option.header.key = "k"
        option.appendAction = .overwriteIfExistsOrAdd
        #expect(try Self.hex(option) == "0a030a016b" + "1802")

        var listener = Listener()
        listener.bindToPort = Google_Protobuf_BoolValue(false)
        listener.trafficDirection = .outbound
        // traffic_direction = 16 (varint), bind_to_port = 26 (empty wrapper message)
        #expect(try Self.hex(listener) == "800102" + "d20100")

        var request = Envoy_Service_Discovery_V3_DiscoveryRequest()
        request.typeURL = "t"
        request.errorDetail.code = 3
        #expect(try Self.hex(request) == "220174" + "32020803")

        var tls = UpstreamTlsContext()
        tls.sni = "s"
        tls.commonTlsContext.alpnProtocols = ["h2"]
        #expect(try Self.hex(tls) == "0a0422026832" + "120173")
    }
}

@Suite struct RoundTripTests {
    static func roundTrip<M: Message & Equatable>(_ message: M) throws {
        let bytes: [UInt8] = try message.serializedBytes()
        let decoded = try M(serializedBytes: bytes)
        #expect(decoded == message)
        #expect(!bytes.isEmpty)
    }

    @Test func deterministicPackingIsStable() throws {
        let config = Fixtures.routeConfiguration()
        let first = try Google_Protobuf_Any(deterministicallyPacking: config)
        let second = try Google_Protobuf_Any(deterministicallyPacking: try RouteConfiguration(serializedBytes: first.value))
        #expect(first.typeURL == XDSTypeURL.routeConfiguration)
        #expect(first.value == second.value)
        #expect(first == second)
    }

    @Test func resourcesSurviveBinaryRoundTrip() throws {
        for listener in Fixtures.listeners() { try Self.roundTrip(listener) }
        for cluster in Fixtures.clusters() { try Self.roundTrip(cluster) }
        try Self.roundTrip(Fixtures.clusterWithTLS())
        try Self.roundTrip(Fixtures.routeConfiguration())
        try Self.roundTrip(Fixtures.clusterLoadAssignment())
        try Self.roundTrip(Fixtures.rootSecret())
        try Self.roundTrip(Fixtures.node())
    }

    @Test func listenerCarriesHttpConnectionManagerWithRds() throws {
        let bytes: [UInt8] = try Fixtures.outboundListener().serializedBytes()
        let listener = try Listener(serializedBytes: bytes)
        let filter = try #require(listener.filterChains.first?.filters.first)
        #expect(filter.name == "envoy.filters.network.http_connection_manager")
        #expect(filter.typedConfig.isA(HCM.self))
        let hcm = try HCM(unpackingAny: filter.typedConfig)
        #expect(hcm.rds.routeConfigName == "9080")
        #expect(hcm.rds.configSource.configSourceSpecifier == .ads(Envoy_Config_Core_V3_AggregatedConfigSource()))
        #expect(hcm.rds.configSource.resourceApiVersion == .v3)
        #expect(hcm.httpFilters.map(\.name) == ["envoy.filters.http.fault", "envoy.filters.http.cors", "envoy.filters.http.rbac", "envoy.filters.http.router"])
        #expect(listener.defaultFilterChain.filters.first?.name == "envoy.filters.network.tcp_proxy")
    }

    @Test func clusterCarriesTLSAndPolicies() throws {
        let bytes: [UInt8] = try Fixtures.clusterWithTLS().serializedBytes()
        let cluster = try Cluster(serializedBytes: bytes)
        #expect(cluster.type == .eds)
        #expect(cluster.circuitBreakers.thresholds.first?.maxConnections.value == 100)
        #expect(cluster.outlierDetection.consecutive5Xx.value == 5)
        #expect(cluster.outlierDetection.splitExternalLocalOriginErrors)
        #expect(cluster.transportSocket.typedConfig.typeURL == "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext")
        let tls = try UpstreamTlsContext(unpackingAny: cluster.transportSocket.typedConfig)
        #expect(tls.sni == "outbound_.9080_.v3_.reviews.default.svc.cluster.local")
        #expect(tls.commonTlsContext.combinedValidationContext.validationContextSdsSecretConfig.name == "ROOTCA")
        let options = try #require(cluster.typedExtensionProtocolOptions["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"])
        let http = try Envoy_Extensions_Upstreams_Http_V3_HttpProtocolOptions(unpackingAny: options)
        #expect(http.commonHTTPProtocolOptions.maxRequestsPerConnection.value == 100)
    }

    @Test func routeCarriesWeightsRetriesAndFault() throws {
        let bytes: [UInt8] = try Fixtures.routeConfiguration().serializedBytes()
        let config = try RouteConfiguration(serializedBytes: bytes)
        let route = try #require(config.virtualHosts.first?.routes.first)
        #expect(route.route.weightedClusters.clusters.map(\.weight.value) == [80, 20])
        #expect(route.route.retryPolicy.numRetries.value == 2)
        #expect(route.route.retryPolicy.retriableStatusCodes == [503])
        let fault = try HTTPFault(unpackingAny: try #require(route.typedPerFilterConfig["envoy.filters.http.fault"]))
        #expect(fault.abort.httpStatus == 503)
        #expect(fault.delay.fixedDelay == seconds(5))
    }

    @Test func discoveryMessagesRoundTrip() throws {
        var response = Envoy_Service_Discovery_V3_DiscoveryResponse()
        response.versionInfo = "2026-01-01T00:00:00Z/1"
        response.typeURL = XDSTypeURL.cluster
        response.resources = try Fixtures.clusters().map { try Google_Protobuf_Any(deterministicallyPacking: $0) }
        response.nonce = "n1"
        response.controlPlane.identifier = "swiftmesh-0"
        try Self.roundTrip(response)

        var request = Envoy_Service_Discovery_V3_DiscoveryRequest()
        request.node = Fixtures.node()
        request.typeURL = XDSTypeURL.cluster
        request.versionInfo = "1"
        request.responseNonce = "n1"
        request.errorDetail.code = 3
        request.errorDetail.message = "Proto constraint validation failed"
        try Self.roundTrip(request)

        var resource = Envoy_Service_Discovery_V3_Resource()
        resource.name = Fixtures.reviewsV1
        resource.version = "v7"
        resource.resource = try Google_Protobuf_Any(deterministicallyPacking: Fixtures.clusterLoadAssignment())
        var delta = Envoy_Service_Discovery_V3_DeltaDiscoveryResponse()
        delta.typeURL = XDSTypeURL.clusterLoadAssignment
        delta.resources = [resource]
        delta.removedResources = [Fixtures.reviewsV2]
        delta.nonce = "d1"
        try Self.roundTrip(delta)

        var deltaRequest = Envoy_Service_Discovery_V3_DeltaDiscoveryRequest()
        deltaRequest.node = Fixtures.node()
        deltaRequest.typeURL = XDSTypeURL.clusterLoadAssignment
        deltaRequest.resourceNamesSubscribe = [Fixtures.reviewsV1]
        deltaRequest.initialResourceVersions = [Fixtures.reviewsV2: "v3"]
        try Self.roundTrip(deltaRequest)
    }
}

@Suite struct JSONTests {
    static let options: JSONEncodingOptions = {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.useDeterministicOrdering = true
        return options
    }()

    @Test func decodedAnyRendersWithTypeAfterRegistration() throws {
        XDSAnyTypes.registerAll()
        // Decode from bytes, so every Any holds only bytes and needs the registry.
        let bytes: [UInt8] = try Fixtures.outboundListener().serializedBytes()
        let listener = try Listener(serializedBytes: bytes)
        let json = try listener.jsonString(options: Self.options)
        #expect(json.contains("\"@type\":\"type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\""))
        #expect(json.contains("\"@type\":\"type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\""))
        #expect(json.contains("\"route_config_name\":\"9080\""))
        #expect(json.contains("\"traffic_direction\":\"OUTBOUND\""))

        // Any values decoded from JSON hold JSON, not bytes: compare by re-encoding.
        let back = try Listener(jsonString: json)
        #expect(try back.jsonString(options: Self.options) == json)
    }

    @Test func clusterAndRoutesRenderAsEnvoyJSON() throws {
        XDSAnyTypes.registerAll()
        let cluster = try Fixtures.clusterWithTLS().jsonString(options: Self.options)
        #expect(cluster.contains("\"@type\":\"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\""))
        #expect(cluster.contains("\"type\":\"EDS\""))
        #expect(cluster.contains("\"consecutive_5xx\":5"))
        #expect(cluster.contains("\"connect_timeout\":\"10s\""))
        let routes = try Fixtures.routeConfiguration().jsonString(options: Self.options)
        #expect(routes.contains("\"@type\":\"type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault\""))
        #expect(routes.contains("\"weighted_clusters\""))
        let back = try RouteConfiguration(jsonString: routes)
        #expect(try back.jsonString(options: Self.options) == routes)
    }
}
