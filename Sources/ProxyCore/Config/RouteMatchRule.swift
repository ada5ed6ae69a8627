/// A route's whole match condition: path, headers, query parameters and runtime
/// fraction, all of which must hold.
public struct RouteMatchRule: Sendable {
    public let path: PathMatch
    public let headers: [HeaderMatch]
    public let queryParameters: [QueryParameterMatch]
    public let runtimeFraction: FractionalPercent?

    public init(path: PathMatch, headers: [HeaderMatch] = [], queryParameters: [QueryParameterMatch] = [],
                runtimeFraction: FractionalPercent? = nil) {
        self.path = path
        self.headers = headers
        self.queryParameters = queryParameters
        self.runtimeFraction = runtimeFraction
    }

    public func matches(_ request: RouteRequest) -> Bool {
        // Envoy checks the runtime fraction first, then the path, then headers and query.
        if let fraction = runtimeFraction, !fraction.includes(request.random) { return false }
        let path = request.pathBytes
        guard self.path.matches(path: path) else { return false }
        for header in headers where !header.matches(request) { return false }
        for parameter in queryParameters where !parameter.matches(path: path) { return false }
        return true
    }
}
