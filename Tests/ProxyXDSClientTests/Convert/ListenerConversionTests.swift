import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct ListenerConversionTests {
    typealias F = XDSFixtures

    @Test func rejectsWhatTheDataPathCannotServe() {
        var warnings = ConversionWarnings()
        var tls = F.listener()
        tls.filterChains[0].transportSocket.name = "envoy.transport_sockets.alts"
        #expect(throws: XDSConversionError(resource: "Listener 127.0.0.1_9080", field: "filter_chains[0].transport_socket.name",
                                           reason: "transport socket \"envoy.transport_sockets.alts\" is not supported by this proxy")) {
            try ListenerConverter.convert(tls, warnings: &warnings)
        }
        var manager = F.connectionManager()
        manager.httpFilters.insert(F.httpFilter("envoy.filters.http.ext_authz", Envoy_Extensions_Filters_Http_Rbac_V3_RBAC()), at: 0)
        #expect(throws: XDSConversionError(resource: "Listener 127.0.0.1_9080", field: "filter_chains[0].filters[0].typed_config.http_filters[0].name",
                                           reason: "HTTP filter \"envoy.filters.http.ext_authz\" is not supported by this proxy")) {
            try ListenerConverter.convert(F.listener(manager: manager), warnings: &warnings)
        }
        var two = F.listener()
        two.filterChains.append(two.filterChains[0])
        #expect(throws: XDSConversionError.self) { try ListenerConverter.convert(two, warnings: &warnings) }
    }

    @Test func serverHeaderSettingsAsEnvoyReadsThem() throws {
        let scope = ConversionScope(resource: "Listener l", path: "hcm")
        var warnings = ConversionWarnings()
        let defaults = try ListenerConverter.connectionManager(F.connectionManager(), scope, warnings: &warnings)
        #expect(defaults.serverHeaderTransformation == .overwrite)
        #expect(defaults.serverLine == Array("server: envoy\r\n".utf8))
        var manager = F.connectionManager()
        manager.serverName = "istio-envoy"
        manager.serverHeaderTransformation = .appendIfAbsent
        let named = try ListenerConverter.connectionManager(manager, scope, warnings: &warnings)
        #expect(named.serverHeaderTransformation == .appendIfAbsent)
        #expect(named.serverLine == Array("server: istio-envoy\r\n".utf8))
        manager.serverHeaderTransformation = .passThrough
        #expect(try ListenerConverter.connectionManager(manager, scope, warnings: &warnings).serverHeaderTransformation == .passThrough)
        manager.serverName = "a\r\nx-injected: 1"
        #expect(throws: XDSConversionError(resource: "Listener l", field: "hcm.server_name", reason: "not a valid header value")) {
            try ListenerConverter.connectionManager(manager, scope, warnings: &warnings)
        }
    }

    @Test func forwardClientCertDetailsAsEnvoyReadsThem() throws {
        let scope = ConversionScope(resource: "Listener l", path: "hcm")
        var warnings = ConversionWarnings()
        var manager = F.connectionManager()
        #expect(try ListenerConverter.connectionManager(manager, scope, warnings: &warnings).forwardClientCert == .sanitize)
        manager.forwardClientCertDetails = .forwardOnly
        #expect(try ListenerConverter.connectionManager(manager, scope, warnings: &warnings).forwardClientCert == .forwardOnly)
        manager.forwardClientCertDetails = .alwaysForwardOnly
        #expect(try ListenerConverter.connectionManager(manager, scope, warnings: &warnings).forwardClientCert == .alwaysForwardOnly)
        // Istio's sidecar inbound: APPEND_FORWARD with subject, URI and DNS.
        manager.forwardClientCertDetails = .appendForward
        manager.setCurrentClientCertDetails.subject = Google_Protobuf_BoolValue(true)
        manager.setCurrentClientCertDetails.uri = true
        manager.setCurrentClientCertDetails.dns = true
        var converted = try ListenerConverter.connectionManager(manager, scope, warnings: &warnings)
        #expect(converted.forwardClientCert == .appendForward)
        #expect(converted.clientCertDetails == [.subject, .uri, .dns])
        // Istio's gateways: SANITIZE_SET, also with the certificate; subject false is off.
        manager.forwardClientCertDetails = .sanitizeSet
        manager.setCurrentClientCertDetails.cert = true
        manager.setCurrentClientCertDetails.subject = Google_Protobuf_BoolValue(false)
        converted = try ListenerConverter.connectionManager(manager, scope, warnings: &warnings)
        #expect(converted.forwardClientCert == .sanitizeSet)
        #expect(converted.clientCertDetails == [.cert, .uri, .dns])
        // The peer's chain is not kept: refused, not ignored.
        manager.setCurrentClientCertDetails.chain = true
        #expect(throws: XDSConversionError(resource: "Listener l", field: "hcm.set_current_client_cert_details.chain",
                                           reason: "the peer's certificate chain in x-forwarded-client-cert is not supported by this proxy")) {
            try ListenerConverter.connectionManager(manager, scope, warnings: &warnings)
        }
    }

    @Test func tcpProxyListenersConvert() throws {
        var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
        proxy.statPrefix = "PassthroughCluster"
        proxy.cluster = "PassthroughCluster"
        var listener = F.listener(name: "virtualOutbound")
        listener.filterChains[0].filters[0].name = "envoy.filters.network.tcp_proxy"
        listener.filterChains[0].filters[0].typedConfig = F.any(proxy)
        listener.useOriginalDst = Google_Protobuf_BoolValue(true)
        var warnings = ConversionWarnings()
        let converted = try ListenerConverter.convert(listener, warnings: &warnings)
        #expect(converted.useOriginalDestination)
        guard case .tcp(let tcp) = converted.chain, case .cluster(let name) = tcp.target else {
            Issue.record("expected a TCP proxy chain")
            return
        }
        #expect(name == "PassthroughCluster")
    }

    @Test func tcpProxyIdleTimeoutAsEnvoyReadsIt() throws {
        func idle(_ duration: Google_Protobuf_Duration?) throws -> Int64 {
            var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
            proxy.statPrefix = "tcp"
            proxy.cluster = "c"
            if let duration { proxy.idleTimeout = duration }
            var warnings = ConversionWarnings()
            return try ListenerConverter.tcpProxy(proxy, ConversionScope(resource: "Listener l", path: "tcp_proxy"), warnings: &warnings).idleTimeoutNanos
        }
        #expect(try idle(nil) == 3_600_000_000_000)
        #expect(try idle(Google_Protobuf_Duration(seconds: 0)) == 0)
        #expect(try idle(Google_Protobuf_Duration(seconds: 1, nanos: 500_000_000)) == 1_500_000_000)
        // Whole milliseconds: under one is no timeout at all.
        #expect(try idle(Google_Protobuf_Duration(seconds: 0, nanos: 500_000)) == 0)
        #expect(try idle(Google_Protobuf_Duration(seconds: 2, nanos: 1_999_999)) == 2_001_000_000)
        #expect(try idle(Google_Protobuf_Duration(seconds: 315_576_000_000)) > 3_600_000_000_000)
        #expect(throws: XDSConversionError(resource: "Listener l", field: "tcp_proxy.idle_timeout", reason: "duration is negative")) {
            try idle(Google_Protobuf_Duration(seconds: -1))
        }
    }

    @Test func tcpProxyMaxDownstreamConnectionDurationAsEnvoyReadsIt() throws {
        func duration(_ value: Google_Protobuf_Duration?) throws -> Int64 {
            var proxy = Envoy_Extensions_Filters_Network_TcpProxy_V3_TcpProxy()
            proxy.statPrefix = "tcp"
            proxy.cluster = "c"
            if let value { proxy.maxDownstreamConnectionDuration = value }
            var warnings = ConversionWarnings()
            return try ListenerConverter.tcpProxy(proxy, ConversionScope(resource: "Listener l", path: "tcp_proxy"), warnings: &warnings).maxDownstreamConnectionDurationNanos
        }
        #expect(try duration(nil) == 0)
        #expect(try duration(Google_Protobuf_Duration(seconds: 600)) == 600_000_000_000)
        #expect(try duration(Google_Protobuf_Duration(seconds: 1, nanos: 1_500_000)) == 1_001_000_000)
        // Envoy's validation: at least 1 ms.
        #expect(throws: XDSConversionError(resource: "Listener l", field: "tcp_proxy.max_downstream_connection_duration", reason: "must be at least 1ms")) {
            try duration(Google_Protobuf_Duration(seconds: 0, nanos: 999_999))
        }
    }

    @Test func clustersTheDataPathCannotUseAreRefused() {
        var warnings = ConversionWarnings()
        var tls = F.edsCluster("c")
        tls.transportSocket.name = "envoy.transport_sockets.alts"
        #expect(throws: XDSConversionError(resource: "Cluster c", field: "transport_socket.name",
                                           reason: "transport socket \"envoy.transport_sockets.alts\" is not supported by this proxy")) {
            try ClusterConverter.convert(tls, warnings: &warnings)
        }
    }
}
