/// The typed body of a config object, one case per kind.
public enum ConfigSpec: Sendable, Equatable {
    case virtualService(VirtualService)
    case destinationRule(DestinationRule)
    case gateway(Gateway)
    case serviceEntry(ServiceEntry)
    case workloadEntry(WorkloadEntry)
    case workloadGroup(WorkloadGroup)
    case sidecar(Sidecar)
    case peerAuthentication(PeerAuthentication)
    case authorizationPolicy(AuthorizationPolicy)
    case requestAuthentication(RequestAuthentication)
    case telemetry(Telemetry)
    case namespace(KubeNamespace)
    case service(KubeService)
    case endpoints(KubeEndpoints)
    case endpointSlice(KubeEndpointSlice)
    case pod(KubePod)
    case serviceAccount(KubeServiceAccount)
    case secret(KubeSecret)
    case deployment(KubeDeployment)
    /// EnvoyFilter, ProxyConfig, WasmPlugin: kept, not applied.
    case opaque(JSONValue)
}
