import Foundation
import NIOCore
import NIOSSL
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// Upstream TLS on real sockets: mutual TLS with SAN verification, Envoy's 503 UF
/// with the transport failure reason when the handshake or the SAN check fails,
/// and transport_socket_matches picking TLS or plain text per endpoint.
@Suite(.serialized, .enabled(if: TestCertificates.available, "needs the openssl CLI"))
struct UpstreamTLSTests {
    static let request = "GET /up HTTP/1.1\r\nHost: svc\r\n\r\n"

    /// Istio's ISTIO_MUTUAL shape: client certificate and roots, SAN of the server.
    static func mutual(_ mesh: TLSTestMesh, roots: String? = nil, san: String = TLSTestMesh.serverSAN) -> UpstreamTLSConfig {
        UpstreamTLSConfig(common: TLSContextConfig(
            certificates: [TLSCertificatePair(chain: .file(mesh.client.certificate), privateKey: .file(mesh.client.key))],
            validation: TLSContextConfig.Validation(trustedCA: .file(roots ?? mesh.root), subjectAltNames: [TLSTestMesh.uriExact(san)]),
            alpnProtocols: ["istio-peer-exchange", "istio"]), serverName: "outbound_.9080_._.svc.default.svc.cluster.local")
    }

    static func config(_ endpoints: [EndpointSet.Endpoint], socket: TransportSocketConfig = .plaintext,
                       matches: [TransportSocketMatch] = [], accessLog: String? = nil) throws -> ProxyConfig {
        var config = EmbeddedProxy.config(endpoints: endpoints)
        if let accessLog, case .http(var http) = config.listeners[0].chain {
            http.accessLogs = [AccessLogConfig(path: accessLog, format: try AccessLogFormat("%RESPONSE_FLAGS% %UPSTREAM_TRANSPORT_FAILURE_REASON%\n"))]
            config.listeners[0] = config.listeners[0].replacingChain(.http(http))
        }
        config.clusters["backend"]!.transportSocket = socket
        config.clusters["backend"]!.transportSocketMatches = matches
        return config
    }

    @Test func mutualTLSToTheUpstreamAndEnvoysFailureReplies() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.startTLS(group: group, certificate: mesh.server.certificate, key: mesh.server.key, clientRoots: mesh.root)
        let endpoint = EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)
        let log = mesh.certificates.path("access.log")
        var config = try Self.config([endpoint], socket: .tls(Self.mutual(mesh)), accessLog: log)
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!
        let client = try BlockingClient(port: port)
        client.send(Self.request)
        let served = client.receiveResponse()
        #expect(served.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(served.contains("echo /up HTTP/1.1"))
        // The source reporter's principals come from the upstream TLS session.
        let metrics = try await server.prometheusText()
        #expect(metrics.contains("source_principal=\"\(TLSTestMesh.clientSAN)\""))
        #expect(metrics.contains("destination_principal=\"\(TLSTestMesh.serverSAN)\""))
        #expect(metrics.contains("connection_security_policy=\"unknown\""))

        // The server's SAN is not the one expected: Envoy's "verify SAN list" failure.
        config = try Self.config([endpoint], socket: .tls(Self.mutual(mesh, san: "spiffe://cluster.local/ns/default/sa/other")), accessLog: log)
        try await server.apply(config)
        client.send(Self.request)
        let wrongSAN = client.receiveResponse()
        #expect(wrongSAN.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        // Envoy 1.40's body; the reason goes to %UPSTREAM_TRANSPORT_FAILURE_REASON%.
        #expect(wrongSAN.hasSuffix("\r\n\r\nupstream connect error or disconnect/reset before headers. reset reason: remote connection failure"))

        // A server certificate from roots the cluster does not trust.
        config = try Self.config([endpoint], socket: .tls(Self.mutual(mesh, roots: mesh.rogueRoot)), accessLog: log)
        try await server.apply(config)
        client.send(Self.request)
        let untrusted = client.receiveResponse()
        #expect(untrusted.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))
        #expect(untrusted.hasSuffix("reset reason: remote connection failure"))

        // Plain text to a TLS upstream is no connection failure: the upstream hangs up (UC).
        config = try Self.config([endpoint])
        try await server.apply(config)
        client.send(Self.request)
        #expect(client.receiveResponse().hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"))

        try await server.shutdown()
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines == ["- -",
                          "UF TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:verify_cert_failed:_verify_SAN_list:TLS_error_end",
                          "UF TLS_error:|268435581:SSL_routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"])
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func transportSocketMatchesPickTLSByEndpointMetadata() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let secure = try await TestUpstream.startTLS(group: group, certificate: mesh.server.certificate, key: mesh.server.key, clientRoots: mesh.root)
        let plain = try await TestUpstream.start(group: group)
        // Istio's auto-mTLS: sidecar endpoints carry tlsMode=istio, others nothing.
        let endpoints = [EndpointSet.Endpoint(host: "127.0.0.1", port: secure.localAddress!.port!, transportSocketMatch: ["tlsMode": "istio"]),
                         EndpointSet.Endpoint(host: "127.0.0.1", port: plain.localAddress!.port!)]
        let matches = [TransportSocketMatch(name: "tlsMode-istio", match: ["tlsMode": "istio"], socket: .tls(Self.mutual(mesh))),
                       TransportSocketMatch(name: "tlsMode-disabled", match: [:], socket: .plaintext)]
        let config = try Self.config(endpoints, matches: matches)
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!
        let client = try BlockingClient(port: port)
        // Round robin over both: each answers only if spoken to the right way.
        for _ in 0..<4 {
            client.send(Self.request)
            #expect(client.receiveResponse().hasPrefix("HTTP/1.1 200 OK\r\n"))
        }
        try await server.shutdown()
        try await secure.close()
        try await plain.close()
        try await group.shutdownGracefully()
    }

    @Test func http2UpstreamOverTLSWithALPN() async throws {
        let mesh = try TLSTestMesh()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var serverTLS = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(mesh.server.certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: mesh.server.key, format: .pem)))
        serverTLS.trustRoots = .file(mesh.root)
        serverTLS.certificateVerification = .noHostnameVerification
        serverTLS.applicationProtocols = ["h2"]
        let upstream = try await GRPCEchoUpstream.start(group: group, tls: try NIOSSLContext(configuration: serverTLS))
        var tls = Self.mutual(mesh)
        tls.common.alpnProtocols = ["istio-peer-exchange", "istio", "h2"]
        var config = try Self.config([EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)], socket: .tls(tls))
        config.clusters["backend"]!.upstreamProtocol = .http2
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!
        let client = try BlockingClient(port: port)
        for _ in 0..<2 {
            client.send("GET /h2/notfound HTTP/1.1\r\nHost: svc\r\n\r\n")
            let response = client.receiveResponse()
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.lowercased().contains("grpc-status: 5"))
        }
        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
