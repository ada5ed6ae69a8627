/// Envoy's RedirectAction: the parts of the Location that change, and the status.
public struct RedirectAction: Sendable, Equatable {
    public enum PathRewrite: Sendable, Equatable {
        case keep
        case path(String)
        case prefix(String)
    }

    /// `https` for `https_redirect`; nil keeps the request's scheme.
    public var scheme: String?
    public var host: String?
    public var port: Int?
    public var path: PathRewrite
    public var status: Int
    public var stripQuery: Bool

    public init(scheme: String? = nil, host: String? = nil, port: Int? = nil, path: PathRewrite = .keep, status: Int = 301, stripQuery: Bool = false) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.status = status
        self.stripQuery = stripQuery
    }
}
