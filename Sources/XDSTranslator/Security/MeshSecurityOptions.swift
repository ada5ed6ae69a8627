import MeshConfig

/// What the mesh's proxies can do for security (translator input), and the
/// security settings of Istio's MeshConfig in force (filled from the snapshot's
/// `istio` ConfigMap for each translation).
public struct MeshSecurityOptions: Sendable, Hashable {
    /// MeshConfig `pathNormalization.normalization`: how the HTTP connection manager
    /// normalises paths before routing and authorization.
    enum PathNormalization: String, Sendable, Hashable, CaseIterable {
        /// No normalisation at all.
        case none = "NONE"
        /// RFC 3986 normalisation (`.` / `..` segments, percent-decoding of
        /// unreserved characters): Istio's DEFAULT.
        case base = "BASE"
        /// BASE plus merging of adjacent slashes.
        case mergeSlashes = "MERGE_SLASHES"
        /// MERGE_SLASHES plus decoding of `%2F`, `%2f`, `%5C`, `%5c` (then merging).
        case decodeAndMergeSlashes = "DECODE_AND_MERGE_SLASHES"
    }

    /// Proxies hold workload certificates (SDS secrets `default` and `ROOTCA` from
    /// their agent, cluster `sds-grpc`). Without a mesh CA there is nothing to serve
    /// them: PeerAuthentication, ISTIO_MUTUAL and auto-mTLS are then not translated
    /// (traffic stays plaintext), since a TLS context waiting for a secret that
    /// never comes would never become ready.
    public var mutualTLS: Bool
    /// AuthorizationPolicy and RequestAuthentication become RBAC / jwt_authn
    /// filters. Off only for data planes that do not implement those filters.
    public var authorization: Bool
    /// A trust domain set outside MeshConfig (e.g. the control plane's
    /// `--trust-domain`, which its CA signs for); wins over MeshConfig's.
    public var trustDomainOverride: String?

    /// The trust domain in force: the override, else MeshConfig `trustDomain`.
    var trustDomain = IstioMeshConfig.defaultTrustDomain
    /// MeshConfig `enableAutoMtls` (default true).
    var enableAutoMTLS = true
    var pathNormalization = PathNormalization.base

    public init(mutualTLS: Bool = true, authorization: Bool = true) {
        self.mutualTLS = mutualTLS
        self.authorization = authorization
    }

    /// These options with the MeshConfig's security settings.
    func applying(_ mesh: IstioMeshConfig) -> MeshSecurityOptions {
        var result = self
        result.trustDomain = trustDomainOverride.flatMap { $0.isEmpty ? nil : $0 } ?? mesh.effectiveTrustDomain
        result.enableAutoMTLS = mesh.enableAutoMtls ?? true
        switch mesh.pathNormalization?.normalization {
        case .none?: result.pathNormalization = .none
        case .mergeSlashes?: result.pathNormalization = .mergeSlashes
        case .decodeAndMergeSlashes?: result.pathNormalization = .decodeAndMergeSlashes
        case .base?, .default?, nil: result.pathNormalization = .base
        }
        return result
    }
}
