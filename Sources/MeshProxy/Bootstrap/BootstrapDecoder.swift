import MeshCore
import SwiftProtobuf
import XDSAPI

/// Decodes an Envoy bootstrap, written in JSON or YAML. There is no Bootstrap
/// message in our proto subset: the document is read as a generic Struct, and each
/// static listener and cluster is decoded as the typed message Envoy would decode,
/// with unknown fields refused.
public enum BootstrapDecoder {
    static let supportedTopLevel: Set<String> = ["node", "admin", "static_resources", "dynamic_resources"]

    /// Reads `-c FILE`: YAML when the name ends in `.yaml` / `.yml`, JSON otherwise
    /// (Envoy's rule). Errors name the file, the line and the field.
    public static func decode(file path: String) throws -> ProxyBootstrap {
        try decode(BootstrapDocument.read(path))
    }

    public static func decode(json: String) throws -> ProxyBootstrap {
        try decode(BootstrapDocument.parse(json, format: .json, source: nil))
    }

    public static func decode(yaml: String) throws -> ProxyBootstrap {
        try decode(BootstrapDocument.parse(yaml, format: .yaml, source: nil))
    }

    static func decode(_ document: BootstrapDocument) throws(BootstrapError) -> ProxyBootstrap {
        XDSAnyTypes.registerAll()
        do {
            return try decode(document.root)
        } catch {
            throw document.locating(error)
        }
    }

    private static func decode(_ document: Google_Protobuf_Struct) throws(BootstrapError) -> ProxyBootstrap {
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
        if let admin = document.fields["admin"] { try decodeAdmin(admin, into: &bootstrap) }
        return bootstrap
    }

    private static func decodeAdmin(_ admin: Google_Protobuf_Value, into bootstrap: inout ProxyBootstrap) throws(BootstrapError) {
        guard case .structValue(let fields)? = admin.kind else { throw BootstrapError(field: "admin", reason: "expected an object") }
        for key in fields.fields.keys.sorted() where key != "address" && key != "access_log" {
            throw BootstrapError(field: "admin.\(key)", reason: "not supported by this proxy")
        }
        guard let address = fields.fields["address"] else { return }
        let socket = try typed(Envoy_Config_Core_V3_Address.self, address, at: FieldPath(parsing: "admin.address")).socketAddress
        bootstrap.adminHost = socket.address
        if case .portValue(let port)? = socket.portSpecifier { bootstrap.adminPort = Int(port) }
    }

    static func list<M: SwiftProtobuf.Message>(_ value: Google_Protobuf_Value?, field: String) throws(BootstrapError) -> [M] {
        guard let value else { return [] }
        guard case .listValue(let list)? = value.kind else { throw BootstrapError(field: field, reason: "expected a list") }
        let path = FieldPath(parsing: field)
        var decoded: [M] = []
        for (index, element) in list.values.enumerated() {
            decoded.append(try typed(M.self, element, at: path.appending(index)))
        }
        return decoded
    }
}
