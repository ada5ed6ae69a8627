import MeshConfig
import MeshRegistry

/// One consistent, immutable, indexed view of the mesh: the config in force and the
/// service registry. Rebuilt on change; everything the translator reads comes from
/// here (and the proxy), which makes translation pure and cacheable.
public struct MeshSnapshot: Sendable {
    public let version: Int
    public let registry: ServiceRegistry
    public let rootNamespace: String
    public let virtualServices: [Scoped<VirtualService>]
    public let destinationRules: [Scoped<DestinationRule>]
    public let gateways: [Scoped<Gateway>]
    public let sidecars: [Scoped<Sidecar>]
    public let peerAuthentications: [Scoped<PeerAuthentication>]
    public let authorizationPolicies: [Scoped<AuthorizationPolicy>]
    public let requestAuthentications: [Scoped<RequestAuthentication>]
    public let telemetries: [Scoped<Telemetry>]
    /// Kubernetes Secrets, for gateways' `credentialName`.
    public let secrets: [Scoped<KubeSecret>]
    /// Istio's MeshConfig from ConfigMap `istio` (key `mesh`) in the root namespace;
    /// Istio's defaults when there is none. A ConfigMap that does not parse is
    /// rejected by validation, so it never reaches a snapshot.
    public let meshConfig: IstioMeshConfig
    public let objects: [ConfigObject]
    /// JWKS documents fetched for RequestAuthentication `jwksUri`s, by URI; a URI
    /// not here has not been fetched (yet).
    public var jwks: [String: JWKSFetch] = [:]

    public init(version: Int, objects: [ConfigObject], rootNamespace: String = "istio-system", registrations: [AutoRegistration] = []) {
        self.version = version
        self.objects = objects
        self.rootNamespace = rootNamespace
        registry = ServiceRegistry(objects, registrations: registrations)
        func collect<T>(_ extract: (ConfigSpec) -> T?) -> [Scoped<T>] {
            objects.compactMap { object in extract(object.spec).map { Scoped(name: object.name, namespace: object.namespace, spec: $0) } }
                .sorted { $0.key < $1.key }
        }
        virtualServices = collect { if case .virtualService(let value) = $0 { value } else { nil } }
        destinationRules = collect { if case .destinationRule(let value) = $0 { value } else { nil } }
        gateways = collect { if case .gateway(let value) = $0 { value } else { nil } }
        sidecars = collect { if case .sidecar(let value) = $0 { value } else { nil } }
        peerAuthentications = collect { if case .peerAuthentication(let value) = $0 { value } else { nil } }
        authorizationPolicies = collect { if case .authorizationPolicy(let value) = $0 { value } else { nil } }
        requestAuthentications = collect { if case .requestAuthentication(let value) = $0 { value } else { nil } }
        telemetries = collect { if case .telemetry(let value) = $0 { value } else { nil } }
        secrets = collect { if case .secret(let value) = $0 { value } else { nil } }
        let meshMap = objects.first { $0.name == IstioMeshConfig.configMapName && $0.namespace == rootNamespace && $0.kind == .configMap }
        if case .configMap(let map)? = meshMap?.spec, let text = map.data?[IstioMeshConfig.configMapKey],
           case .success(let parsed) = IstioMeshConfig.parse(text) {
            meshConfig = parsed
        } else {
            meshConfig = IstioMeshConfig()
        }
    }
}
