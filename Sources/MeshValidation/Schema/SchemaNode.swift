import Foundation
import MeshCore

/// One node of a Kubernetes structural (OpenAPI v3) schema, as Istio's CRDs publish
/// them. Immutable once built; shared by every validation.
final class SchemaNode: Sendable {
    let type: String?
    let properties: [String: SchemaNode]
    let items: SchemaNode?
    let additionalProperties: SchemaNode?
    let enumValues: [String]?
    let required: [String]
    let oneOf: [SchemaNode]
    let anyOf: [SchemaNode]
    let allOf: [SchemaNode]
    let not: SchemaNode?
    let minimum: Double?
    let maximum: Double?
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let maxItems: Int?
    let minProperties: Int?
    let maxProperties: Int?
    let pattern: RegexPattern?
    let format: String?
    let nullable: Bool
    let intOrString: Bool
    let preserveUnknownFields: Bool
    let rules: [CELRule]
    let listMapKeys: [String]

    init(json: [String: Any]) {
        func child(_ key: String) -> SchemaNode? {
            (json[key] as? [String: Any]).map(SchemaNode.init(json:))
        }
        func children(_ key: String) -> [SchemaNode] {
            (json[key] as? [[String: Any]])?.map(SchemaNode.init(json:)) ?? []
        }
        func number(_ key: String) -> Double? { jsonNumber(json[key]) }
        type = json["type"] as? String
        var props: [String: SchemaNode] = [:]
        for (key, value) in (json["properties"] as? [String: Any]) ?? [:] {
            if let object = value as? [String: Any] { props[key] = SchemaNode(json: object) }
        }
        properties = props
        items = child("items")
        additionalProperties = child("additionalProperties")
        enumValues = (json["enum"] as? [Any])?.compactMap { $0 as? String }
        required = (json["required"] as? [String]) ?? []
        oneOf = children("oneOf")
        anyOf = children("anyOf")
        allOf = children("allOf")
        not = child("not")
        minimum = number("minimum")
        maximum = number("maximum")
        minLength = number("minLength").map { Int($0) }
        maxLength = number("maxLength").map { Int($0) }
        minItems = number("minItems").map { Int($0) }
        maxItems = number("maxItems").map { Int($0) }
        minProperties = number("minProperties").map { Int($0) }
        maxProperties = number("maxProperties").map { Int($0) }
        pattern = (json["pattern"] as? String).flatMap { try? RegexPattern($0) }
        format = json["format"] as? String
        nullable = (json["nullable"] as? Bool) ?? false
        intOrString = (json["x-kubernetes-int-or-string"] as? Bool) ?? false
        preserveUnknownFields = (json["x-kubernetes-preserve-unknown-fields"] as? Bool) ?? false
        rules = ((json["x-kubernetes-validations"] as? [[String: Any]]) ?? []).compactMap { entry in
            guard let rule = entry["rule"] as? String else { return nil }
            return CELRule(rule: rule, message: (entry["message"] as? String) ?? "")
        }
        listMapKeys = (json["x-kubernetes-list-map-keys"] as? [String]) ?? []
    }
}

/// Numbers from JSONSerialization arrive as NSNumber (or Int/Double); read any.
func jsonNumber(_ value: Any?) -> Double? {
    switch value {
    case let number as NSNumber: number.doubleValue
    case let number as Double: number
    case let number as Int: Double(number)
    default: nil
    }
}
