import Foundation
import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// Downstream TLS termination on real sockets: certificates from files and from
/// the certificate agent (SDS `sds-grpc`), client certificates required and
/// checked (roots, SAN matchers), ALPN, peer facts in logs and metrics, and a
/// secret rotation that reaches new connections without dropping open ones.
@Suite(.serialized, .enabled(if: TestCertificates.available, "needs the openssl CLI"))
struct DownstreamTLSTests {
    static let request = "GET /tls HTTP/1.1\r\nHost: svc\r\n\r\n"

    @Test func terminatesWithFilesAndNegotiatesALPN() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificates: [TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))],
            alpnProtocols: ["h2", "http/1.1"]))
        let config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls)
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!

        let http1 = try await TLSTestClient(group: group, port: port, trusting: mesh.root, alpn: ["http/1.1"])
        #expect(http1.negotiatedProtocol == "http/1.1")
        let response = try await http1.exchange(Self.request)
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("echo /tls HTTP/1.1\r\n"))
        #expect(response.contains("x-forwarded-proto: https"))
        await http1.close()

        // h2 goes straight to the HTTP/2 codec: its SETTINGS frame answers the preface.
        let http2 = try await TLSTestClient(group: group, port: port, trusting: mesh.root, alpn: ["h2"])
        #expect(http2.negotiatedProtocol == "h2")
        let frames = try await http2.exchange("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", fromStart: true) { $0.utf8.count >= 9 }
        #expect(Array(frames.utf8).count >= 9 && Array(frames.utf8)[3] == 0x4)
        await http2.close()

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    /// `connection: close` over TLS: the delayed close shuts the write side with
    /// close_notify after the response; the client reads all of it, and the
    /// connection ends.
    @Test func aClosingResponseEndsTheTLSConnectionAfterTheReply() async throws {
        let mesh = try TLSTestMesh()
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificates: [TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))]))
        let config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls)
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!

        let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
        let response = try await client.exchange("GET /bye HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n")
        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(response.contains("echo /bye HTTP/1.1\r\n"))
        #expect(response.lowercased().contains("connection: close\r\n"))
        #expect(await client.closedByPeer())

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func mutualTLSFromTheAgentChecksRootsAndSANs() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let agent = StaticSecretProvider([
            "default": .certificate(TLSCertificatePair(chain: .inline(try mesh.certificates.bytes(mesh.server.certificate)),
                                                       privateKey: .inline(try mesh.certificates.bytes(mesh.server.key)))),
            "ROOTCA": .validation(trustedCA: .file(mesh.root), subjectAltNames: []),
        ])
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificateSecrets: [SDSSecretReference(name: "default", source: .agent)],
            validation: TLSContextConfig.Validation(rootsSecret: SDSSecretReference(name: "ROOTCA", source: .agent),
                                                    subjectAltNames: [TLSTestMesh.uriExact(TLSTestMesh.clientSAN)]),
            alpnProtocols: ["h2", "http/1.1"]), requireClientCertificate: true)
        let log = mesh.certificates.path("access.log")
        let config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls, accessLog: log)
        let identity = TelemetryIdentity(local: WorkloadMetadata(name: "server-1", namespace: "default", workloadName: "server"), nodeID: "sidecar~127.0.0.1~server-1.default~default.svc.cluster.local")
        let server = try await ProxyServer(group: group, config: config, identity: identity, secretProvider: agent)
        let port = try await server.start(config: config)[0].address.port!

        // The mesh's client: served, and its identity reaches logs and metrics.
        let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.client.certificate, key: mesh.client.key)
        #expect(try await client.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        await client.close()
        // No certificate, or one from another root: refused in the handshake.
        await #expect(throws: (any Error).self) {
            let anonymous = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
            _ = try await anonymous.exchange(Self.request)
            if await anonymous.closedByPeer() { throw ChannelError.eof }
        }
        await #expect(throws: (any Error).self) {
            let rogue = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.rogueClient.certificate, key: mesh.rogueClient.key)
            _ = try await rogue.exchange(Self.request)
            if await rogue.closedByPeer() { throw ChannelError.eof }
        }
        // A trusted certificate with a SAN no matcher accepts: closed after the handshake.
        let other = try mesh.certificates.leaf("other", issuer: "ca", sans: ["URI:spiffe://cluster.local/ns/default/sa/other"])
        let stranger = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: other.certificate, key: other.key)
        #expect(await stranger.closedByPeer())

        let metrics = try await server.prometheusText()
        #expect(metrics.contains("connection_security_policy=\"mutual_tls\""))
        #expect(metrics.contains("source_principal=\"\(TLSTestMesh.clientSAN)\""))
        #expect(metrics.contains("destination_principal=\"\(TLSTestMesh.serverSAN)\""))
        try await server.shutdown()
        let lines = try String(contentsOfFile: log, encoding: .utf8)
        #expect(lines == "\(TLSTestMesh.clientSAN) \(TLSTestMesh.serverSAN) svc.example.com 200\n")
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func rotatedSecretReachesNewConnectionsAndOpenOnesStay() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let rotated = try mesh.certificates.leaf("rotated", issuer: "ca", sans: ["URI:spiffe://cluster.local/ns/default/sa/rotated"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let upstream = try await TestUpstream.start(group: group)
        let agent = StaticSecretProvider([
            "default": .certificate(TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))),
        ])
        let tls = DownstreamTLSConfig(common: TLSContextConfig(certificateSecrets: [SDSSecretReference(name: "default", source: .agent)]))
        let config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls)
        let server = try await ProxyServer(group: group, config: config, secretProvider: agent)
        let port = try await server.start(config: config)[0].address.port!

        let before = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
        #expect(try await before.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(before.serverCertificate.map(SubjectAltNames.of)?.contains(SubjectAltName(kind: .uri, value: TLSTestMesh.serverSAN)) == true)

        agent.update("default", .certificate(TLSCertificatePair(chain: .file(rotated.certificate), privateKey: .file(rotated.key))))
        try await server.refreshSecrets()
        let after = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
        #expect(after.serverCertificate.map(SubjectAltNames.of)?.contains(SubjectAltName(kind: .uri, value: "spiffe://cluster.local/ns/default/sa/rotated")) == true)
        #expect(try await after.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        // The connection made before the rotation keeps working.
        #expect(try await before.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        await before.close()
        await after.close()

        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func missingSecretRefusesConnectionsUntilItArrives() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let agent = StaticSecretProvider()
        let tls = DownstreamTLSConfig(common: TLSContextConfig(certificateSecrets: [SDSSecretReference(name: "default", source: .agent)]))
        let config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls)
        let server = try await ProxyServer(group: group, config: config, secretProvider: agent)
        let port = try await server.start(config: config)[0].address.port!
        await #expect(throws: (any Error).self) { _ = try await TLSTestClient(group: group, port: port, trusting: mesh.root) }
        agent.update("default", .certificate(TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))))
        try await server.refreshSecrets()
        let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
        #expect(try await client.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        await client.close()
        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
