import SwiftProtobuf
import XDSAPI

extension ADSResourceStore {
    /// Envoy's admin `/config_dump` shape for the types we hold: ListenersConfigDump,
    /// ClustersConfigDump, RoutesConfigDump and EndpointsConfigDump, static resources
    /// as `static_*`, the accepted xDS ones as `dynamic_*` with `version_info`, every
    /// message in protobuf JSON with Envoy's field names. What `istioctl proxy-config`
    /// and `swiftmesh proxy-config` read.
    public func configDumpJSON(version: String) throws -> String {
        XDSAnyTypes.registerAll()
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        func json(_ message: some SwiftProtobuf.Message) throws -> String { try message.jsonString(options: options) }
        func quoted(_ text: String) -> String {
            var out = "\""
            for character in text {
                if character == "\"" || character == "\\" { out.append("\\") }
                out.append(character)
            }
            return out + "\""
        }
        let versionField = "\"version_info\":\(quoted(version))"
        let admin = "type.googleapis.com/envoy.admin.v3."

        let staticListeners = try staticListeners.map { "{\"listener\":\(try json($0))}" }
        let dynamicListeners = try listeners.keys.sorted().map { name in
            "{\"name\":\(quoted(name)),\"active_state\":{\(versionField),\"listener\":\(try json(listeners[name]!))}}"
        }
        let staticClusters = try staticClusters.map { "{\"cluster\":\(try json($0))}" }
        let dynamicClusters = try clusters.keys.sorted().map { "{\(versionField),\"cluster\":\(try json(clusters[$0]!))}" }
        let dynamicRoutes = try routes.keys.sorted().map { "{\(versionField),\"route_config\":\(try json(routes[$0]!))}" }
        let dynamicEndpoints = try endpoints.keys.sorted().map { "{\(versionField),\"endpoint_config\":\(try json(endpoints[$0]!))}" }

        let configs = [
            "{\"@type\":\"\(admin)ListenersConfigDump\",\"static_listeners\":[\(staticListeners.joined(separator: ","))],\"dynamic_listeners\":[\(dynamicListeners.joined(separator: ","))]}",
            "{\"@type\":\"\(admin)ClustersConfigDump\",\"static_clusters\":[\(staticClusters.joined(separator: ","))],\"dynamic_active_clusters\":[\(dynamicClusters.joined(separator: ","))]}",
            "{\"@type\":\"\(admin)RoutesConfigDump\",\"dynamic_route_configs\":[\(dynamicRoutes.joined(separator: ","))]}",
            "{\"@type\":\"\(admin)EndpointsConfigDump\",\"dynamic_endpoint_configs\":[\(dynamicEndpoints.joined(separator: ","))]}",
        ]
        return "{\"configs\":[\(configs.joined(separator: ","))]}\n"
    }
}
