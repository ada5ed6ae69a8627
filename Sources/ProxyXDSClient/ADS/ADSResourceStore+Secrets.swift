import ProxyCore
import XDSAPI

/// The SDS-over-ADS secrets the accepted listeners and clusters reference (the
/// names the proxy subscribes to on the ADS stream).
extension ADSResourceStore {
    public var secretNames: [String] {
        var names = Set<String>()
        func add(_ common: Envoy_Extensions_TransportSockets_Tls_V3_CommonTlsContext) {
            var references = common.tlsCertificateSdsSecretConfigs
            switch common.validationContextType {
            case .validationContextSdsSecretConfig(let reference)?: references.append(reference)
            case .combinedValidationContext(let combined)?: references.append(combined.validationContextSdsSecretConfig)
            default: break
            }
            for reference in references where reference.hasSdsConfig {
                if case .ads? = reference.sdsConfig.configSourceSpecifier { names.insert(reference.name) }
            }
        }
        func downstream(_ socket: Envoy_Config_Core_V3_TransportSocket) {
            if let context = try? Envoy_Extensions_TransportSockets_Tls_V3_DownstreamTlsContext(unpackingAny: socket.typedConfig) {
                add(context.commonTlsContext)
            }
        }
        func upstream(_ socket: Envoy_Config_Core_V3_TransportSocket) {
            if let context = try? Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext(unpackingAny: socket.typedConfig) {
                add(context.commonTlsContext)
            }
        }
        for listener in staticListeners + Array(listeners.values) {
            for chain in listener.filterChains where chain.hasTransportSocket { downstream(chain.transportSocket) }
            if listener.hasDefaultFilterChain, listener.defaultFilterChain.hasTransportSocket { downstream(listener.defaultFilterChain.transportSocket) }
        }
        for cluster in staticClusters + Array(clusters.values) {
            if cluster.hasTransportSocket { upstream(cluster.transportSocket) }
            for match in cluster.transportSocketMatches where match.hasTransportSocket { upstream(match.transportSocket) }
        }
        return names.sorted()
    }
}
