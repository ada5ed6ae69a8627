/// A routed request as the input of a route's `hash_policy`. Built only for
/// consistent-hash clusters, so the text it makes costs nothing on other routes.
public struct RouteHashInput: HashPolicyRequest {
    public let request: RouteRequest
    public let sourceIP: String?
    public var remoteAddress: String? { sourceIP }
    public var localAddress: String? { nil }

    public init(request: RouteRequest, sourceIP: String?) {
        self.request = request
        self.sourceIP = sourceIP
    }

    public func headerValues(named name: String) -> [Substring] {
        let wanted = Array(name.utf8)
        var values: [Substring] = []
        for field in request.fields where ASCII.equalsLowercased(field.name.bytes(in: request.bytes), wanted) {
            values.append(Substring(decoding: field.value.bytes(in: request.bytes), as: UTF8.self))
        }
        return values
    }

    public var path: Substring { Substring(decoding: request.pathBytes, as: UTF8.self) }
}

extension ForwardAction {
    /// The route's hash policies in the balancers' evaluator form.
    public var requestHashPolicy: ProxyCore.HashPolicy {
        ProxyCore.HashPolicy(hashPolicies.map { policy in
            switch policy {
            case .header(let name): return ProxyCore.HashPolicy.Rule(.header(name: name))
            case .cookie(let name, let path, let ttlNanos):
                return ProxyCore.HashPolicy.Rule(.cookie(name: name, ttlSeconds: ttlNanos.map { $0 / 1_000_000_000 }, path: path))
            case .sourceIP: return ProxyCore.HashPolicy.Rule(.sourceIP)
            case .queryParameter(let name): return ProxyCore.HashPolicy.Rule(.queryParameter(name: name))
            }
        })
    }
}
