import ProxyCore
import SwiftProtobuf
import XDSAPI

/// Delta xDS: a response adds or updates the resources it carries and drops the
/// names in `removed_resources`; everything else of that type stays as it was.
extension ADSResourceStore {
    /// Applies one delta response of `typeURL`. Returns the names of the type it holds now.
    public mutating func merge(typeURL: String, resources: [Envoy_Service_Discovery_V3_Resource],
                               removed: [String]) throws -> [String] {
        func merged<M: SwiftProtobuf.Message>(_ current: [String: M], name: (M) -> String) throws -> [String: M] {
            var result = current
            for name in removed { result[name] = nil }
            for resource in resources where resource.hasResource {
                do {
                    let message = try M(unpackingAny: resource.resource)
                    // The resource's own name wins; the envelope's name is the same in practice.
                    let key = name(message).isEmpty ? resource.name : name(message)
                    result[key] = message
                } catch {
                    throw DecodeError(description: "cannot decode \(resource.resource.typeURL) as \(M.protoMessageName): \(error)")
                }
            }
            return result
        }
        switch typeURL {
        case ProxyCore.XDSTypeURL.listener:
            listeners = try merged(listeners) { $0.name }
            return listeners.keys.sorted()
        case ProxyCore.XDSTypeURL.route:
            routes = try merged(routes) { $0.name }
            return routes.keys.sorted()
        case ProxyCore.XDSTypeURL.cluster:
            clusters = try merged(clusters) { $0.name }
            return clusters.keys.sorted()
        case ProxyCore.XDSTypeURL.endpoint:
            endpoints = try merged(endpoints) { $0.clusterName }
            return endpoints.keys.sorted()
        case ProxyCore.XDSTypeURL.secret:
            secrets = try merged(secrets) { $0.name }
            return secrets.keys.sorted()
        default:
            throw DecodeError(description: "type \(typeURL) is not supported by this proxy")
        }
    }

    /// Drops route configurations and endpoint sets nothing references any more (a
    /// delta client unsubscribes from them; the server sends no removal for them).
    mutating func dropUnreferenced() {
        let routeNames = Set(self.routeNames)
        let endpointNames = Set(self.endpointNames)
        let secretNames = Set(self.secretNames)
        routes = routes.filter { routeNames.contains($0.key) }
        secrets = secrets.filter { secretNames.contains($0.key) }
        endpoints = endpoints.filter { endpointNames.contains($0.key) }
    }
}
