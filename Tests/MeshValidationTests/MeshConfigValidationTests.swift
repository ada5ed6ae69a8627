import Testing
@testable import MeshValidation

/// Istio's MeshConfig in ConfigMap `istio` (key `mesh`): parse errors and provider
/// rules name the field inside the mesh text.
@Suite struct MeshConfigValidationTests {
    static func meshMap(_ name: String, _ mesh: String, path: String? = nil, message: String? = nil) -> ValidationCase {
        let body = mesh.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return .raw("mesh \(path ?? "valid"): \(message ?? name)", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
        \(body)
        """, path: path, message: message)
    }

    static let invalid: [ValidationCase] = [
        meshMap("not-yaml", "trustDomain: [unclosed", path: "data.mesh", message: "does not parse"),
        meshMap("wrong-type", "enableTracing: {a: 1}", path: "data.mesh", message: "does not parse"),
        meshMap("no-name", "extensionProviders:\n- envoyFileAccessLog: {path: /dev/stdout}", path: "data.mesh.extensionProviders[0].name", message: "needs a name"),
        meshMap("two-kinds", "extensionProviders:\n- name: x\n  envoyFileAccessLog: {path: /dev/stdout}\n  opentelemetry: {service: c, port: 4318}", path: "data.mesh.extensionProviders[0]", message: "exactly one kind"),
        meshMap("dup", "extensionProviders:\n- name: x\n  envoyFileAccessLog: {path: /a}\n- name: x\n  envoyFileAccessLog: {path: /b}", path: "data.mesh.extensionProviders[1].name", message: "duplicate"),
        meshMap("otel-port", "extensionProviders:\n- name: otel\n  opentelemetry: {service: c, port: 70000}", path: "data.mesh.extensionProviders[0].opentelemetry.port", message: "out of range"),
        meshMap("unknown-default", "defaultProviders: {tracing: [nope]}", path: "data.mesh.defaultProviders.tracing[0]", message: "unknown extension provider"),
    ]

    static let valid: [ValidationCase] = [
        meshMap("full", """
        trustDomain: example.org
        accessLogFile: /dev/stdout
        accessLogEncoding: JSON
        enableTracing: true
        pathNormalization: {normalization: MERGE_SLASHES}
        defaultProviders: {tracing: [otel], accessLogging: [json-log]}
        extensionProviders:
        - name: otel
          opentelemetry: {service: collector.observability.svc.cluster.local, port: 4318, http: {path: /v1/traces, timeout: 5s}}
        - name: json-log
          envoyFileAccessLog: {path: /dev/stdout, logFormat: {labels: {code: "%RESPONSE_CODE%"}}}
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
