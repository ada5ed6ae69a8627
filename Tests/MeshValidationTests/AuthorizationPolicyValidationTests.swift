import Testing
@testable import MeshValidation

/// AuthorizationPolicy: the CRD schema (enums, CEL rules) plus Istio's webhook rules
/// (`ValidateAuthorizationPolicy`, `security.ValidateAttribute`, path templates).
@Suite struct AuthorizationPolicyValidationTests {
    static let invalid: [ValidationCase] = [
        // Valid in Istio, refused here: no extension providers to enforce it.
        .istio("AuthorizationPolicy", "custom-provider", spec: """
        action: CUSTOM
        provider: {name: my-ext-authz}
        rules:
        - to: [{operation: {paths: ["/admin/*"], hosts: ["*.example.com"]}}]
          from: [{source: {ipBlocks: ["10.0.0.0/16"]}}]
        """, path: "spec.action", message: "CUSTOM (external authorization through an extension provider) is not supported"),
        .istio("AuthorizationPolicy", "custom-match-all", spec: """
        action: CUSTOM
        provider: {name: opa}
        rules: [{}]
        """, path: "spec.action", message: "not supported by SwiftMesh"),
        // Actions and providers.
        .istio("AuthorizationPolicy", "bad-action", spec: """
        action: REJECT
        rules: [{}]
        """, path: "spec.action", message: "unsupported value"),
        .istio("AuthorizationPolicy", "deny-without-rules", spec: """
        action: DENY
        selector: {matchLabels: {app: reviews}}
        """, path: "spec.rules", message: "DENY"),
        .istio("AuthorizationPolicy", "provider-with-allow", spec: """
        action: ALLOW
        provider: {name: ext-authz}
        rules: [{}]
        """, path: "spec.provider", message: "CUSTOM"),
        .istio("AuthorizationPolicy", "custom-without-provider", spec: """
        action: CUSTOM
        rules:
        - to: [{operation: {paths: [/admin]}}]
        """, path: "spec.provider.name", message: "provider name"),
        .istio("AuthorizationPolicy", "custom-without-rules", spec: """
        action: CUSTOM
        provider: {name: ext-authz}
        """, path: "spec.rules", message: "CUSTOM"),
        .istio("AuthorizationPolicy", "custom-with-principals", spec: """
        action: CUSTOM
        provider: {name: ext-authz}
        rules:
        - from: [{source: {principals: [cluster.local/ns/default/sa/web]}}]
        """, path: "spec.rules[0].from[0].source.principals", message: "not supported with action CUSTOM"),
        .istio("AuthorizationPolicy", "custom-with-jwt-condition", spec: """
        action: CUSTOM
        provider: {name: ext-authz}
        rules:
        - when: [{key: "request.auth.claims[iss]", values: [https://accounts.example.com]}]
        """, path: "spec.rules[0].when[0].key", message: "not supported with action CUSTOM"),
        // Rule structure.
        .istio("AuthorizationPolicy", "empty-from", spec: """
        rules:
        - from: []
          to: [{operation: {methods: [GET]}}]
        """, path: "spec.rules[0].from", message: "empty list"),
        .istio("AuthorizationPolicy", "empty-to", spec: """
        rules:
        - to: []
        """, path: "spec.rules[0].to", message: "empty list"),
        .istio("AuthorizationPolicy", "empty-source", spec: """
        rules:
        - from: [{source: {}}]
        """, path: "spec.rules[0].from[0].source", message: "at least one field"),
        .istio("AuthorizationPolicy", "source-only-empty-lists", spec: """
        rules:
        - from: [{source: {principals: [], namespaces: []}}]
        """, path: "spec.rules[0].from[0].source", message: "at least one field"),
        .istio("AuthorizationPolicy", "missing-source", spec: """
        rules:
        - from: [{}]
        """, path: "spec.rules[0].from[0].source", message: "required"),
        .istio("AuthorizationPolicy", "empty-operation", spec: """
        rules:
        - to: [{operation: {}}]
        """, path: "spec.rules[0].to[0].operation", message: "at least one field"),
        // Source values.
        .istio("AuthorizationPolicy", "bad-cidr-prefix", spec: """
        rules:
        - from: [{source: {ipBlocks: ["10.0.0.0/33"]}}]
        """, path: "spec.rules[0].from[0].source.ipBlocks[0]", message: "CIDR"),
        .istio("AuthorizationPolicy", "bad-remote-ip", spec: """
        rules:
        - from: [{source: {notRemoteIpBlocks: ["1.2.3"]}}]
        """, path: "spec.rules[0].from[0].source.notRemoteIpBlocks[0]", message: "not a valid IP"),
        .istio("AuthorizationPolicy", "empty-principal", spec: """
        rules:
        - from: [{source: {principals: [""]}}]
        """, path: "spec.rules[0].from[0].source.principals[0]", message: "empty value"),
        .istio("AuthorizationPolicy", "service-accounts-with-namespaces", spec: """
        rules:
        - from: [{source: {serviceAccounts: [default/web], namespaces: [default]}}]
        """, path: "spec.rules[0].from[0].source", message: "Cannot set serviceAccounts with namespaces or principals"),
        .istio("AuthorizationPolicy", "service-account-wildcard", spec: """
        rules:
        - from: [{source: {serviceAccounts: ["default/*"]}}]
        """, path: "spec.rules[0].from[0].source.serviceAccounts[0]", message: "wildcard"),
        .istio("AuthorizationPolicy", "service-account-too-many-slashes", spec: """
        rules:
        - from: [{source: {notServiceAccounts: [a/b/c]}}]
        """, path: "spec.rules[0].from[0].source.notServiceAccounts[0]", message: "NAMESPACE/NAME"),
        .istio("AuthorizationPolicy", "service-accounts-over-16", spec: """
        rules:
        - from: [{source: {serviceAccounts: [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17]}}]
        """, path: "spec.rules[0].from[0].source.serviceAccounts", message: "at most 16"),
        // Operation values.
        .istio("AuthorizationPolicy", "named-port", spec: """
        rules:
        - to: [{operation: {ports: [http]}}]
        """, path: "spec.rules[0].to[0].operation.ports[0]", message: "bad port"),
        .istio("AuthorizationPolicy", "not-port-out-of-range", spec: """
        rules:
        - to: [{operation: {notPorts: ["8080", "70000"]}}]
        """, path: "spec.rules[0].to[0].operation.notPorts[1]", message: "bad port"),
        .istio("AuthorizationPolicy", "double-star-not-last", spec: """
        rules:
        - to: [{operation: {paths: ["/files/{**}/{*}"]}}]
        """, path: "spec.rules[0].to[0].operation.paths[0]", message: "{**}"),
        .istio("AuthorizationPolicy", "double-star-twice", spec: """
        rules:
        - to: [{operation: {notPaths: ["/ok", "/{**}/{**}"]}}]
        """, path: "spec.rules[0].to[0].operation.notPaths[1]", message: "{**}"),
        .istio("AuthorizationPolicy", "named-path-variable", spec: """
        rules:
        - to: [{operation: {paths: ["/api/{id}/profile"]}}]
        """, path: "spec.rules[0].to[0].operation.paths[0]", message: "{ and }"),
        .istio("AuthorizationPolicy", "template-bad-literal", spec: """
        rules:
        - to: [{operation: {paths: ["/api/{*}/user profile"]}}]
        """, path: "spec.rules[0].to[0].operation.paths[0]", message: "not allowed in a path template"),
        .istio("AuthorizationPolicy", "empty-method", spec: """
        rules:
        - to: [{operation: {methods: [GET, ""]}}]
        """, path: "spec.rules[0].to[0].operation.methods[1]", message: "empty value"),
        // Conditions.
        .istio("AuthorizationPolicy", "unknown-when-key", spec: """
        rules:
        - when: [{key: request.method, values: [GET]}]
        """, path: "spec.rules[0].when[0].key", message: "unknown attribute"),
        .istio("AuthorizationPolicy", "headers-without-name", spec: """
        rules:
        - when: [{key: request.headers, values: [x]}]
        """, path: "spec.rules[0].when[0].key", message: "should have the form"),
        .istio("AuthorizationPolicy", "claims-empty-brackets", spec: """
        rules:
        - when: [{key: "request.auth.claims[]", values: [admin]}]
        """, path: "spec.rules[0].when[0].key", message: "should have the form"),
        .istio("AuthorizationPolicy", "envoy-filter-empty-brackets", spec: """
        rules:
        - when: [{key: "experimental.envoy.filters.network.mysql_proxy[]", values: [x]}]
        """, path: "spec.rules[0].when[0].key", message: "should have the form"),
        .istio("AuthorizationPolicy", "destination-namespace", spec: """
        rules:
        - when: [{key: destination.namespace, values: [default]}]
        """, path: "spec.rules[0].when[0].key", message: "not supported"),
        .istio("AuthorizationPolicy", "destination-labels", spec: """
        rules:
        - when: [{key: "destination.labels[app]", values: [web]}]
        """, path: "spec.rules[0].when[0].key", message: "selector"),
        .istio("AuthorizationPolicy", "when-without-values", spec: """
        rules:
        - when: [{key: source.ip}]
        """, path: "spec.rules[0].when[0]", message: "values or notValues"),
        .istio("AuthorizationPolicy", "when-empty-value-lists", spec: """
        rules:
        - when: [{key: connection.sni, values: [], notValues: []}]
        """, path: "spec.rules[0].when[0]", message: "values or notValues"),
        .istio("AuthorizationPolicy", "when-missing-key", spec: """
        rules:
        - when: [{values: [x]}]
        """, path: "spec.rules[0].when[0].key", message: "required"),
        .istio("AuthorizationPolicy", "when-bad-ip", spec: """
        rules:
        - when: [{key: source.ip, notValues: ["10.0.0.1/40"]}]
        """, path: "spec.rules[0].when[0].notValues[0]", message: "CIDR"),
        .istio("AuthorizationPolicy", "when-bad-port", spec: """
        rules:
        - when: [{key: destination.port, values: ["80", "http"]}]
        """, path: "spec.rules[0].when[0].values[1]", message: "bad port"),
        .istio("AuthorizationPolicy", "when-empty-value", spec: """
        rules:
        - when: [{key: request.auth.principal, values: [""]}]
        """, path: "spec.rules[0].when[0].values[0]", message: "empty value"),
        // Targets.
        .istio("AuthorizationPolicy", "selector-wildcard", spec: """
        selector: {matchLabels: {app: "*"}}
        rules: [{}]
        """, path: "spec.selector.matchLabels.app", message: "wildcard"),
        .istio("AuthorizationPolicy", "selector-and-target-ref", spec: """
        selector: {matchLabels: {app: web}}
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}
        rules: [{}]
        """, path: "spec", message: "only one of targetRefs or selector"),
        .istio("AuthorizationPolicy", "target-ref-deployment", spec: """
        targetRef: {kind: Deployment, group: apps, name: web}
        rules: [{}]
        """, path: "spec.targetRef", message: "not supported"),
        .istio("AuthorizationPolicy", "target-refs-cross-namespace", spec: """
        targetRefs:
        - {kind: Service, group: "", name: web, namespace: other}
        rules: [{}]
        """, path: "spec.targetRefs[0].namespace", message: "cross namespace"),
        .raw("AuthorizationPolicy dry-run not a bool", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: dry
          namespace: default
          annotations: {istio.io/dry-run: "yes"}
        spec:
          action: DENY
          rules: [{to: [{operation: {ports: ["8080"]}}]}]
        """, path: "metadata.annotations.istio.io/dry-run", message: "true or false"),
        .raw("AuthorizationPolicy dry-run with CUSTOM", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: dry
          namespace: default
          annotations: {istio.io/dry-run: "true"}
        spec:
          action: CUSTOM
          provider: {name: ext-authz}
          rules: [{}]
        """, path: "metadata.annotations.istio.io/dry-run", message: "ALLOW and DENY"),
    ]

