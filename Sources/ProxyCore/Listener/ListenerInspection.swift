/// The listener filters that look at a connection before a chain is chosen, and
/// how long they may take (Envoy's listener_filters_timeout, 15 s by default).
public struct ListenerInspection: Sendable, Equatable {
    /// envoy.filters.listener.tls_inspector is configured.
    public var tlsInspector: Bool
    /// envoy.filters.listener.http_inspector is configured: plaintext HTTP/1.x and
    /// h2c are detected for `application_protocols` matches.
    public var httpInspector: Bool
    /// 0 disables the timeout.
    public var timeoutNanos: Int64
    /// On timeout, go on with what is known instead of closing.
    public var continueOnTimeout: Bool
    public var maxClientHelloBytes: Int
    public var maxHTTPInspectBytes: Int
    /// envoy.filters.listener.original_dst: a redirected connection's destination is
    /// its original one (SO_ORIGINAL_DST) for chain matching and ORIGINAL_DST clusters.
    public var originalDestination = false
    /// The inspectors' `filter_disabled`: skipped on connections it matches.
    public var tlsInspectorDisabled: ListenerFilterPredicate?
    public var httpInspectorDisabled: ListenerFilterPredicate?

    public init(tlsInspector: Bool = false, httpInspector: Bool = false, timeoutNanos: Int64 = 15_000_000_000, continueOnTimeout: Bool = false,
                maxClientHelloBytes: Int = TLSClientHelloParser.defaultMaxBytes, maxHTTPInspectBytes: Int = HTTPInspectorParser.defaultMaxBytes) {
        self.tlsInspector = tlsInspector
        self.httpInspector = httpInspector
        self.timeoutNanos = timeoutNanos
        self.continueOnTimeout = continueOnTimeout
        self.maxClientHelloBytes = maxClientHelloBytes
        self.maxHTTPInspectBytes = maxHTTPInspectBytes
    }
}
