/// The security part of Istio's MeshConfig, plus what the mesh can actually do.
/// Part of the translator's input (nothing is read from the environment).
public struct MeshSecurityOptions: Sendable, Hashable {
    /// MeshConfig `pathNormalization.normalization`: how the HTTP connection manager
    /// normalises paths before routing and authorization.
    public enum PathNormalization: String, Sendable, Hashable, CaseIterable {
        /// No normalisation at all (Istio: NONE).
        case none = "NONE"
        /// RFC 3986 normalisation (`.` / `..` segments, percent-decoding of unreserved
        /// characters): Istio's DEFAULT and BASE.
        case base = "BASE"
        /// BASE plus merging of adjacent slashes.
        case mergeSlashes = "MERGE_SLASHES"
        /// MERGE_SLASHES plus decoding of `%2F`, `%2f`, `%5C`, `%5c` (then merging).
        case decodeAndMergeSlashes = "DECODE_AND_MERGE_SLASHES"

        /// Istio accepts DEFAULT as BASE.
        public init?(meshConfig value: String) {
            if value.uppercased() == "DEFAULT" { self = .base; return }
            self.init(rawValue: value.uppercased())
        }
    }

    /// MeshConfig `trustDomain`: SPIFFE ids are `spiffe://<trustDomain>/ns/<ns>/sa/<sa>`.
    public var trustDomain: String
    /// MeshConfig `enableAutoMtls`: mTLS to endpoints with a sidecar when no
    /// DestinationRule sets `tls`.
    public var enableAutoMTLS: Bool
    public var pathNormalization: PathNormalization
    /// Proxies hold workload certificates (SDS secrets `default` and `ROOTCA` from
    /// their agent). Off when no mesh CA serves them: PeerAuthentication,
    /// ISTIO_MUTUAL and auto-mTLS are then not translated (traffic stays plaintext),
    /// since a TLS context without a secret would never become ready.
    public var mutualTLS: Bool
    /// AuthorizationPolicy and RequestAuthentication become RBAC / jwt_authn filters.
    /// Off only for data planes that do not implement those filters yet.
    public var authorization: Bool

    public init(trustDomain: String = "cluster.local", enableAutoMTLS: Bool = true, pathNormalization: PathNormalization = .base,
                mutualTLS: Bool = true, authorization: Bool = true) {
        self.trustDomain = trustDomain
        self.enableAutoMTLS = enableAutoMTLS
        self.pathNormalization = pathNormalization
        self.mutualTLS = mutualTLS
        self.authorization = authorization
    }
}
