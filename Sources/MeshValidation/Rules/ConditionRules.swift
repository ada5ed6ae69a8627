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
        if (condition.values ?? []).isEmpty && (condition.notValues ?? []).isEmpty {
            sink.error(path, "condition needs values or notValues")
        }
        CommonChecks.nonEmptyStrings(condition.values, path / "values", &sink)
        CommonChecks.nonEmptyStrings(condition.notValues, path / "notValues", &sink)
        if action == .custom, ["source.namespace", "source.serviceAccount", "source.principal"].contains(key) || key.hasPrefix("request.auth.") {
            sink.error(path / "key", "\(key) is not supported with action CUSTOM")
        }
        // Each value is reported where it sits: `values[i]` or `notValues[i]`.
        let values = [("values", condition.values ?? []), ("notValues", condition.notValues ?? [])].flatMap { field, list in
            list.enumerated().filter { !$0.element.isEmpty }.map { (path / field / $0.offset, $0.element) }
        }
        if let prefix = mapKeyPrefixes.first(where: { key.hasPrefix($0) }) {
            if !isMapKey(key) {
                sink.error(path / "key", "\"\(key)\" should have the form \(prefix.hasSuffix(".") ? prefix + "NAME" : prefix)[NAME]")
            }
        } else if ipKeys.contains(key) {
            for (valuePath, value) in values {
                if let problem = IPAddress.cidrProblem(value) { sink.error(valuePath, problem) }
            }
        } else if key == "destination.port" {
            for (valuePath, value) in values where Int(value).map({ (0...65535).contains($0) }) != true {
                sink.error(valuePath, "bad port \"\(value)\": must be a number in the range 0..65535")
            }
        } else if key == "source.serviceAccount" {
            for (valuePath, value) in values {
                if let problem = serviceAccountProblem(value) { sink.error(valuePath, problem) }
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

    /// Istio's `validateMapKey`: `a[b]` — a `[` after the first character, a closing `]`
    /// at the end and at least one character between them.
    static func isMapKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard let open = bytes.firstIndex(of: UInt8(ascii: "[")), bytes.last == UInt8(ascii: "]") else { return false }
        return open > 0 && open < bytes.count - 2
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
