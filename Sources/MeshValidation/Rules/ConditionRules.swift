import MeshConfig
import MeshCore

/// `when` conditions of AuthorizationPolicy rules: known keys and value formats.
enum ConditionRules {
    static let anyValueKeys: Set<String> = ["source.namespace", "source.principal", "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "connection.sni"]
    static let ipKeys: Set<String> = ["source.ip", "remote.ip", "destination.ip"]
    static let mapKeyPrefixes = ["request.headers", "request.experimental.inline.headers", "request.auth.claims", "experimental.envoy.filters."]

    static func validate(_ condition: Condition, _ path: FieldPath, action: AuthorizationPolicy.Action, _ sink: inout DiagnosticSink) {
        let key = condition.key ?? ""
        if key.isEmpty { sink.error(path / "key", "key is required"); return }
        if condition.values == nil && condition.notValues == nil {
            sink.error(path, "condition needs values or notValues")
        }
        CommonChecks.nonEmptyStrings(condition.values, path / "values", &sink)
        CommonChecks.nonEmptyStrings(condition.notValues, path / "notValues", &sink)
        if action == .custom, ["source.namespace", "source.serviceAccount", "source.principal"].contains(key) || key.hasPrefix("request.auth.") {
            sink.error(path / "key", "\(key) is not supported with action CUSTOM")
        }
        let values = (condition.values ?? []) + (condition.notValues ?? [])
        if let prefix = mapKeyPrefixes.first(where: { key.hasPrefix($0) }) {
            let rest = key.dropFirst(prefix.count)
            let bracket = key.firstIndex(of: "[")
            if bracket == nil || bracket == key.startIndex || !key.hasSuffix("]") || rest.count < 3 && !prefix.hasSuffix(".") {
                sink.error(path / "key", "\"\(key)\" should have the form \(prefix.hasSuffix(".") ? prefix + "NAME" : prefix)[NAME]")
            }
        } else if ipKeys.contains(key) {
            for value in values where !value.isEmpty {
                if let problem = IPAddress.cidrProblem(value) { sink.error(path / "values", problem) }
            }
        } else if key == "destination.port" {
            for value in values where !value.isEmpty {
                if Int(value).map({ (0...65535).contains($0) }) != true { sink.error(path / "values", "bad port \"\(value)\"") }
            }
        } else if key == "source.serviceAccount" {
            for value in values {
                if let problem = serviceAccountProblem(value) { sink.error(path / "values", problem) }
            }
        } else if anyValueKeys.contains(key) {
            return
        } else if key == "destination.namespace" {
            sink.error(path / "key", "destination.namespace is not supported: the policy's own namespace applies")
        } else if key.hasPrefix("destination.labels") {
            sink.error(path / "key", "destination.labels is not supported: use the policy's selector")
        } else if key == "destination.name" || key == "destination.user" {
            sink.error(path / "key", "\(key) is no longer supported")
        } else {
            sink.error(path / "key", "unknown attribute \"\(key)\" (e.g. source.ip, request.headers[NAME], request.auth.claims[NAME], destination.port, connection.sni)")
        }
    }

    /// `sa` or `namespace/sa`, no wildcards.
    static func serviceAccountProblem(_ value: String) -> String? {
        if value.isEmpty { return "empty service account" }
        if value.contains("*") { return "service account \"\(value)\" cannot contain wildcards" }
        if value.utf8.count > 320 { return "service account \"\(value)\" is too long" }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count > 2 || parts.contains(where: \.isEmpty) {
            return "service account \"\(value)\" must be NAME or NAMESPACE/NAME"
        }
        return nil
    }
}
