/// The HTTP connection manager's settings the proxy honours.
public struct HTTPConnectionConfig: Sendable {
    public enum Routes: Sendable {
        case rds(String)
        case inline(RouteTable)
    }

    public enum Codec: Sendable, Equatable {
        case auto, http1, http2
    }

    public var statPrefix: String
    public var routes: Routes
    public var codec: Codec
    /// `http2_protocol_options`: SETTINGS for HTTP/2 connections (codec AUTO or HTTP2).
    public var http2 = HTTP2Options()
    /// Add `x-request-id` when absent (Envoy's default: on).
    public var generateRequestID: Bool
    /// Edge mode: trust the peer address, append it to `x-forwarded-for`, set
    /// `x-forwarded-proto` from the connection.
    public var useRemoteAddress: Bool
    /// The router's `suppress_envoy_headers`: no `x-envoy-*` headers added.
    public var suppressEnvoyHeaders: Bool
    /// `server_header_transformation` of responses' `server` header.
    public enum ServerHeaderTransformation: Sendable {
        case overwrite, appendIfAbsent, passThrough
    }
    public var serverHeaderTransformation = ServerHeaderTransformation.overwrite
    /// `server_name` (Envoy's default "envoy"), kept as the whole header line.
    public var serverName = "envoy" {
        didSet { serverLine = Array("server: \(serverName)\r\n".utf8) }
    }
    public private(set) var serverLine = Array("server: envoy\r\n".utf8)
    /// `forward_client_cert_details`: what becomes of a request's
    /// `x-forwarded-client-cert` (SANITIZE, the default, removes it; FORWARD_ONLY
    /// keeps it from mTLS peers; ALWAYS_FORWARD_ONLY always; APPEND_FORWARD adds
    /// this hop's element to it and SANITIZE_SET replaces it by that element, for
    /// mTLS peers - from other callers it is removed).
    public enum ForwardClientCert: Sendable {
        case sanitize, forwardOnly, alwaysForwardOnly, appendForward, sanitizeSet

        /// Whether the connection's peer certificate must be read for this hop's element.
        public var writesElement: Bool { self == .appendForward || self == .sanitizeSet }
    }
    public var forwardClientCert = ForwardClientCert.sanitize
    /// `set_current_client_cert_details`: the element's optional fields.
    public var clientCertDetails: ClientCertDetails = []
    public var maxRequestHeadersBytes: Int
    /// 0: none.
    public var streamIdleTimeoutNanos: Int64
    public var requestTimeoutNanos: Int64
    public var proxy100Continue: Bool
    public var normalizePath: Bool
    public var mergeSlashes: Bool
    /// `normalize_path`, `merge_slashes`, `path_with_escaped_slashes_action`, applied
    /// before routing and the HTTP filters.
    public var pathNormalization: PathNormalization {
        get { PathNormalization(normalizePath: normalizePath, mergeSlashes: mergeSlashes, escapedSlashes: escapedSlashes) }
    }
    public var escapedSlashes = PathNormalization.EscapedSlashes.keepUnchanged
    /// `strip_any_host_port` / `strip_matching_host_port` / `strip_trailing_host_dot`.
    public var hostNormalization = HostNormalization()
    /// RBAC (and later jwt_authn) filters, in chain order, before the router.
    public var authzFilters: [HTTPAuthzFilter] = []
    /// Envoy answers HTTP/1.0 with 426 unless `http_protocol_options.accept_http_10`.
    public var acceptHTTP10: Bool
    /// Host for HTTP/1.0 requests without one (`default_host_for_http_10`).
    public var defaultHostForHTTP10: String
    /// The connection manager's access logs (file / stdout), formats parsed.
    public var accessLogs: [AccessLogConfig] = []
    /// The connection manager's tracing (nil: no spans, no trace headers touched).
    public var tracing: TracingConfig?
    /// `upgrade_configs` that are enabled, lower-cased (Istio: "websocket"): such
    /// requests are tunnelled after the upstream's 101; other upgrades get 403.
    public var upgradeTypes: [[UInt8]] = []

    /// Whether an `upgrade` header value names an enabled upgrade type.
    public func allowsUpgrade(_ value: UnsafeRawBufferPointer) -> Bool {
        upgradeTypes.contains { ASCII.equalsLowercased(value, $0) }
    }

    public init(statPrefix: String, routes: Routes, codec: Codec = .auto, generateRequestID: Bool = true,
                useRemoteAddress: Bool = false, suppressEnvoyHeaders: Bool = false, maxRequestHeadersBytes: Int = 60 * 1024,
                streamIdleTimeoutNanos: Int64 = 300_000_000_000, requestTimeoutNanos: Int64 = 0, proxy100Continue: Bool = false,
                normalizePath: Bool = false, mergeSlashes: Bool = false, acceptHTTP10: Bool = false, defaultHostForHTTP10: String = "") {
        self.statPrefix = statPrefix
        self.routes = routes
        self.codec = codec
        self.generateRequestID = generateRequestID
        self.useRemoteAddress = useRemoteAddress
        self.suppressEnvoyHeaders = suppressEnvoyHeaders
        self.maxRequestHeadersBytes = maxRequestHeadersBytes
        self.streamIdleTimeoutNanos = streamIdleTimeoutNanos
        self.requestTimeoutNanos = requestTimeoutNanos
        self.proxy100Continue = proxy100Continue
        self.normalizePath = normalizePath
        self.mergeSlashes = mergeSlashes
        self.acceptHTTP10 = acceptHTTP10
        self.defaultHostForHTTP10 = defaultHostForHTTP10
    }
}
