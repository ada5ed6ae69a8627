import Crypto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import MeshCA
import SwiftASN1
import Testing
import X509
import XDSAPI
@testable import MeshControlPlane

/// CreateCertificate over real gRPC, on the plaintext port and on the TLS port
/// (15012's role): the caller's token decides which identity may be signed.
@Suite(.serialized) struct CertificateServiceTests {
    static let entry = """
    apiVersion: networking.istio.io/v1
    kind: WorkloadEntry
    metadata: {name: catalog-v1, namespace: shop}
    spec: {address: 127.0.10.9, labels: {app: catalog}, serviceAccount: catalog}
    """

    struct Running {
        let controlPlane: ControlPlane
        let listening: ControlPlane.Listening
        let caDirectory: String
        let tokenDirectory: String
        var token: String { (try? String(contentsOfFile: "\(tokenDirectory)/catalog-v1.shop.token", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        var rootPEM: String { (try? String(contentsOfFile: "\(caDirectory)/root-cert.pem", encoding: .utf8)) ?? "" }
    }

    /// Runs a control plane with the CA for the duration of `body`.
    static func withControlPlane(_ body: (Running) async throws -> Void) async throws {
        let base = NSTemporaryDirectory() + "cp-ca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: "\(base)/config", withIntermediateDirectories: true)
        try entry.write(toFile: "\(base)/config/entry.yaml", atomically: true, encoding: .utf8)
        var options = ControlPlane.Options(configDirectory: "\(base)/config")
        options.xdsPort = 0
        options.httpPort = nil
        var security = ControlPlane.SecurityOptions(caDirectory: "\(base)/ca")
        security.secureXDSPort = 0
        security.workloadTokenDirectory = "\(base)/tokens"
        security.workloadCertTTL = .seconds(3600)
        options.security = security
        let controlPlane = ControlPlane(options: options)
        let (ports, listened) = AsyncStream<ControlPlane.Listening>.makeStream()
        let task = Task { try await controlPlane.run { listened.yield($0) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let listening = await iterator.next() else { throw RPCError(code: .internalError, message: "control plane did not start") }
        try await body(Running(controlPlane: controlPlane, listening: listening, caDirectory: "\(base)/ca", tokenDirectory: "\(base)/tokens"))
    }

    static func csr(_ uri: String, key: P256.Signing.PrivateKey = P256.Signing.PrivateKey()) throws -> String {
        let extensions = try Certificate.Extensions { SubjectAlternativeNames([.uniformResourceIdentifier(uri)]) }
        var attributes = CertificateSigningRequest.Attributes()
        attributes.insert(try .init(ExtensionRequest(extensions: extensions)))
        return try CertificateSigningRequest(version: .v1, subject: DistinguishedName(), privateKey: .init(key), attributes: attributes)
            .serializeAsPEM().pemString
    }

    static func create(port: Int, security: HTTP2ClientTransport.Posix.TransportSecurity = .plaintext, token: String?, csr: String,
                       seconds: Int64 = 0) async throws -> [String] {
        var config = HTTP2ClientTransport.Posix.Config.defaults
        config.http2.authority = "istiod.istio-system.svc"
        return try await withGRPCClient(transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: security, config: config)) { client in
            let ca = Istio_V1_Auth_IstioCertificateService.Client(wrapping: client)
            var request = Istio_V1_Auth_IstioCertificateRequest()
            request.csr = csr
            request.validityDuration = seconds
            var metadata = Metadata()
            if let token { metadata.addString("Bearer \(token)", forKey: "authorization") }
            return try await ca.createCertificate(request, metadata: metadata).certChain
        }
    }

    @Test func signsTheCallersOwnIdentityAndRefusesAForeignOne() async throws {
        try await Self.withControlPlane { running in
            let port = running.listening.xdsPort
            let chain = try await Self.create(port: port, token: running.token, csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/catalog"))
            #expect(chain.count == 2)
            let leaf = try Certificate(pemEncoded: chain[0])
            let root = try Certificate(pemEncoded: running.rootPEM)
            #expect(root.publicKey.isValidSignature(leaf.signature, for: leaf))
            // X.509 times have whole seconds: allow one either way.
            #expect(leaf.notValidAfter.timeIntervalSinceNow > 3500 && leaf.notValidAfter.timeIntervalSinceNow <= 3601)
            let short = try await Self.create(port: port, token: running.token, csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/catalog"), seconds: 5)
            #expect(try Certificate(pemEncoded: short[0]).notValidAfter.timeIntervalSinceNow <= 6)

            await #expect { _ = try await Self.create(port: port, token: running.token, csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/admin")) } throws: { error in
                let rpc = error as? RPCError
                return rpc?.code == .permissionDenied
                    && rpc?.message == "permission denied: the CSR asks for spiffe://cluster.local/ns/shop/sa/admin but the caller is authenticated as spiffe://cluster.local/ns/shop/sa/catalog"
            }
            await #expect { _ = try await Self.create(port: port, token: nil, csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/catalog")) } throws: { error in
                (error as? RPCError)?.code == .unauthenticated
            }
            await #expect { _ = try await Self.create(port: port, token: running.token, csr: "garbage") } throws: { error in
                (error as? RPCError)?.code == .invalidArgument
            }
            // Istio's CA counters on /metrics.
            let metrics = await running.controlPlane.metrics()
            for line in ["citadel_server_csr_count 5", "citadel_server_success_cert_issuance_count 2", "citadel_server_id_extraction_err_count 1",
                         "citadel_server_authentication_failure_count 1", "citadel_server_csr_parsing_err_count 1"] {
                #expect(metrics.contains(line + "\n"), "\(line) missing")
            }
            #expect(metrics.contains("citadel_server_root_cert_expiry_timestamp "))
        }
    }

    @Test func servesTheCAOverTLSVerifiedAgainstTheMeshRoot() async throws {
        try await Self.withControlPlane { running in
            let secure = try #require(running.listening.secureXDSPort)
            let trusted = HTTP2ClientTransport.Posix.TransportSecurity.tls { config in
                config.trustRoots = .certificates([.bytes(Array(running.rootPEM.utf8), format: .pem)])
            }
            let chain = try await Self.create(port: secure, security: trusted, token: running.token,
                                              csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/catalog"))
            #expect(chain.count == 2)
            // A client trusting another root refuses the control plane's certificate.
            let other = try CertificateAuthority.selfSigned()
            let stranger = HTTP2ClientTransport.Posix.TransportSecurity.tls { config in
                config.trustRoots = .certificates([.bytes(Array(other.trustBundlePEM.utf8), format: .pem)])
            }
            await #expect(throws: (any Error).self) {
                _ = try await Self.create(port: secure, security: stranger, token: running.token, csr: try Self.csr("spiffe://cluster.local/ns/shop/sa/catalog"))
            }
        }
    }
}
