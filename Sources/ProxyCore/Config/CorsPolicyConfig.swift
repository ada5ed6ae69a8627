/// A route's CORS policy (Envoy's `envoy.filters.http.cors` per-route config, from
/// Istio's VirtualService `corsPolicy`). Pure: request headers in, what to answer
/// or add out.
public struct CorsPolicyConfig: Sendable {
    public var allowOrigins: [StringMatch]
    public var allowMethods: String
    public var allowHeaders: String
    public var exposeHeaders: String
    public var maxAge: String
    public var allowCredentials: Bool
    /// Envoy's default: a preflight from an origin the policy does not allow goes upstream.
    public var forwardNotMatchingPreflights: Bool

    public init(allowOrigins: [StringMatch], allowMethods: String = "", allowHeaders: String = "", exposeHeaders: String = "",
                maxAge: String = "", allowCredentials: Bool = false, forwardNotMatchingPreflights: Bool = true) {
        self.allowOrigins = allowOrigins
        self.allowMethods = allowMethods
        self.allowHeaders = allowHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAge = maxAge
        self.allowCredentials = allowCredentials
        self.forwardNotMatchingPreflights = forwardNotMatchingPreflights
    }

    public enum Decision: Sendable, Equatable {
        /// Not a CORS request, or its origin is not allowed: nothing to do.
        case none
        /// A preflight from an allowed origin: answer 200 with these header lines.
        case preflight([UInt8])
        /// A preflight from a disallowed origin that must not go upstream: answer 200 bare.
        case rejectPreflight
        /// An actual request from an allowed origin: add these lines to the response.
        case respond([UInt8])
    }

    /// `origin` is the Origin header; `preflight` whether the request is OPTIONS with
    /// Access-Control-Request-Method.
    public func decide(origin: UnsafeRawBufferPointer?, preflight: Bool) -> Decision {
        guard let origin, !origin.isEmpty else { return .none }
        guard allowOrigins.contains(where: { $0.matches(origin) }) else {
            return preflight && !forwardNotMatchingPreflights ? .rejectPreflight : .none
        }
        var lines: [UInt8] = []
        func line(_ name: String, _ value: String) {
            guard !value.isEmpty else { return }
            lines += Array("\(name): ".utf8) + Array(value.utf8) + [13, 10]
        }
        lines += Array("access-control-allow-origin: ".utf8) + Array(origin) + [13, 10]
        if allowCredentials { line("access-control-allow-credentials", "true") }
        if preflight {
            line("access-control-allow-methods", allowMethods)
            line("access-control-allow-headers", allowHeaders)
            line("access-control-max-age", maxAge)
            return .preflight(lines)
        }
        line("access-control-expose-headers", exposeHeaders)
        return .respond(lines)
    }
}

extension RouteRequest {
    static let originName = Array("origin".utf8)
    static let requestMethodName = Array("access-control-request-method".utf8)
    static let optionsMethod = Array("OPTIONS".utf8)

    /// The route's CORS decision for this request (Origin, and whether it is a preflight).
    public func cors(_ policy: CorsPolicyConfig) -> CorsPolicyConfig.Decision {
        let preflight = method.bytes(in: bytes).elementsEqual(Self.optionsMethod)
            && withHeaderValue(named: Self.requestMethodName) { $0 != nil }
        return withHeaderValue(named: Self.originName) { policy.decide(origin: $0, preflight: preflight) }
    }
}
