import ProxyCore

/// TLS material with every reference resolved to bytes: what one NIOSSLContext is
/// built from, and its cache key (a rotated secret is new material, hence a new
/// context; equal material on every worker shares one context).
struct TLSMaterial: Hashable, Sendable {
    var isServer: Bool
    /// PEM chain and key; empty for a client without a certificate.
    var chain: [UInt8]
    var privateKey: [UInt8]
    /// PEM roots the peer is verified against; empty: the peer is not verified.
    var roots: [UInt8]
    var requirePeerCertificate: Bool
    var alpn: [String]
}

/// What is wrong with a TLS context's material; the chain or cluster that needs
/// it is unusable until the next update fixes it.
struct TLSMaterialError: Error, CustomStringConvertible, Sendable {
    let description: String
}

/// Resolves TLS configs against the secrets known now: SDS-over-ADS secrets from
/// the config, agent secrets from the SecretProvider, files read from disk.
struct TLSMaterialResolver {
    let adsSecrets: [String: TLSSecret]
    let provider: (any SecretProvider)?

    func secret(_ reference: SDSSecretReference) throws(TLSMaterialError) -> TLSSecret {
        let found: TLSSecret?
        switch reference.source {
        case .ads: found = adsSecrets[reference.name]
        case .agent: found = provider?.secret(named: reference.name)
        }
        guard let found else {
            throw TLSMaterialError(description: "secret \"\(reference.name)\" (\(reference.source == .ads ? "ADS" : "sds-grpc")) is not available yet")
        }
        return found
    }

    func bytes(_ source: TLSDataSource) throws(TLSMaterialError) -> [UInt8] {
        switch source {
        case .inline(let bytes): return bytes
        case .file(let path):
            guard let bytes = FileBytes.read(path) else { throw TLSMaterialError(description: "cannot read \(path)") }
            return bytes
        }
    }

    /// The certificate pair to present: the first inline one, else the first SDS one.
    func certificate(_ common: TLSContextConfig) throws(TLSMaterialError) -> (chain: [UInt8], key: [UInt8])? {
        if let pair = common.certificates.first { return (try bytes(pair.chain), try bytes(pair.privateKey)) }
        guard let reference = common.certificateSecrets.first else { return nil }
        guard case .certificate(let pair) = try secret(reference) else {
            throw TLSMaterialError(description: "secret \"\(reference.name)\" holds no tls_certificate")
        }
        return (try bytes(pair.chain), try bytes(pair.privateKey))
    }

    /// Roots (PEM, concatenated) and SAN matchers: the inline context's and the SDS one's.
    func validation(_ common: TLSContextConfig) throws(TLSMaterialError) -> (roots: [UInt8], subjectAltNames: [SubjectAltNameMatcher])? {
        guard let validation = common.validation else { return nil }
        var roots = try validation.trustedCA.map { source throws(TLSMaterialError) in try bytes(source) } ?? []
        var matchers = validation.subjectAltNames
        if let reference = validation.rootsSecret {
            guard case .validation(let trusted, let names) = try secret(reference) else {
                throw TLSMaterialError(description: "secret \"\(reference.name)\" holds no validation_context")
            }
            if let trusted {
                if !roots.isEmpty, roots.last != UInt8(ascii: "\n") { roots.append(UInt8(ascii: "\n")) }
                roots += try bytes(trusted)
            }
            matchers += names
        }
        return (roots, matchers)
    }
}
