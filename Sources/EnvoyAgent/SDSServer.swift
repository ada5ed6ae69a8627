import Foundation
import ProxyAgent
import GRPCCore
import GRPCNIOTransportHTTP2
import XDSAPI

/// pilot-agent's SDS server for stock Envoy: `StreamSecrets` on a Unix socket
/// (`<run dir>/workload-spiffe-uds/socket`), answering `default` and `ROOTCA` from
/// the certificate agent and pushing each renewed certificate on open streams.
public final class SDSServer: Sendable {
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    public let socketPath: String

    public init(socketPath: String, agent: CertificateAgent, log: @escaping AgentLog) throws {
        // sockaddr_un.sun_path holds 108 bytes; a longer path fails late and obscurely.
        guard socketPath.utf8.count < 108 else {
            throw AgentError("SDS socket path \(socketPath) is \(socketPath.utf8.count) bytes; Unix sockets allow at most 107 (use a shorter run directory)")
        }
        let directory = (socketPath as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? FileManager.default.removeItem(atPath: socketPath)
        self.socketPath = socketPath
        server = GRPCServer(transport: .http2NIOPosix(address: .unixDomainSocket(path: socketPath), transportSecurity: .plaintext),
                            services: [SecretDiscoveryService(agent: agent, log: log)])
    }

    public func serve() async throws { try await server.serve() }

    /// Returns once the socket is listening.
    public func listening() async throws { _ = try await server.transport.listeningAddress }

    public func shutdown() { server.beginGracefulShutdown() }
}

struct SecretDiscoveryService: Envoy_Service_Secret_V3_SecretDiscoveryService.SimpleServiceProtocol {
    let agent: CertificateAgent
    let log: AgentLog

    /// Requests and certificate updates feed one SDSStream value; one loop writes.
    enum Input: Sendable {
        case request(Envoy_Service_Discovery_V3_DiscoveryRequest)
        case secrets(WorkloadSecrets)
    }

    func streamSecrets(request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DiscoveryRequest, any Error>,
                       response: RPCWriter<Envoy_Service_Discovery_V3_DiscoveryResponse>, context: ServerContext) async throws {
        let (inputs, continuation) = AsyncStream<Input>.makeStream()
        let updates = await agent.updates()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for try await message in request { continuation.yield(.request(message)) }
                continuation.finish()
            }
            group.addTask {
                for await secrets in updates { continuation.yield(.secrets(secrets)) }
            }
            var stream = SDSStream()
            for await input in inputs {
                switch input {
                case .request(let message):
                    let (reply, events) = stream.received(message)
                    for event in events {
                        switch event {
                        case .nack(let version, let error): log(.warning, "sds: Envoy rejected secrets version \(version): \(error)")
                        case .unknownSecret(let name): log(.warning, "sds: Envoy asked for secret \(name); only default and ROOTCA are served")
                        case .ack: break
                        }
                    }
                    if let reply { try await response.write(reply) }
                case .secrets(let secrets):
                    if let push = stream.secretsChanged(secrets) { try await response.write(push) }
                }
            }
            group.cancelAll()
        }
    }

    func deltaSecrets(request: RPCAsyncSequence<Envoy_Service_Discovery_V3_DeltaDiscoveryRequest, any Error>,
                      response: RPCWriter<Envoy_Service_Discovery_V3_DeltaDiscoveryResponse>, context: ServerContext) async throws {
        throw RPCError(code: .unimplemented, message: "this agent serves SDS as StreamSecrets (state of the world)")
    }

    func fetchSecrets(request: Envoy_Service_Discovery_V3_DiscoveryRequest, context: ServerContext) async throws -> Envoy_Service_Discovery_V3_DiscoveryResponse {
        guard let secrets = await agent.secrets else { throw RPCError(code: .unavailable, message: "no certificate yet") }
        var stream = SDSStream()
        _ = stream.secretsChanged(secrets)
        return stream.received(request).0 ?? Envoy_Service_Discovery_V3_DiscoveryResponse()
    }
}
