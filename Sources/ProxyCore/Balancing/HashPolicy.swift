/// Route `hash_policy` evaluation: turns request attributes into the 64-bit key that ring hash
/// and maglev consume, exactly as Envoy computes it (xxHash64, seed 0).
public struct HashPolicy: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        /// All values of the header, sorted, hashed as one continuous input.
        case header(name: String)
        /// The cookie's value; when absent and `ttlSeconds` is set, Envoy generates one and
        /// asks for a `Set-Cookie` on the response.
        case cookie(name: String, ttlSeconds: Int64? = nil, path: String = "")
        /// The downstream IP address, without port.
        case sourceIP
        /// The first value of the query parameter (not percent-decoded, as Envoy).
        case queryParameter(name: String)
    }

    public struct Rule: Sendable, Equatable {
        public var method: Method
        /// Stop evaluating further rules once this one produced a hash.
        public var terminal: Bool

        public init(_ method: Method, terminal: Bool = false) {
            self.method = method
            self.terminal = terminal
        }
    }

    public struct Result: Sendable, Equatable {
        public var hash: UInt64?
        /// A full `Set-Cookie` header value to add to the response, for generated cookies.
        public var setCookie: String?
    }

    public var rules: [Rule]

    public init(_ rules: [Rule]) { self.rules = rules }

    public func hash(_ request: some HashPolicyRequest) -> Result {
        var result = Result()
        for rule in rules {
            if let next = evaluate(rule.method, request, &result.setCookie) {
                // Rotating the running value keeps two identical rules from cancelling out.
                let old = result.hash.map { ($0 << 1) | ($0 >> 63) } ?? 0
                result.hash = old ^ next
            }
            if rule.terminal && result.hash != nil { break }
        }
        return result
    }

    private func evaluate(_ method: Method, _ request: some HashPolicyRequest, _ setCookie: inout String?) -> UInt64? {
        switch method {
        case .header(let name):
            var values = request.headerValues(named: name)
            guard !values.isEmpty else { return nil }
            if values.count > 1 { values.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) } }
            var hasher = XXHash64.Hasher()
            for value in values { hasher.update(Substring(value).utf8) }
            return hasher.finalize()
        case .cookie(let name, let ttl, let path):
            if let value = Self.cookieValue(named: name, in: request.headerValues(named: "cookie")), !value.isEmpty {
                return XXHash64.hash(Substring(value).utf8)
            }
            guard let ttl, let generated = Self.generatedCookie(request) else { return nil }
            setCookie = Self.setCookieValue(name: name, value: generated, path: path, maxAge: ttl)
            return XXHash64.hash(generated)
        case .sourceIP:
            guard let ip = request.sourceIP, !ip.isEmpty else { return nil }
            return XXHash64.hash(ip)
        case .queryParameter(let name):
            guard let value = Self.queryValue(named: name, path: request.path) else { return nil }
            return XXHash64.hash(value.utf8)
        }
    }
}

/// What a hash policy reads from a request; the proxy adapts its own request type.
public protocol HashPolicyRequest {
    /// Values of a header by lowercase name, in arrival order (empty when absent).
    func headerValues(named name: String) -> [Substring]
    /// Downstream remote IP as text (`10.0.0.1`, `::1`), nil when unknown.
    var sourceIP: String? { get }
    /// Downstream remote address `ip:port` and local address, used to generate cookies.
    var remoteAddress: String? { get }
    var localAddress: String? { get }
    /// `:path` including the query string.
    var path: Substring { get }
}
