import ProxyCore
import XDSAPI

/// `Listener.access_log`. Envoy writes a listener's logs for every connection it
/// closes, from the connection's stream info: for one no filter chain took (NR,
/// details `filter_chain_not_found`, or the listener filters closing it), and
/// for a served one - through a tcp_proxy the same values its own logs see. So
/// the logs go to the listener (the connections no chain takes) and, unless their
/// filter admits only NR (Istio's listener log), to every tcp_proxy chain too.
/// What an HTTP connection manager's connection would print there is not
/// modelled: a log that could admit one is refused.
extension ListenerConverter {
    static func listenerAccessLogs(_ listener: Envoy_Config_Listener_V3_Listener, _ scope: ConversionScope,
                                   chains: inout [FilterChainConfig], fallback: inout FilterChainConfig?,
                                   warnings: inout ConversionWarnings) throws(XDSConversionError) -> [AccessLogConfig] {
        let logs = try AccessLogConverter.convertIndexed(listener.accessLog, scope, warnings: &warnings)
        let servedToo = logs.filter { !($0.config.filter?.admitsOnly(.noRouteFound) ?? false) }
        guard let first = servedToo.first else { return logs.map(\.config) }
        let all = chains + (fallback.map { [$0] } ?? [])
        if let http = all.firstIndex(where: { if case .http = $0.chain { true } else { false } }) {
            let chain = http < chains.count ? "filter_chains[\(http)]" : "default_filter_chain"
            throw scope.index("access_log", first.index).error(
                "a listener access log that may log the connections of an HTTP connection manager chain (\(chain)) is not supported "
                    + "by this proxy; one admitting only response flag NR (Istio's) is")
        }
        func adding(_ chain: FilterChainConfig) -> FilterChainConfig {
            guard case .tcp(var proxy) = chain.chain else { return chain }
            proxy.accessLogs += servedToo.map(\.config)
            var copy = chain
            copy.chain = .tcp(proxy)
            return copy
        }
        chains = chains.map(adding)
        fallback = fallback.map(adding)
        return logs.map(\.config)
    }
}