    static let valid: [ValidationCase] = [
        .istio("AuthorizationPolicy", "v1beta1-principals", apiVersion: "security.istio.io/v1beta1", spec: """
        selector: {matchLabels: {app: reviews}}
        action: ALLOW
        rules:
        - from: [{source: {principals: ["cluster.local/ns/default/sa/bookinfo-productpage", "*"]}}]
          to: [{operation: {methods: [GET], paths: ["/reviews/*"]}}]
        """),
        .istio("AuthorizationPolicy", "allow-all", spec: """
        rules: [{}]
        """),
        .istio("AuthorizationPolicy", "allow-nothing", spec: "{}"),
        .istio("AuthorizationPolicy", "deny-with-ports", spec: """
        action: DENY
        rules:
        - to: [{operation: {ports: ["8080", "0", "65535"], notPaths: [/healthz]}}]
        """),
        .istio("AuthorizationPolicy", "deny-all", spec: """
        action: DENY
        rules: [{}]
        """),
        .istio("AuthorizationPolicy", "deny-ip-blocks", spec: """
        action: DENY
        rules:
        - from: [{source: {ipBlocks: ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"], notRemoteIpBlocks: ["10.0.0.0/8"]}}]
        """),
        .istio("AuthorizationPolicy", "audit", spec: """
        action: AUDIT
        rules:
        - to: [{operation: {methods: [POST], paths: [/data]}}]
        """),
        .istio("AuthorizationPolicy", "path-templates", spec: """
        rules:
        - to: [{operation: {paths: ["/api/{*}/x", "/files/{**}", "/{*}/{*}/{**}", "/static/{**}/index.html"], notPaths: ["/api/{*}/admin~old"]}}]
        """),
        .istio("AuthorizationPolicy", "when-keys", spec: """
        rules:
        - when:
          - {key: "request.auth.claims[groups]", values: [admins, "dev*"]}
          - {key: "request.auth.claims[realm_access][roles]", values: [reader]}
          - {key: "request.headers[x-api-key]", notValues: [revoked-key]}
          - {key: source.ip, values: ["10.0.0.0/8", "192.168.1.1"]}
          - {key: remote.ip, notValues: ["2001:db8::/48"]}
          - {key: destination.ip, values: ["10.1.2.3"]}
          - {key: destination.port, values: ["8080", "9090"]}
          - {key: connection.sni, values: ["*.example.com"]}
          - {key: source.namespace, notValues: [kube-system]}
          - {key: source.principal, values: ["cluster.local/ns/*"]}
          - {key: request.auth.audiences, values: [bookinfo]}
          - {key: request.auth.presenter, values: [web-client]}
          - {key: source.serviceAccount, values: [default/web, api]}
          - {key: "experimental.envoy.filters.network.mysql_proxy[db.table]", values: ["[update]"]}
        """, caseName: "AuthorizationPolicy valid: every supported when key"),
        .istio("AuthorizationPolicy", "service-accounts", spec: """
        rules:
        - from: [{source: {serviceAccounts: [default/web, api], notServiceAccounts: [other/batch]}}]
          to: [{operation: {methods: [GET, HEAD]}}]
        """),
        .istio("AuthorizationPolicy", "request-principals", spec: """
        rules:
        - from: [{source: {requestPrincipals: ["https://issuer.example.com/*"], notNamespaces: [untrusted]}}]
        """),
        .istio("AuthorizationPolicy", "target-ref-gateway", spec: """
        targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: ingress}
        rules: [{to: [{operation: {ports: ["443"]}}]}]
        """),
        .istio("AuthorizationPolicy", "target-refs-service", spec: """
        targetRefs:
        - {kind: Service, group: "", name: reviews}
        - {kind: ServiceEntry, group: networking.istio.io, name: external-api}
        rules: [{}]
        """),
        .raw("AuthorizationPolicy valid: dry-run DENY", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata:
          name: dry
          namespace: default
          annotations: {istio.io/dry-run: "true"}
        spec:
          action: DENY
          rules: [{to: [{operation: {ports: ["8080"]}}]}]
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }

    /// A DENY rule that only names HTTP attributes also denies every TCP port: Istio
    /// admits it with a warning.
    @Test func httpOnlyDenyWarns() {
        let report = ValidationCase.istio("AuthorizationPolicy", "deny-paths", spec: """
        action: DENY
        rules:
        - to: [{operation: {paths: [/admin]}}]
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.object != nil)
        #expect(report.warnings.contains { $0.path.description == "spec.rules[0]" && $0.message.contains("TCP") })
    }

    @Test func selectorWithoutLabelsWarns() {
        let report = ValidationCase.istio("AuthorizationPolicy", "empty-selector", spec: """
        selector: {}
        rules: [{}]
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.warnings.contains { $0.path.description == "spec.selector" })
    }
}
