import NIOSSL
import ProxyCore

/// A filter chain's TLS termination as of the config (and secrets) in force: the
/// context new connections get, or why there is none (the chain then refuses
/// connections until an update brings the material, as Envoy keeps such a
/// listener warming).
struct DownstreamTLSRuntime {
    let context: NIOSSLContext?
    let failure: String?
    let subjectAltNames: [SubjectAltNameMatcher]
    let localURISAN: String
}

/// A cluster's (or one endpoint's, by transport_socket_matches) TLS origination.
struct UpstreamTLSRuntime {
    let context: NIOSSLContext?
    let failure: String?
    let serverName: String?
    let subjectAltNames: [SubjectAltNameMatcher]
    /// The client certificate's first URI SAN (Istio's source principal).
    var localURISAN = ""
}

extension UpstreamTLSRuntime {
    /// Whether connections made with `other` are as good as ones made with this
    /// (same context, name and checks); otherwise pooled connections are retired.
    static func same(_ a: UpstreamTLSRuntime?, _ b: UpstreamTLSRuntime?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.context === b.context && a.failure == b.failure && a.serverName == b.serverName
            && a.subjectAltNames.count == b.subjectAltNames.count
            && zip(a.subjectAltNames, b.subjectAltNames).allSatisfy { $0.sameAs($1) }
    }
}

extension TLSMaterialResolver {
    func downstream(_ config: DownstreamTLSConfig, cache: TLSContextCache) -> DownstreamTLSRuntime {
        do throws(TLSMaterialError) {
            guard let certificate = try certificate(config.common) else { throw TLSMaterialError(description: "no certificate") }
            let validation = try validation(config.common)
            let material = TLSMaterial(isServer: true, chain: certificate.chain, privateKey: certificate.key, roots: validation?.roots ?? [],
                                       requirePeerCertificate: config.requireClientCertificate, alpn: config.common.alpnProtocols)
            let entry = try cache.context(for: material)
            return DownstreamTLSRuntime(context: entry.context, failure: nil, subjectAltNames: validation?.subjectAltNames ?? [],
                                        localURISAN: entry.localURISAN)
        } catch {
            return DownstreamTLSRuntime(context: nil, failure: error.description, subjectAltNames: [], localURISAN: "")
        }
    }

    func upstream(_ config: UpstreamTLSConfig, cache: TLSContextCache) -> UpstreamTLSRuntime {
        let serverName = config.serverName.isEmpty || IPAddress(config.serverName) != nil ? nil : config.serverName
        do throws(TLSMaterialError) {
            let certificate = try certificate(config.common)
            let validation = try validation(config.common)
            let material = TLSMaterial(isServer: false, chain: certificate?.chain ?? [], privateKey: certificate?.key ?? [],
                                       roots: validation?.roots ?? [], requirePeerCertificate: true, alpn: config.common.alpnProtocols)
            let entry = try cache.context(for: material)
            return UpstreamTLSRuntime(context: entry.context, failure: nil, serverName: serverName,
                                      subjectAltNames: validation?.subjectAltNames ?? [], localURISAN: entry.localURISAN)
        } catch {
            return UpstreamTLSRuntime(context: nil, failure: error.description, serverName: serverName, subjectAltNames: [])
        }
    }
}
