import XDSAPI

/// Inbound chains per PeerAuthentication mode, as Istio builds them behind a
/// tls_inspector: STRICT accepts only TLS (`transport_protocol: tls`, client
/// certificate required); PERMISSIVE puts the mTLS chain (TLS carrying Istio's
/// ALPN) beside a plaintext one (`raw_buffer`); DISABLE keeps the single plaintext
/// chain. Without workload certificates every port is DISABLE.
extension ListenerGenerator {
    func inboundChains(_ ingress: SidecarScope.IngressListener, statPrefix: String) -> [Envoy_Config_Listener_V3_FilterChain] {
        let plain = inboundChain(ingress, statPrefix: statPrefix)
        let mode = options.security.mutualTLS ? peerAuthentication.mode(port: ingress.port) : .disable
        switch mode {
        case .disable:
            return [plain]
        case .strict:
            return [mutualTLS(plain, alpn: [])]
        case .permissive:
            var plaintext = plain
            plaintext.filterChainMatch.transportProtocol = "raw_buffer"
            return [mutualTLS(plain, alpn: IstioMutualTLS.inboundALPN), plaintext]
        }
    }

    func mutualTLS(_ chain: Envoy_Config_Listener_V3_FilterChain, alpn: [String]) -> Envoy_Config_Listener_V3_FilterChain {
        var chain = chain
        chain.name += "-mtls"
        chain.filterChainMatch.transportProtocol = "tls"
        chain.filterChainMatch.applicationProtocols = alpn
        chain.transportSocket = IstioMutualTLS.downstreamSocket()
        return chain
    }
}
