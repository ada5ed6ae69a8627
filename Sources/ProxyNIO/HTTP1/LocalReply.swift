import NIOCore
import ProxyCore

/// A response the proxy makes itself (no route, no upstream, bad request,
/// redirects, direct responses), with Envoy's status, body text and flags.
struct LocalReply {
    var status: Int
    var body: [UInt8]
    var flags: ResponseFlags
    var location: [UInt8]?
    /// Whole header lines (`name: value\r\n`) to add, e.g. a CORS preflight's.
    var extraLines: [UInt8] = []
    /// `%RESPONSE_CODE_DETAILS%` when it is not the flags' (RBAC's policy name).
    var details: [UInt8] = []
    /// A redirect that rewrites the path: the request's `:path` as Envoy then logs it, and before.
    var rewrittenPath: (new: [UInt8], old: [UInt8])?
    /// The router's own replies (direct responses, redirects, upstream failures) get
    /// the selected route's response header additions; filters' replies (fault
    /// aborts, CORS) do not.
    var routeHeaders = true
    /// The router's reply for a failed upstream request (connect failure, reset,
    /// overflow, protocol error, timeout): its status counts in the cluster's
    /// `upstream_rq_<code>`, as Envoy's router charges an aborted upstream request.
    var chargesCluster = false

    /// Envoy's details for a route's direct response or redirect.
    static let directResponseDetails = Array("direct_response".utf8)

    init(status: Int, body: [UInt8], flags: ResponseFlags, location: [UInt8]? = nil) {
        self.status = status
        self.body = body
        self.flags = flags
        self.location = location
    }

    init(status: Int, text: String, flags: ResponseFlags, chargesCluster: Bool = false) {
        self.init(status: status, body: Array(text.utf8), flags: flags)
        self.chargesCluster = chargesCluster
    }

    static let noRoute = LocalReply(status: 404, body: [], flags: .noRouteFound)
    static let noCluster = LocalReply(status: 503, body: [], flags: .noClusterFound)
    static let noHealthyUpstream = LocalReply(status: 503, text: "no healthy upstream", flags: .noHealthyUpstream)
    static let connectFailure = LocalReply(
        status: 503, text: "upstream connect error or disconnect/reset before headers. reset reason: remote connection failure",
        flags: .upstreamConnectionFailure, chargesCluster: true)
    /// Envoy's connect-failure reply after retries ("retried and the latest").
    /// A TLS handshake failure is one too: Envoy 1.40 keeps the transport failure
    /// reason out of the body (`%UPSTREAM_TRANSPORT_FAILURE_REASON%` has it).
    static let retriedConnectFailure = LocalReply(
        status: 503, text: "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure",
        flags: .upstreamConnectionFailure, chargesCluster: true)
    static let upstreamReset = LocalReply(
        status: 503, text: "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
        flags: .upstreamConnectionTermination, chargesCluster: true)
    /// A circuit breaker refused the request (Envoy's pool `Overflow` failure).
    static let overflow = LocalReply(
        status: 503, text: "upstream connect error or disconnect/reset before headers. reset reason: overflow",
        flags: .upstreamOverflow, chargesCluster: true)
    static let upstreamProtocolError = LocalReply(
        status: 502, text: "upstream connect error or disconnect/reset before headers. reset reason: protocol error",
        flags: .upstreamProtocolError, chargesCluster: true)

    static let upstreamTimeout = LocalReply(status: 504, text: "upstream request timeout", flags: .upstreamRequestTimeout, chargesCluster: true)

    static func protocolError(_ error: HTTPParseError) -> LocalReply {
        // Envoy's connection manager rejects a missing Host with an empty 400 and no
        // flag (the codec had no complaint); codec errors carry the reason phrase.
        if error == .missingHost {
            var reply = LocalReply(status: 400, body: [], flags: [])
            reply.details = Array("missing_host_header".utf8)
            return reply
        }
        var reply = LocalReply(status: error.status, text: HTTPStatus.reason(error.status), flags: .downstreamProtocolError)
        reply.details = Array(error.detail.utf8)
        // The codec's reply, not the router's: no route headers even mid-exchange.
        reply.routeHeaders = false
        return reply
    }

    /// An upgrade the connection manager has no upgrade_configs entry for (Envoy: 403, upgrade_failed).
    static let upgradeFailed = LocalReply(status: 403, body: [], flags: [])

    static let upgradeRequired: LocalReply = {
        var reply = LocalReply(status: 426, text: "Upgrade Required", flags: .downstreamProtocolError)
        reply.details = Array("low_version".utf8)
        return reply
    }()

    static let continueBuffer = ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n")

    /// Envoy's redirect: the Location is the request URL with the configured parts
    /// replaced.
    static func redirect(_ redirect: RedirectAction, request: RouteRequest, matchedPrefix: Int = 0) -> LocalReply {
        let authority = Array(request.authorityBytes)
        var host = authority[...]
        var port: ArraySlice<UInt8> = []
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")), !authority.contains(UInt8(ascii: "]")) || authority.last != UInt8(ascii: "]") {
            host = authority[..<colon]
            port = authority[(colon + 1)...]
        }
        let originalScheme = request.isTLS ? "https" : "http"
        let scheme = redirect.scheme ?? originalScheme
        var location = Array(scheme.utf8) + Array("://".utf8)
        location += redirect.host.map { Array($0.utf8) } ?? Array(host)
        // Envoy keeps the request's port unless it is the default one of the scheme
        // being left (http://h:80 -> https://h).
        let defaultPort = Array((originalScheme == "https" ? "443" : "80").utf8)
        if let newPort = redirect.port {
            location += Array(":\(newPort)".utf8)
        } else if !port.isEmpty && (scheme == originalScheme || Array(port) != defaultPort) {
            location += [UInt8(ascii: ":")] + Array(port)
        }
        let path = Array(request.pathBytes)
        let queryStart = path.firstIndex(of: UInt8(ascii: "?")) ?? path.count
        let query = redirect.stripQuery ? [] : Array(path[queryStart...])
        switch redirect.path {
        case .keep:
            location += Array(path[..<queryStart]) + query
        case .path(let newPath):
            location += Array(newPath.utf8) + (newPath.contains("?") ? [] : query)
        case .prefix(let prefix):
            location += Array(prefix.utf8) + Array(path[min(matchedPrefix, queryStart)..<queryStart]) + query
        }
        var reply = LocalReply(status: redirect.status, body: [], flags: [], location: location)
        reply.details = directResponseDetails
        // Envoy rewrites the request's path by the redirect's prefix before answering
        // (its access log's `%REQ(:PATH)%` shows it; the query stays).
        if case .prefix(let prefix) = redirect.path { reply.rewrittenPath = (Array(prefix.utf8) + Array(path[min(matchedPrefix, queryStart)...]), path) }
        return reply
    }
}
