import XDSAPI

/// Istio's listener-level access log (`setListenerAccessLog`): the same loggers as
/// the filter chains' logs, on `Listener.access_log`, each behind a response flag
/// filter on NR so that only connections no filter chain takes are logged there
/// (Envoy writes a listener's logs for every connection it closes). A log that
/// already has a Telemetry CEL filter gets both, NR first, under an `and_filter`.
/// Istio sets it on virtualOutbound, virtualInbound, the inbound listeners bound to
/// a port and every gateway listener; MeshConfig `disableEnvoyListenerLog` turns it off.
enum ListenerAccessLog {
    static let noFilterChainFlag = "NR"

    static func logs(_ chainLogs: [Envoy_Config_Accesslog_V3_AccessLog]) -> [Envoy_Config_Accesslog_V3_AccessLog] {
        chainLogs.map { log in
            var copy = log
            if log.hasFilter {
                var both = Envoy_Config_Accesslog_V3_AndFilter()
                both.filters = [noFilterChain(), log.filter]
                copy.filter = Envoy_Config_Accesslog_V3_AccessLogFilter()
                copy.filter.andFilter = both
            } else {
                copy.filter = noFilterChain()
            }
            return copy
        }
    }

    static func noFilterChain() -> Envoy_Config_Accesslog_V3_AccessLogFilter {
        var flags = Envoy_Config_Accesslog_V3_ResponseFlagFilter()
        flags.flags = [noFilterChainFlag]
        var filter = Envoy_Config_Accesslog_V3_AccessLogFilter()
        filter.responseFlagFilter = flags
        return filter
    }
}
