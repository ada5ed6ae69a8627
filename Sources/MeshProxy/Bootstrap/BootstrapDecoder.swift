import SwiftProtobuf
import XDSAPI

/// Decodes an Envoy bootstrap in protobuf JSON form. There is no Bootstrap message
/// in our proto subset: the document is read as a generic Struct, and each static
/// listener and cluster is decoded as the typed message Envoy would decode, with
/// unknown fields refused.
public enum BootstrapDecoder {
    static let supportedTopLevel: Set<String> = ["node", "admin", "static_resources", "dynamic_resources"]

    public static func decode(json: String) throws -> ProxyBootstrap {
        XDSAnyTypes.registerAll()
        let document: Google_Protobuf_Struct
        do {
            document = try Google_Protobuf_Struct(jsonString: json)
        } catch {
            throw BootstrapError(field: "(document)", reason: "not a JSON object: \(error)")
        }
        for key in document.fields.keys.sorted() where !supportedTopLevel.contains(key) {
            throw BootstrapError(field: key, reason: "not supported by this proxy (supported: node, admin, static_resources, dynamic_resources)")
        }
        var bootstrap = ProxyBootstrap()
        if let resources = document.fields["static_resources"] {
            guard case .structValue(let fields)? = resources.kind else {
                throw BootstrapError(field: "static_resources", reason: "expected an object")
            }
            for key in fields.fields.keys.sorted() where key != "listeners" && key != "clusters" {
                throw BootstrapError(field: "static_resources.\(key)", reason: "not supported by this proxy")
            }
            bootstrap.listeners = try list(fields.fields["listeners"], field: "static_resources.listeners")
            bootstrap.clusters = try list(fields.fields["clusters"], field: "static_resources.clusters")
        }
        if let node = document.fields["node"] { bootstrap.node = try decodeNode(node) }
        if let dynamic = document.fields["dynamic_resources"] {
            bootstrap.ads = try decodeDynamicResources(dynamic, clusters: bootstrap.clusters)
            // The ADS cluster carries only the proxy's own gRPC stream, which the
            // ADS client dials itself; it is not a data-path cluster.
            if let ads = bootstrap.ads { bootstrap.clusters.removeAll { $0.name == ads.cluster } }
        }
        if let admin = document.fields["admin"] {
            let socket = admin.structValue.fields["address"]?.structValue.fields["socket_address"]?.structValue
            bootstrap.adminHost = socket?.fields["address"]?.stringValue
            if let port = socket?.fields["port_value"]?.numberValue { bootstrap.adminPort = Int(port) }
            for key in admin.structValue.fields.keys.sorted() where key != "address" && key != "access_log" {
                throw BootstrapError(field: "admin.\(key)", reason: "not supported by this proxy")
            }
        }
        return bootstrap
    }

    static func list<M: SwiftProtobuf.Message>(_ value: Google_Protobuf_Value?, field: String) throws -> [M] {
        guard let value else { return [] }
        guard case .listValue(let list)? = value.kind else { throw BootstrapError(field: field, reason: "expected a list") }
        var options = JSONDecodingOptions()
        options.ignoreUnknownFields = false
        return try list.values.enumerated().map { index, element in
            do {
                return try M(jsonString: try element.jsonString(), options: options)
            } catch {
                throw BootstrapError(field: "\(field)[\(index)]", reason: "\(error)")
            }
        }
    }
}
