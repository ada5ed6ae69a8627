import Foundation
import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// RBAC on a mutual-TLS listener: `authenticated.principal_name` reads the
/// client certificate's URI SAN and `requested_server_name` the SNI, from the
/// connection facts the TLS layer records; a DENY on the server name and an
/// ALLOW by principal give 403 `RBAC: access denied` to everyone else.
@Suite(.serialized, .enabled(if: TestCertificates.available, "needs the openssl CLI"))
struct MutualTLSAuthorizationTests {
    static let request = "GET /tls HTTP/1.1\r\nHost: svc\r\n\r\n"

    static func exact(_ text: String) -> StringMatch { StringMatch(.exact(Array(text.utf8))) }

    @Test func principalsAndServerNamesComeFromTheHandshake() async throws {
        let mesh = try TLSTestMesh()
        // Its certificate files live as long as the mesh value: keep it to the end.
        defer { withExtendedLifetime(mesh) {} }
        let other = try mesh.certificates.leaf("other", issuer: "ca", sans: ["URI:spiffe://cluster.local/ns/default/sa/other"])
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let agent = StaticSecretProvider([
            "default": .certificate(TLSCertificatePair(chain: .inline(try mesh.certificates.bytes(mesh.server.certificate)),
                                                       privateKey: .inline(try mesh.certificates.bytes(mesh.server.key)))),
            "ROOTCA": .validation(trustedCA: .file(mesh.root), subjectAltNames: []),
        ])
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificateSecrets: [SDSSecretReference(name: "default", source: .agent)],
            validation: TLSContextConfig.Validation(rootsSecret: SDSSecretReference(name: "ROOTCA", source: .agent), subjectAltNames: []),
            alpnProtocols: ["http/1.1"]), requireClientCertificate: true)
        var config = try TLSTestMesh.config(upstreamPort: upstream.localAddress!.port!, tls: tls)
        guard case .http(var http) = config.listeners[0].filterChains[0].chain else { fatalError("HTTP chain expected") }
        let deny = RBACPolicySet(action: .deny, policies: [.init(name: "deny-sni", permissions: [.requestedServerName(Self.exact("blocked.example.com"))], principals: [.any])])
        let allow = RBACPolicySet(action: .allow, policies: [.init(name: "allow-client", permissions: [.any],
                                                                     principals: [.authenticated(Self.exact(TLSTestMesh.clientSAN))])])
        http.authzFilters = [.rbac(RBACFilterConfig(name: "deny", rules: deny)), .rbac(RBACFilterConfig(name: "allow", rules: allow))]
        config.listeners = [ListenerConfig(name: "https", host: "127.0.0.1", port: 0, direction: .inbound,
                                           filterChains: [FilterChainConfig(chain: .http(http), tls: config.listeners[0].filterChains[0].tls)])]
        let server = try await ProxyServer(group: group, config: config, secretProvider: agent)
        let port = try await server.start(config: config)[0].address.port!

        let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.client.certificate, key: mesh.client.key)
        #expect(try await client.exchange(Self.request).hasPrefix("HTTP/1.1 200 OK\r\n"))
        await client.close()
        let stranger = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: other.certificate, key: other.key)
        let refused = try await stranger.exchange(Self.request)
        #expect(refused.hasPrefix("HTTP/1.1 403 Forbidden\r\n") && refused.hasSuffix("RBAC: access denied"), "\(refused)")
        await stranger.close()
        let blocked = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.client.certificate, key: mesh.client.key,
                                              serverName: "blocked.example.com")
        #expect(try await blocked.exchange(Self.request).hasPrefix("HTTP/1.1 403 Forbidden\r\n"))
        await blocked.close()
        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
