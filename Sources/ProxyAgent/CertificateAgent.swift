#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The thin async driver of CertificateAgentStateMachine: performs its actions
/// (CSR + CA call, install, wait) and hands each installed certificate to the
/// in-process sinks and to every `updates()` subscriber (the SDS streams).
public actor CertificateAgent {
    public struct Configuration: Sendable {
        /// The SPIFFE ID to ask for (`spiffe://<td>/ns/<ns>/sa/<sa>`).
        public var identity: String
        public var keyType: WorkloadCSR.KeyType = .ecdsaP256
        /// Requested lifetime in seconds; 0 lets the CA choose (24 h by default).
        public var validitySeconds: Int64 = 0
        /// The mesh roots file, re-read at each install so a rotated bundle is served.
        public var rootsPath: String?
        public var ca: CAClient
        public var machine = CertificateAgentStateMachine.Config()

        public init(identity: String, ca: CAClient) {
            self.identity = identity
            self.ca = ca
        }
    }

    public let configuration: Configuration
    private var machine: CertificateAgentStateMachine
    private var current: WorkloadSecrets?
    private var sinks: [any WorkloadSecretSink] = []
    private var subscribers: [Int: AsyncStream<WorkloadSecrets>.Continuation] = [:]
    private var nextSubscriber = 0
    private let log: AgentLog

    public init(configuration: Configuration, log: @escaping AgentLog) {
        self.configuration = configuration
        machine = CertificateAgentStateMachine(config: configuration.machine)
        self.log = log
    }

    public var secrets: WorkloadSecrets? { current }

    public func add(sink: any WorkloadSecretSink) async {
        sinks.append(sink)
        if let current { await sink.secretsChanged(current) }
    }

    /// The current secrets (when there are any), then every later install.
    public func updates() -> AsyncStream<WorkloadSecrets> {
        let (stream, continuation) = AsyncStream<WorkloadSecrets>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = nextSubscriber
        nextSubscriber += 1
        subscribers[id] = continuation
        if let current { continuation.yield(current) }
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: Int) { subscribers.removeValue(forKey: id) }

    /// Runs until cancelled.
    public func run() async {
        var random = SystemRandomNumberGenerator()
        var actions = machine.start()
        var received: (CAClient.Response, WorkloadCSR)?
        while !Task.isCancelled, !actions.isEmpty {
            let action = actions.removeFirst()
            switch action {
            case .request:
                do {
                    let csr = try WorkloadCSR(identity: configuration.identity, keyType: configuration.keyType)
                    let response = try await configuration.ca.createCertificate(csrPEM: csr.csrPEM, validitySeconds: configuration.validitySeconds)
                    received = (response, csr)
                    actions += machine.issued(.init(notBefore: response.notBefore, notAfter: response.notAfter), now: Self.now(), random: &random)
                } catch {
                    log(.warning, "agent: certificate request for \(configuration.identity) to \(configuration.ca.host):\(configuration.ca.port) failed: \(error)")
                    actions += machine.failed(now: Self.now(), random: &random)
                }
            case .install:
                guard let (response, csr) = received else { continue }
                await install(response, key: csr.privateKeyPEM)
            case .wait(let until):
                // In steps, so a changed roots file (root rotation) is served within seconds.
                while !Task.isCancelled, Self.now() < until {
                    try? await Task.sleep(for: .milliseconds(Int64(min(until - Self.now(), Self.rootsPollSeconds) * 1000)))
                    await refreshRoots()
                }
                actions += machine.timerFired(now: Self.now())
            case .expired:
                log(.warning, "agent: the certificate for \(configuration.identity) expired before it could be renewed")
            }
        }
        for continuation in subscribers.values { continuation.finish() }
    }

    static let rootsPollSeconds = 1.0
    private var lastResponse: CAClient.Response?

    /// Re-publishes the current certificate with the roots file's new content.
    private func refreshRoots() async {
        guard let response = lastResponse, let current, configuration.rootsPath != nil else { return }
        let bundle = trustBundle(response.chainPEM)
        guard bundle != current.trustBundlePEM else { return }
        log(.info, "agent: the mesh roots changed; serving the new trust bundle")
        var refreshed = current
        refreshed.trustBundlePEM = bundle
        refreshed.generation += 1
        await publish(refreshed)
    }

    /// The roots file (when given) plus the root the CA's chain ends at.
    private func trustBundle(_ chain: [String]) -> String {
        var bundle = configuration.rootsPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        if let root = chain.last, chain.count > 1, !bundle.contains(root.trimmingWhitespace()) {
            bundle = root.trimmingWhitespace() + "\n" + bundle
        }
        return bundle
    }

    private func publish(_ secrets: WorkloadSecrets) async {
        current = secrets
        for sink in sinks { await sink.secretsChanged(secrets) }
        for continuation in subscribers.values { continuation.yield(secrets) }
    }

    private func install(_ response: CAClient.Response, key: String) async {
        let chain = response.chainPEM
        // `default` carries leaf + intermediates; the root goes to ROOTCA.
        let certificates = chain.count > 1 ? Array(chain.dropLast()) : chain
        var secrets = WorkloadSecrets(certificateChainPEM: certificates.map { $0.trimmingWhitespace() + "\n" }.joined(),
                                      privateKeyPEM: key, trustBundlePEM: trustBundle(chain), identity: configuration.identity,
                                      notAfter: response.notAfter, generation: (current?.generation ?? 0) + 1)
        secrets.serialNumber = response.serialNumber
        lastResponse = response
        let renew = machine.renewAt.map { Self.tenths($0 - Self.now()) } ?? "?"
        log(.info, "agent: installed certificate \(secrets.generation) for \(configuration.identity), valid \(Int(response.notAfter - Self.now())) s, renewing in \(renew) s")
        await publish(secrets)
    }

    /// Wall-clock seconds since 1970.
    public static func now() -> Double { Date().timeIntervalSince1970 }

    /// `12.3`: one decimal, for log lines.
    static func tenths(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }
}
