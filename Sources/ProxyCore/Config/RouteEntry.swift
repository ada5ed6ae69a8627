/// One route of a virtual host. A class so that a match hands out one reference
/// rather than copying the route's arrays.
public final class RouteEntry: Sendable {
    public let name: String
    public let match: RouteMatchRule
    public let action: RouteAction
    public let requestHeaders: HeaderMutation
    public let responseHeaders: HeaderMutation
    /// Per-route fault injection; nil for almost every route (no cost then).
    public let fault: FaultInjection?
    /// Per-route CORS policy; nil for almost every route.
    public let cors: CorsPolicyConfig?
    /// The route's `decorator.operation`: the name of the spans it serves.
    public let operation: String?

    public init(name: String = "", match: RouteMatchRule, action: RouteAction,
                requestHeaders: HeaderMutation = .none, responseHeaders: HeaderMutation = .none, fault: FaultInjection? = nil,
                cors: CorsPolicyConfig? = nil, operation: String? = nil) {
        self.name = name
        self.match = match
        self.action = action
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
        self.fault = fault
        self.cors = cors
        self.operation = operation
    }
}
