import Foundation
import SwiftProtobuf
import XDSAPI

/// Resources as Envoy's JSON: `{"listeners": [...], "routes": [...], ...}` with
/// nested Any values expanded (`@type`), keys sorted.
extension ProxyResources {
    public func json(type: String = "all") throws -> String {
        let resources = self
        XDSAnyTypes.registerAll()
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        func array<M: SwiftProtobuf.Message>(_ items: [M]) throws -> [Any] {
            try items.map { try JSONSerialization.jsonObject(with: Data($0.jsonString(options: options).utf8)) }
        }
        var object: [String: Any] = [:]
        for (key, items) in [("listeners", try array(resources.listeners)), ("routes", try array(resources.routes)),
                             ("clusters", try array(resources.clusters)), ("endpoints", try array(resources.endpoints)),
                             ("secrets", try array(resources.secrets))] where type == "all" || type == key {
            object[key] = items
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
