import MeshConfig
import MeshSnapshot
import XDSAPI

/// Gateway `credentialName`: the TLS key pair (and for MUTUAL the CA bundle) come
/// from a Kubernetes Secret in the gateway's namespace and reach Envoy over SDS on
/// the ADS stream, under Istio's names `kubernetes://NAME` and
/// `kubernetes://NAME-cacert` (the CA from the same Secret's `ca.crt`, or from a
/// Secret named `NAME-cacert`).
struct GatewayCredentials {
    static let prefix = "kubernetes://"
    static let caSuffix = "-cacert"

    let snapshot: MeshSnapshot
    let namespace: String

    func secret(_ name: String) -> KubeSecret? {
        snapshot.secrets.first { $0.namespace == namespace && $0.name == name }?.spec
    }

    /// The credential's SDS resources, or nil when the Secret is missing or lacks
    /// a key pair (the server is then left out, as a listener waiting for a secret
    /// that never comes would block every other server on it).
    func resources(for credential: String, mutual: Bool) -> [Envoy_Extensions_TransportSockets_Tls_V3_Secret]? {
        let name = Self.stripped(credential)
        guard let secret = secret(name), let chain = secret.certificateChain, let key = secret.privateKey else { return nil }
        var pair = Envoy_Extensions_TransportSockets_Tls_V3_TlsCertificate()
        pair.certificateChain = Self.inline(chain)
        pair.privateKey = Self.inline(key)
        var certificate = Envoy_Extensions_TransportSockets_Tls_V3_Secret()
        certificate.name = Self.prefix + name
        certificate.tlsCertificate = pair
        guard mutual else { return [certificate] }
        guard let ca = secret.caCertificate ?? self.secret(name + Self.caSuffix)?.caCertificate else { return nil }
        var validation = Envoy_Extensions_TransportSockets_Tls_V3_CertificateValidationContext()
        validation.trustedCa = Self.inline(ca)
        var authority = Envoy_Extensions_TransportSockets_Tls_V3_Secret()
        authority.name = Self.prefix + name + Self.caSuffix
        authority.validationContext = validation
        return [certificate, authority]
    }

    static func stripped(_ credential: String) -> String {
        credential.hasPrefix(prefix) ? String(credential.dropFirst(prefix.count)) : credential
    }

    static func inline(_ bytes: [UInt8]) -> Envoy_Config_Core_V3_DataSource {
        var source = Envoy_Config_Core_V3_DataSource()
        source.inlineBytes = .init(bytes)
        return source
    }

    /// A reference to a secret on the ADS stream.
    static func sdsReference(_ name: String) -> Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig {
        var source = Envoy_Config_Core_V3_ConfigSource()
        source.ads = Envoy_Config_Core_V3_AggregatedConfigSource()
        source.resourceApiVersion = .v3
        var reference = Envoy_Extensions_TransportSockets_Tls_V3_SdsSecretConfig()
        reference.name = name
        reference.sdsConfig = source
        return reference
    }
}
