import MeshConfig
import MeshRegistry
import SwiftProtobuf
import XDSAPI

/// Mesh mTLS to a destination, as Istio: a DestinationRule with `tls.mode:
/// ISTIO_MUTUAL` always uses it; with no `tls` at all, auto-mTLS picks per endpoint
/// (transport_socket_matches on the endpoint metadata `tlsMode: istio` that
/// endpoints with a sidecar carry), unless the destination's namespace (or the
/// mesh) DISABLEs mTLS. DISABLE in the rule means plaintext.
extension ClusterGenerator {
    static let tlsModeMatchKey = "envoy.transport_socket_match"

    func applyMeshTLS(_ tls: ClientTLSSettings?, service: MeshService, port: MeshService.Port, subset: String?,
                      to cluster: inout Envoy_Config_Cluster_V3_Cluster) {
        let security = options.security
        guard security.mutualTLS, service.resolution != .passthrough else { return }
        let sni = IstioMutualTLS.sni(port: port.number, subset: subset ?? "", host: service.hostname)
        if let tls, tls.mode == .istioMutual {
            cluster.transportSocket = IstioMutualTLS.upstreamSocket(sni: tls.sni ?? sni, subjectAltNames: tls.subjectAltNames ?? identities(of: service),
                                                                    http2: port.proto.isHTTP2)
            return
        }
        guard tls == nil || tls?.mode == nil, security.enableAutoMTLS, !service.meshExternal,
              PeerAuthenticationPolicy.serviceMode(namespace: service.namespace, snapshot: snapshot) != .disable else { return }
        var mutual = Envoy_Config_Cluster_V3_Cluster.TransportSocketMatch()
        mutual.name = "tlsMode-istio"
        mutual.match = Self.tlsModeIstio
        mutual.transportSocket = IstioMutualTLS.upstreamSocket(sni: sni, subjectAltNames: identities(of: service), http2: port.proto.isHTTP2)
        var plain = Envoy_Config_Cluster_V3_Cluster.TransportSocketMatch()
        plain.name = "tlsMode-disabled"
        plain.match = Google_Protobuf_Struct()
        plain.transportSocket = IstioMutualTLS.rawBuffer()
        cluster.transportSocketMatches = [mutual, plain]
    }

    /// The SPIFFE ids the destination's servers may present: the ServiceEntry's
    /// `subjectAltNames`, else the service accounts of its endpoints.
    func identities(of service: MeshService) -> [String] {
        if !service.subjectAltNames.isEmpty {
            return service.subjectAltNames.map { $0.hasPrefix("spiffe://") || !$0.contains("/ns/") ? $0 : "spiffe://" + $0 }
        }
        let endpoints = snapshot.registry.endpoints[service.hostname] ?? []
        return Set(endpoints.filter { $0.sidecar }.map { $0.spiffeIdentity(trustDomain: options.security.trustDomain) }).sorted()
    }

    static var tlsModeIstio: Google_Protobuf_Struct {
        Google_Protobuf_Struct(fields: ["tlsMode": Google_Protobuf_Value(stringValue: "istio")])
    }

    /// `filter_metadata["envoy.transport_socket_match"] = {tlsMode: istio}` for an
    /// endpoint with a sidecar, when mesh mTLS is on.
    static func endpointMetadata(sidecar: Bool, security: MeshSecurityOptions) -> Envoy_Config_Core_V3_Metadata? {
        guard sidecar, security.mutualTLS, security.enableAutoMTLS else { return nil }
        var metadata = Envoy_Config_Core_V3_Metadata()
        metadata.filterMetadata[tlsModeMatchKey] = tlsModeIstio
        return metadata
    }
}
