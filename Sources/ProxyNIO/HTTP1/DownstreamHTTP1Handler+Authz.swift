import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// The connection manager's checks on a new head, before anything reads it:
    /// repeated Host fields joined with "," (Envoy's header map), a target that is
    /// not a path (`OPTIONS *`) answered 404, then `normalize_path`,
    /// `merge_slashes` and `path_with_escaped_slashes_action` (Envoy's
    /// `maybeNormalizePath`). A changed head replaces the received one in
    /// `buffer` and is parsed again, so routing, the filters, the upstream request
    /// and the access log all see the normalised request.
    func screenHead(_ buffer: inout ByteBuffer) -> LocalReply? {
        if requestHead.repeatedHost {
            let joined = buffer.withUnsafeReadableBytes { HTTP1HeadRewrite.joiningHosts($0, head: requestHead) }
            guard replaceHead(&buffer, with: joined) else { return LocalReply.protocolError(.badRequest("invalid host")) }
        }
        if let reply = nonRelativePathReply(buffer) { return reply }
        let outcome: PathNormalization.Outcome = buffer.withUnsafeReadableBytes { bytes in
            let path = requestHead.path
            guard !path.isEmpty else { return .unchanged }
            return listener.http.pathNormalization.apply(path.bytes(in: bytes))
        }
        switch outcome {
        case .unchanged:
            return nil
        case .reject:
            return LocalReply.pathNormalizationFailed
        case .redirect(let location):
            if grpcLocalReplies { return LocalReply.pathNormalizationFailed }
            var reply = LocalReply(status: 307, body: [], flags: [], location: location)
            reply.details = Self.pathNormalizationDetails
            return reply
        case .rewritten(let path):
            let rewritten = buffer.withUnsafeReadableBytes { HTTP1HeadRewrite.replacingPath($0, head: requestHead, with: path) }
            return replaceHead(&buffer, with: rewritten) ? nil : LocalReply.pathNormalizationFailed
        }
    }

    /// Swaps the received bytes for a rewritten run and parses its head again.
    private func replaceHead(_ buffer: inout ByteBuffer, with bytes: [UInt8]) -> Bool {
        var rebuilt = ByteBufferAllocator().buffer(capacity: bytes.count)
        rebuilt.writeBytes(bytes)
        buffer = rebuilt
        return rebuilt.withUnsafeReadableBytes { bytes in (try? parser.parse(bytes, into: &requestHead)) ?? false }
    }

    /// Envoy only serves relative paths: `*` (OPTIONS) gets an empty 404.
    private func nonRelativePathReply(_ buffer: ByteBuffer) -> LocalReply? {
        let first: UInt8? = buffer.withUnsafeReadableBytes { bytes in
            requestHead.path.isEmpty ? nil : bytes[Int(requestHead.path.start)]
        }
        guard let first, first != UInt8(ascii: "/") else { return nil }
        var reply = LocalReply(status: 404, body: [], flags: [])
        reply.details = Self.absolutePathDetails
        return reply
    }

    /// Runs the connection manager's jwt_authn and RBAC filters in order. A JWT
    /// failure answers 401 (403 for audiences) with Envoy's message and
    /// `www-authenticate`; an RBAC denial answers 403 `RBAC: access denied`
    /// (no response flag, as Envoy 1.40). Verified payloads are the dynamic
    /// metadata the RBAC filters after it read.
    func authorize(_ request: RouteRequest) -> LocalReply? {
        if !authnLines.isEmpty { authnLines = [] }
        if !authnDrops.isEmpty { authnDrops = [] }
        let filters = listener.http.authzFilters
        guard !filters.isEmpty else { return nil }
        var input = authzInput(request)
        for filter in filters {
            switch filter {
            case .jwtAuthn(let jwt):
                let result = JWTAuthenticator.run(jwt, request: request, nowSeconds: Self.wallClockNanos() / 1_000_000_000)
                guard result.status == .ok else { return jwtReply(result.status, request) }
                for (key, payload) in result.metadata { input.metadata.set(filter: JWTAuthnConfig.filterName, key: key, payload) }
                authnLines += result.addedLines
                authnDrops += result.removedHeaders
            case .rbac(let rbac):
                let verdict = rbac.evaluate(input)
                if let enforced = verdict.enforced, !enforced.allowed {
                    var reply = LocalReply(status: 403, text: "RBAC: access denied", flags: [])
                    reply.details = Array(enforced.responseCodeDetails.utf8)
                    return reply
                }
            }
        }
        return nil
    }

    /// Envoy's jwt_authn failure: the status message as body, `www-authenticate:
    /// Bearer realm="<original URL>"` (plus `, error="invalid_token"` unless the
    /// token was missing), details `jwt_authn_access_denied{Message_with_underscores}`.
    private func jwtReply(_ status: JWTStatus, _ request: RouteRequest) -> LocalReply {
        var reply = LocalReply(status: status.httpStatus, text: status.message, flags: [])
        var realm = Array("www-authenticate: Bearer realm=\"".utf8)
        let proto: [UInt8] = request.withHeaderValue(named: Self.forwardedProtoName) { $0.map { Array($0) } } ?? Array((connection.tlsTerminated ? "https" : "http").utf8)
        realm += proto + Array("://".utf8) + Array(request.authorityBytes) + Array(request.pathBytes) + [UInt8(ascii: "\"")]
        if status != .missing { realm += Array(", error=\"invalid_token\"".utf8) }
        reply.extraLines = realm + Array("\r\n".utf8)
        reply.details = Array("jwt_authn_access_denied{\(String(status.message.map { $0 == " " ? "_" : $0 }))}".utf8)
        return reply
    }

    static let forwardedProtoName = Array("x-forwarded-proto".utf8)

    private func authzInput(_ request: RouteRequest) -> AuthzInput {
        if authzConnection == nil {
            // The listener's facts (TLS peer, SNI); addresses from the channel when they lack them.
            var facts = AuthzConnection(connection)
            let channel = Self.connectionFacts(context?.channel)
            if facts.directRemote == nil { facts.directRemote = channel.directRemote }
            if facts.local == nil {
                facts.local = channel.local
                facts.localPort = channel.localPort
            }
            authzConnection = facts
        }
        let connection = authzConnection!
        // Envoy's remote address: the peer at the edge, else the last x-forwarded-for hop.
        let remote = listener.http.useRemoteAddress ? connection.directRemote : AuthzInput.forwardedClient(request)
        return AuthzInput(connection: connection, request: request, remote: remote)
    }

    static func connectionFacts(_ channel: (any Channel)?) -> AuthzConnection {
        let local = channel?.localAddress
        return AuthzConnection(directRemote: channel?.remoteAddress?.ipAddress.flatMap { IPAddress($0) },
                               local: local?.ipAddress.flatMap { IPAddress($0) }, localPort: local?.port ?? 0)
    }

    static let pathNormalizationDetails = Array("path_normalization_failed".utf8)
    static let absolutePathDetails = Array("absolute_path_rejected".utf8)
}

extension LocalReply {
    /// Envoy: 400 with an empty body, the HTTP/1 connection closed.
    static var pathNormalizationFailed: LocalReply {
        var reply = LocalReply(status: 400, body: [], flags: [])
        reply.details = DownstreamHTTP1Handler.pathNormalizationDetails
        return reply
    }
}
