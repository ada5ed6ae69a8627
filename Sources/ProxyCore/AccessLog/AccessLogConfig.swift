/// An access log of an HTTP connection manager or a tcp_proxy: where lines go and their format.
public struct AccessLogConfig: Sendable, Equatable {
    /// A file path; `/dev/stdout` and `/dev/stderr` are the process's streams.
    public var path: String
    public var format: AccessLogFormat
    /// Which exchanges are logged; nil logs every one.
    public var filter: AccessLogFilter?

    public init(path: String, format: AccessLogFormat, filter: AccessLogFilter? = nil) {
        self.path = path
        self.format = format
        self.filter = filter
    }
}

extension ResponseFlags {
    /// Envoy's `%RESPONSE_CODE_DETAILS%` for the local replies the proxy sends.
    public var responseCodeDetails: StaticString {
        if contains(.noRouteFound) { return "route_not_found" }
        if contains(.noClusterFound) { return "cluster_not_found" }
        if contains(.noHealthyUpstream) { return "no_healthy_upstream" }
        if contains(.upstreamRequestTimeout) { return "upstream_response_timeout" }
        if contains(.upstreamConnectionFailure) { return "upstream_reset_before_response_started{connection_failure}" }
        if contains(.upstreamConnectionTermination) { return "upstream_reset_before_response_started{connection_termination}" }
        if contains(.upstreamOverflow) { return "upstream_reset_before_response_started{overflow}" }
        if contains(.downstreamConnectionTermination) { return "downstream_remote_disconnect" }
        if contains(.downstreamProtocolError) { return "http1.codec_error" }
        if contains(.upstreamProtocolError) { return "upstream_reset_before_response_started{protocol_error}" }
        return "-"
    }
}
