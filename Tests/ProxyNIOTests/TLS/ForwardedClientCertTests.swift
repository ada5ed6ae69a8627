import Foundation
import NIOCore
import NIOPosix
import ProxyCore
import Testing
@testable import ProxyNIO

/// `x-forwarded-client-cert` written from the verified peer certificate:
/// APPEND_FORWARD (Istio's sidecar inbound) adds this hop after the caller's
/// elements, SANITIZE_SET (Istio's gateways) replaces them; a caller without a
/// certificate gets its header removed under both.
@Suite(.serialized, .enabled(if: TestCertificates.available, "needs the openssl CLI"))
struct ForwardedClientCertTests {
    static let request = "GET /xfcc HTTP/1.1\r\nHost: svc\r\nx-forwarded-client-cert: By=spiffe://a;URI=spiffe://b\r\n\r\n"

    /// The echoed `x-forwarded-client-cert` lines the upstream received.
    static func forwarded(_ response: String) -> [String] {
        response.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("x-forwarded-client-cert:") }
    }

    /// SHA-256 of the certificate's DER, lower-case hex, as openssl prints the fingerprint.
    static func sha256(_ certificate: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["x509", "-noout", "-fingerprint", "-sha256", "-in", certificate]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let value = output.split(separator: "=", maxSplits: 1).last ?? ""
        return value.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    func serve(_ mode: HTTPConnectionConfig.ForwardClientCert, details: ClientCertDetails, requireClient: Bool,
               _ body: (_ port: Int, _ group: any EventLoopGroup, _ mesh: TLSTestMesh) async throws -> Void) async throws {
        let mesh = try TLSTestMesh()
        defer { withExtendedLifetime(mesh) {} }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await TestUpstream.start(group: group)
        let tls = DownstreamTLSConfig(common: TLSContextConfig(
            certificates: [TLSCertificatePair(chain: .file(mesh.server.certificate), privateKey: .file(mesh.server.key))],
            validation: TLSContextConfig.Validation(trustedCA: .file(mesh.root))), requireClientCertificate: requireClient)
        var config = EmbeddedProxy.config(endpoints: [EndpointSet.Endpoint(host: "127.0.0.1", port: upstream.localAddress!.port!)])
        guard case .http(var http) = config.listeners[0].chain else { fatalError("EmbeddedProxy's listener is HTTP") }
        http.forwardClientCert = mode
        http.clientCertDetails = details
        config.listeners = [ListenerConfig(name: "https", host: "127.0.0.1", port: 0, direction: .inbound,
                                           filterChains: [FilterChainConfig(chain: .http(http), tls: tls)])]
        let server = try await ProxyServer(group: group, config: config)
        let port = try await server.start(config: config)[0].address.port!
        try await body(port, group, mesh)
        try await server.shutdown()
        try await upstream.close()
        try await group.shutdownGracefully()
    }

    @Test func appendForwardAddsThisHopAfterTheCallers() async throws {
        try await serve(.appendForward, details: [.subject, .uri, .dns], requireClient: true) { port, group, mesh in
            let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.client.certificate, key: mesh.client.key)
            let response = try await client.exchange(Self.request)
            await client.close()
            let hash = try Self.sha256(mesh.client.certificate)
            #expect(hash.count == 64)
            #expect(Self.forwarded(response) == ["x-forwarded-client-cert: By=spiffe://a;URI=spiffe://b,By=\(TLSTestMesh.serverSAN);Hash=\(hash);"
                + "Subject=\"O=mesh\";URI=\(TLSTestMesh.clientSAN)"])
        }
    }

    @Test func sanitizeSetReplacesTheCallersWithTheCertificate() async throws {
        try await serve(.sanitizeSet, details: [.subject, .cert, .uri, .dns], requireClient: true) { port, group, mesh in
            let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root, certificate: mesh.client.certificate, key: mesh.client.key)
            let response = try await client.exchange(Self.request)
            await client.close()
            let pem = try String(contentsOfFile: mesh.client.certificate, encoding: .utf8)
            let encoded = pem.replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: " ", with: "%20")
                .replacingOccurrences(of: "+", with: "%2B").replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "=", with: "%3D")
            #expect(Self.forwarded(response) == ["x-forwarded-client-cert: By=\(TLSTestMesh.serverSAN);Hash=\(try Self.sha256(mesh.client.certificate));"
                + "Cert=\"\(encoded)\";Subject=\"O=mesh\";URI=\(TLSTestMesh.clientSAN)"])
        }
    }

    @Test func callersWithoutACertificateLoseTheHeader() async throws {
        for mode in [HTTPConnectionConfig.ForwardClientCert.appendForward, .sanitizeSet] {
            try await serve(mode, details: [.subject, .uri], requireClient: false) { port, group, mesh in
                let client = try await TLSTestClient(group: group, port: port, trusting: mesh.root)
                let response = try await client.exchange(Self.request)
                await client.close()
                #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
                #expect(Self.forwarded(response).isEmpty, "\(mode)")
            }
        }
    }
}
