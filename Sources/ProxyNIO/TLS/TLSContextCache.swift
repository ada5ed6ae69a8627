import NIOSSL
import ProxyCore
import Synchronization

/// NIOSSLContexts by material, shared by every worker: a context is built once per
/// distinct material (a new secret version, a new file content) and reused while
/// configs keep naming it. Contexts no config used in the last generation are
/// dropped; connections that hold one keep it alive as long as they need it.
final class TLSContextCache: Sendable {
    struct Entry: Sendable {
        let context: NIOSSLContext
        /// The first URI SAN of the certificate it presents (`%DOWNSTREAM_LOCAL_URI_SAN%`).
        let localURISAN: String
        var generation: Int
    }

    private let state = Mutex<(generation: Int, entries: [TLSMaterial: Entry])>((0, [:]))

    func context(for material: TLSMaterial) throws(TLSMaterialError) -> Entry {
        if let entry = state.withLock({ state -> Entry? in
            guard state.entries[material] != nil else { return nil }
            state.entries[material]!.generation = state.generation
            return state.entries[material]
        }) {
            return entry
        }
        let built = try Self.build(material)
        return state.withLock { state in
            let entry = Entry(context: built.context, localURISAN: built.localURISAN, generation: state.generation)
            state.entries[material] = entry
            return entry
        }
    }

    /// Starts a new config generation; returns its number.
    func beginGeneration() -> Int {
        state.withLock { state in
            state.generation += 1
            return state.generation
        }
    }

    /// Forgets contexts the generation did not use.
    func dropUnused(since generation: Int) {
        state.withLock { state in state.entries = state.entries.filter { $0.value.generation >= generation } }
    }

    static func build(_ material: TLSMaterial) throws(TLSMaterialError) -> (context: NIOSSLContext, localURISAN: String) {
        do {
            let chain = material.chain.isEmpty ? [] : try NIOSSLCertificate.fromPEMBytes(material.chain)
            let key = material.privateKey.isEmpty ? nil : try NIOSSLPrivateKey(bytes: material.privateKey, format: .pem)
            var configuration: TLSConfiguration
            if material.isServer {
                guard let key, !chain.isEmpty else { throw TLSMaterialError(description: "a server TLS context needs a certificate and key") }
                configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            } else {
                configuration = TLSConfiguration.makeClientConfiguration()
                if let key, !chain.isEmpty {
                    configuration.certificateChain = chain.map { .certificate($0) }
                    configuration.privateKey = .privateKey(key)
                }
            }
            if material.roots.isEmpty {
                configuration.certificateVerification = .none
            } else {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(material.roots))
                // Envoy checks names only through SAN matchers (checked after the
                // handshake), never the SNI against the certificate.
                configuration.certificateVerification = material.isServer && !material.requirePeerCertificate
                    ? .optionalVerification : .noHostnameVerification
            }
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = material.alpn
            let localURISAN = chain.first.flatMap { SubjectAltNames.of($0).first { $0.kind == .uri }?.value } ?? ""
            return (try NIOSSLContext(configuration: configuration), localURISAN)
        } catch let error as TLSMaterialError {
            throw error
        } catch {
            throw TLSMaterialError(description: "invalid TLS material: \(error)")
        }
    }
}
