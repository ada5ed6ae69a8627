import MeshConfig
import Testing
import MeshCore
@testable import MeshValidation

/// One table row: a document and what validation must say about it.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    /// For invalid cases: the field path an error must name. Nil for valid cases.
    let path: String?
    /// Optional: a fragment the error message must contain.
    let message: String?

    var testDescription: String { name }

    /// An Istio object of `kind` in namespace `default` named `name`, with `spec` (YAML
    /// indented by two spaces under `spec:`).
    static func istio(_ kind: String, _ name: String, apiVersion: String? = nil, spec: String, path: String? = nil, message: String? = nil, caseName: String? = nil) -> ValidationCase {
        let version = apiVersion ?? defaultAPIVersion(kind)
        let body = spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        let yaml = """
        apiVersion: \(version)
        kind: \(kind)
        metadata:
          name: \(name)
          namespace: default
        spec:
        \(body)
        """
        return ValidationCase(name: caseName ?? "\(kind) \(path ?? "valid"): \(message ?? name)", yaml: yaml, path: path, message: message)
    }

    static func raw(_ name: String, _ yaml: String, path: String? = nil, message: String? = nil) -> ValidationCase {
        ValidationCase(name: name, yaml: yaml, path: path, message: message)
    }

    static func defaultAPIVersion(_ kind: String) -> String {
        switch kind {
        case "PeerAuthentication", "AuthorizationPolicy", "RequestAuthentication": "security.istio.io/v1"
        case "Telemetry": "telemetry.istio.io/v1"
        default: "networking.istio.io/v1"
        }
    }

    func validate() -> ObjectReport {
        let (reports, failure) = ConfigValidator().validate(source: "case.yaml", bytes: Array(yaml.utf8))
        precondition(failure == nil, "fixture \(name) does not parse: \(failure!)")
        return reports[0]
    }
}
