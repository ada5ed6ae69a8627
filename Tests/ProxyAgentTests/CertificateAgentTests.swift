import Crypto
import Synchronization
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftASN1
import SwiftProtobuf
import Testing
import X509
import XDSAPI
@testable import ProxyAgent
import EnvoyAgent

/// The agent's driver against a real gRPC CA (a small one signing with a test
/// root) and its SDS server over a real Unix socket.
@Suite(.serialized) struct CertificateAgentTests {
    /// Signs whatever it is sent for `seconds`, recording the CSRs and tokens it saw.
    final class TestCA: Istio_V1_Auth_IstioCertificateService.ServiceProtocol, Sendable {
        let key = P256.Signing.PrivateKey()
        let root: Certificate
        let seconds: Double
        let seen = Mutex<[(csr: String, authorization: String)]>([])

        init(seconds: Double) throws {
            self.seconds = seconds
            let name = try DistinguishedName { CommonName("test root") }
            root = try Certificate(version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: Date().addingTimeInterval(-60),
                                   notValidAfter: Date().addingTimeInterval(3600), issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                                   extensions: try Certificate.Extensions { Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil)) },
                                   issuerPrivateKey: .init(key))
        }

        func createCertificate(request: ServerRequest<Istio_V1_Auth_IstioCertificateRequest>, context: ServerContext) async throws
            -> ServerResponse<Istio_V1_Auth_IstioCertificateResponse> {
            seen.withLock { $0.append((request.message.csr, request.metadata[stringValues: "authorization"].first { _ in true } ?? "")) }
            let csr = try CertificateSigningRequest(pemEncoded: request.message.csr)
            let leaf = try Certificate(version: .v3, serialNumber: .init(), publicKey: csr.publicKey, notValidBefore: Date(),
                                       notValidAfter: Date().addingTimeInterval(seconds), issuer: root.subject, subject: DistinguishedName(),
                                       signatureAlgorithm: .ecdsaWithSHA256, extensions: try csr.attributes.extensionRequest?.extensions ?? .init(),
                                       issuerPrivateKey: .init(key))
            var response = Istio_V1_Auth_IstioCertificateResponse()
            response.certChain = [try leaf.serializeAsPEM().pemString, try root.serializeAsPEM().pemString]
            return ServerResponse(message: response)
        }
    }

    actor Sink: WorkloadSecretSink {
        var received: [WorkloadSecrets] = []
        func secretsChanged(_ secrets: WorkloadSecrets) async { received.append(secrets) }
    }

    @Test func requestsRenewsPublishesAndServesSDS() async throws {
        let ca = try TestCA(seconds: 2)
        let server = GRPCServer(transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext), services: [ca])
        let directory = NSTemporaryDirectory() + "agent-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "token-1\n".write(toFile: "\(directory)/token", atomically: true, encoding: .utf8)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let port = try await server.transport.listeningAddress.ipv4?.port ?? 0
            let agent = CertificateAgent(configuration: .init(identity: "spiffe://cluster.local/ns/shop/sa/catalog",
                                                              ca: CAClient(host: "127.0.0.1", port: port, trustedRootsPEM: nil, tokenPath: "\(directory)/token")),
                                         log: { _, _ in })
            let sink = Sink()
            await agent.add(sink: sink)
            let sds = try SDSServer(socketPath: "\(directory)/workload-spiffe-uds/socket", agent: agent, log: { _, _ in })
            group.addTask { await agent.run() }
            group.addTask { try await sds.serve() }
            try await sds.listening()

            // Envoy's side of SDS: ask for `default`, ACK, and wait for a pushed renewal.
            let versions = try await withGRPCClient(transport: .http2NIOPosix(target: .unixDomainSocket(path: sds.socketPath), transportSecurity: .plaintext)) { client in
                let secrets = Envoy_Service_Secret_V3_SecretDiscoveryService.Client(wrapping: client)
                let (requests, continuation) = AsyncStream<Envoy_Service_Discovery_V3_DiscoveryRequest>.makeStream()
                let first = {
                    var request = Envoy_Service_Discovery_V3_DiscoveryRequest()
                    request.resourceNames = ["default"]
                    request.typeURL = SDSStream.typeURL
                    return request
                }()
                continuation.yield(first)
                return try await secrets.streamSecrets(requestProducer: { writer in
                    for await request in requests { try await writer.write(request) }
                }) { response in
                    var versions: [String] = []
                    for try await message in response.messages {
                        let secret = try Envoy_Extensions_TransportSockets_Tls_V3_Secret(unpackingAny: message.resources[0])
                        let leaf = try Certificate(pemEncoded: String(decoding: secret.tlsCertificate.certificateChain.inlineBytes, as: UTF8.self))
                        #expect(try leaf.extensions.subjectAlternativeNames.map(Array.init) == [.uniformResourceIdentifier("spiffe://cluster.local/ns/shop/sa/catalog")])
                        // The key served is the key of the certificate served.
                        let key = try Certificate.PrivateKey(pemEncoded: String(decoding: secret.tlsCertificate.privateKey.inlineBytes, as: UTF8.self))
                        #expect(key.publicKey == leaf.publicKey)
                        versions.append(message.versionInfo)
                        var ack = first
                        ack.versionInfo = message.versionInfo
                        ack.responseNonce = message.nonce
                        continuation.yield(ack)
                        if versions.count == 2 { continuation.finish(); break }
                    }
                    return versions
                }
            }
            #expect(versions.count == 2 && versions[0] != versions[1])
            let received = await sink.received
            #expect(received.count >= 2)
            #expect(received.map(\.generation) == Array(1...received.count))
            let calls = ca.seen.withLock { $0 }
            #expect(calls.allSatisfy { $0.authorization == "Bearer token-1" })
            // A new key per certificate, never sent: the CSR carries only its public half.
            #expect(Set(received.map(\.privateKeyPEM)).count == received.count)
            #expect(calls.allSatisfy { !$0.csr.contains("PRIVATE KEY") })
            sds.shutdown()
            server.beginGracefulShutdown()
            group.cancelAll()
        }
    }

    @Test func failedRequestsAreRetried() async throws {
        // Nothing listens on this port at first: the agent backs off and keeps trying.
        let port = try freePort()
        let agent = CertificateAgent(configuration: .init(identity: "spiffe://cluster.local/ns/shop/sa/catalog",
                                                          ca: CAClient(host: "127.0.0.1", port: port, trustedRootsPEM: nil, tokenPath: nil)),
                                     log: { _, _ in })
        let ca = try TestCA(seconds: 60)
        let server = GRPCServer(transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext), services: [ca])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await agent.run() }
            try await Task.sleep(for: .seconds(1))
            #expect(await agent.secrets == nil)
            group.addTask { try await server.serve() }
            let deadline = ContinuousClock.now + .seconds(10)
            while await agent.secrets == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(await agent.secrets?.generation == 1)
            server.beginGracefulShutdown()
            group.cancelAll()
        }
    }

    func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 ? getsockname(fd, $0, &length) : -1 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
