import Testing
@testable import MeshValidation

/// Kubernetes kinds SwiftMesh reads (the API server's checks on the fields it uses) and
/// the object envelope of every kind (apiVersion, kind, metadata, top-level fields).
@Suite struct KubernetesValidationTests {
    /// A Service in `default` named `name` with `spec` (indented under `spec:`).
    static func service(_ name: String, spec: String, path: String? = nil, message: String? = nil) -> ValidationCase {
        let body = spec.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
        return .raw("Service \(path ?? "valid"): \(message ?? name)", """
        apiVersion: v1
        kind: Service
        metadata: {name: \(name), namespace: default}
        spec:
        \(body)
        """, path: path, message: message)
    }

    static let invalidServices: [ValidationCase] = [
        service("zero-port", spec: "ports: [{name: http, port: 0}]", path: "spec.ports[0].port", message: "1..65535"),
        service("big-port", spec: "ports: [{name: http, port: 70000}]", path: "spec.ports[0].port", message: "1..65535"),
        service("no-port", spec: "ports: [{name: http, targetPort: 8080}]", path: "spec.ports[0].port", message: "required"),
        service("dup-names", spec: """
        ports:
        - {name: http, port: 80}
        - {name: http, port: 8080}
        """, path: "spec.ports[1].name", message: "duplicate port name"),
        service("unnamed-ports", spec: """
        ports:
        - {port: 80}
        - {name: https, port: 443}
        """, path: "spec.ports[0].name", message: "more than one port"),
        service("upper-port-name", spec: "ports: [{name: HTTP, port: 80}]", path: "spec.ports[0].name", message: "DNS-1123"),
        service("bad-protocol", spec: "ports: [{name: http, port: 80, protocol: HTTP}]", path: "spec.ports[0].protocol", message: "TCP, UDP or SCTP"),
        service("dup-port-protocol", spec: """
        ports:
        - {name: a, port: 80}
        - {name: b, port: 80, protocol: TCP}
        """, path: "spec.ports[1].port", message: "duplicate port 80/TCP"),
        service("big-target-port", spec: "ports: [{name: http, port: 80, targetPort: 70000}]", path: "spec.ports[0].targetPort", message: "1..65535"),
        service("bad-named-target-port", spec: "ports: [{name: http, port: 80, targetPort: http_web}]", path: "spec.ports[0].targetPort", message: "IANA service name"),
        service("long-named-target-port", spec: "ports: [{name: http, port: 80, targetPort: web-frontend-http}]", path: "spec.ports[0].targetPort", message: "IANA service name"),
        service("bad-cluster-ip", spec: """
        clusterIP: 10.0.0.300
        ports: [{name: http, port: 80}]
        """, path: "spec.clusterIP", message: "IP address or None"),
        service("bad-selector-value", spec: """
        selector: {app: "web app"}
        ports: [{name: http, port: 80}]
        """, path: "spec.selector.app", message: "value"),
        .raw("Service name starting with a digit", """
        apiVersion: v1
        kind: Service
        metadata: {name: 1reviews, namespace: default}
        spec: {ports: [{name: http, port: 80}]}
        """, path: "metadata.name", message: "DNS-1035"),
        .raw("Service name with a dot", """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews.v1, namespace: default}
        spec: {ports: [{name: http, port: 80}]}
        """, path: "metadata.name", message: "DNS-1035"),
        .raw("Service port as a string", """
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec: {ports: [{name: http, port: "eighty"}]}
        """, path: "spec.ports[0].port", message: "expected integer"),
    ]

    static let invalidWorkloads: [ValidationCase] = [
        .raw("Endpoints bad IP", """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: reviews, namespace: default}
        subsets:
        - addresses: [{ip: 10.1.0.7}, {ip: 10.1.0.999}]
          ports: [{name: http, port: 9080}]
        """, path: "subsets[0].addresses[1].ip", message: "not an IP address"),
        .raw("Endpoints hostname as IP", """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: reviews, namespace: default}
        subsets:
        - notReadyAddresses: [{ip: reviews-v1.default}]
        """, path: "subsets[0].notReadyAddresses[0].ip", message: "not an IP address"),
        .raw("Endpoints port 0", """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: reviews, namespace: default}
        subsets:
        - addresses: [{ip: 10.1.0.7}]
          ports: [{name: http, port: 0}]
        """, path: "subsets[0].ports[0].port", message: "1..65535"),
        .raw("EndpointSlice bad addressType", """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: reviews-abc, namespace: default}
        addressType: IP
        endpoints: [{addresses: [10.1.0.7]}]
        """, path: "addressType", message: "IPv4, IPv6 or FQDN"),
        .raw("EndpointSlice IPv6 address in IPv4 slice", """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: reviews-abc, namespace: default}
        addressType: IPv4
        endpoints: [{addresses: ["fd00::7"]}]
        """, path: "endpoints[0].addresses[0]", message: "IPv4"),
        .raw("EndpointSlice bad IPv6", """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: reviews-abc, namespace: default}
        addressType: IPv6
        endpoints: [{addresses: ["fd00::1", "fd00:::2"]}]
        ports: [{name: http, port: 9080}]
        """, path: "endpoints[0].addresses[1]", message: "IPv6"),
        .raw("EndpointSlice port too large", """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: reviews-abc, namespace: default}
        addressType: IPv4
        endpoints: [{addresses: [10.1.0.7]}]
        ports: [{name: http, port: 90800}]
        """, path: "ports[0].port", message: "1..65535"),
        .raw("Secret data not base64", """
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-cert, namespace: default}
        data: {tls.crt: "not*base64", tls.key: a2V5}
        """, path: "data.tls.crt", message: "not valid base64"),
        .raw("TLS Secret without a key", """
        apiVersion: v1
        kind: Secret
        metadata: {name: shop-cert, namespace: default}
        type: kubernetes.io/tls
        data: {tls.crt: Y2VydA==}
        """, path: "data", message: "tls.crt and tls.key"),
        .raw("Deployment selector does not match template", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews-v1, namespace: default}
        spec:
          selector: {matchLabels: {app: reviews, version: v1}}
          template:
            metadata: {labels: {app: reviews, version: v2}}
            spec: {containers: [{name: reviews, image: reviews:1}]}
        """, path: "spec.selector.matchLabels.version", message: "does not match"),
        .raw("Deployment without selector", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews-v1, namespace: default}
        spec:
          template:
            metadata: {labels: {app: reviews}}
            spec: {containers: [{name: reviews, image: reviews:1}]}
        """, path: "spec.selector", message: "non-empty selector"),
        .raw("Deployment bad template label", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews-v1, namespace: default}
        spec:
          selector: {matchLabels: {app: reviews}}
          template:
            metadata: {labels: {app: reviews, "-bad": x}}
        """, path: "spec.template.metadata.labels.-bad", message: "label key"),
        .raw("Pod bad podIP", """
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews-v1-abc, namespace: default, labels: {app: reviews}}
        spec: {containers: [{name: reviews, image: reviews:1}]}
        status: {podIP: 10.1.0}
        """, path: "status.podIP", message: "not an IP address"),
        .raw("Namespace name with a dot", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team.a}
        """, path: "metadata.name", message: "DNS-1123 label"),
        .raw("ServiceAccount upper-case name", """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: Bookinfo-Reviews, namespace: default}
        """, path: "metadata.name", message: "lower case"),
    ]

    static let invalidEnvelopes: [ValidationCase] = [
        .raw("missing apiVersion", """
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec: {ports: [{name: http, port: 80}]}
        """, path: "apiVersion", message: "required field is missing"),
        .raw("missing kind", """
        apiVersion: security.istio.io/v1
        metadata: {name: allow-all, namespace: default}
        spec: {rules: [{}]}
        """, path: "kind", message: "required field is missing"),
        .raw("apiVersion not a string", """
        apiVersion: [v1]
        kind: ServiceAccount
        metadata: {name: reviews, namespace: default}
        """, path: "apiVersion", message: "non-empty string"),
        .raw("missing name", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {namespace: default}
        spec: {mtls: {mode: STRICT}}
        """, path: "metadata.name", message: "name is required"),
        .raw("invalid name", """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: Mesh_Default, namespace: istio-system}
        spec: {tracing: [{randomSamplingPercentage: 1}]}
        """, path: "metadata.name", message: "lower case"),
        .raw("invalid namespace", """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: reviews, namespace: Default}
        """, path: "metadata.namespace", message: "DNS-1123 label"),
        .raw("metadata not an object", """
        apiVersion: v1
        kind: ServiceAccount
        metadata: reviews
        """, path: "metadata", message: "expected object"),
        .raw("bad label key", """
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews, namespace: default, labels: {"app/name/x": reviews}}
        """, path: "metadata.labels.app/name/x", message: "label key"),
        .raw("unknown top-level field on an Istio kind", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow-all, namespace: default}
        spec: {rules: [{}]}
        rules: [{}]
        """, path: "rules", message: "unknown field"),
        .raw("unserved apiVersion", """
        apiVersion: security.istio.io/v1alpha1
        kind: AuthorizationPolicy
        metadata: {name: allow-all, namespace: default}
        spec: {rules: [{}]}
        """, path: "apiVersion", message: "not served"),
        .raw("unserved Kubernetes apiVersion", """
        apiVersion: apps/v1beta2
        kind: Deployment
        metadata: {name: reviews, namespace: default}
        """, path: "apiVersion", message: "not served"),
        .raw("document is a list", """
        - apiVersion: v1
          kind: ServiceAccount
          metadata: {name: reviews}
        """, path: "", message: "must be an object"),
        .raw("istio spec is a list", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: default, namespace: default}
        spec: [{mtls: {mode: STRICT}}]
        """, path: "spec", message: "expected object"),
        .raw("webhook-always-reject annotation", """
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata:
          name: mesh-default
          namespace: istio-system
          annotations: {internal.istio.io/webhook-always-reject: "true"}
        spec: {}
        """, path: "metadata.annotations.internal.istio.io/webhook-always-reject", message: "rejected"),
        .raw("dry-run annotation on a non-AuthorizationPolicy", """
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata:
          name: default
          namespace: default
          annotations: {istio.io/dry-run: "true"}
        spec: {mtls: {mode: STRICT}}
        """, path: "metadata.annotations.istio.io/dry-run", message: "only supported on AuthorizationPolicy"),
    ]

    static let valid: [ValidationCase] = [
        service("reviews", spec: """
        selector: {app: reviews}
        ports:
        - {name: http, port: 9080, targetPort: http-web}
        - {name: grpc, port: 9090, targetPort: 9090, appProtocol: grpc}
        """),
        service("single-unnamed-port", spec: "ports: [{port: 80}]"),
        service("headless", spec: """
        clusterIP: None
        selector: {app: db}
        ports: [{name: tcp-db, port: 5432}]
        """),
        service("dns-tcp-and-udp", spec: """
        clusterIP: 10.96.0.10
        clusterIPs: [10.96.0.10, "fd00:10:96::a"]
        ports:
        - {name: dns, port: 53, protocol: UDP}
        - {name: dns-tcp, port: 53, protocol: TCP}
        - {name: sctp, port: 9999, protocol: SCTP}
        """),
        service("target-port-zero", spec: "ports: [{name: http, port: 80, targetPort: 0}]"),
        service("external-name", spec: """
        type: ExternalName
        externalName: api.example.com
        """),
        .raw("Endpoints valid", """
        apiVersion: v1
        kind: Endpoints
        metadata: {name: reviews, namespace: default}
        subsets:
        - addresses: [{ip: 10.1.0.7, targetRef: {kind: Pod, name: reviews-v1-abc, namespace: default}}, {ip: "fd00::7"}]
          notReadyAddresses: [{ip: 10.1.0.8}]
          ports: [{name: http, port: 9080, protocol: TCP}]
        """),
        .raw("EndpointSlice IPv6", """
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata: {name: reviews-v6, namespace: default, labels: {kubernetes.io/service-name: reviews}}
        addressType: IPv6
        endpoints:
        - addresses: ["fd00:10:244::7", "2001:db8::1"]
          conditions: {ready: true, serving: true, terminating: false}
          zone: us-east-1a
        ports: [{name: http, port: 9080, protocol: TCP, appProtocol: http}]
        """),
        .raw("EndpointSlice v1beta1 FQDN", """
        apiVersion: discovery.k8s.io/v1beta1
        kind: EndpointSlice
        metadata: {name: external-abc, namespace: default}
        addressType: FQDN
        endpoints: [{addresses: [api.example.com]}]
        """),
        .raw("Deployment matching labels", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: reviews-v1, namespace: default, labels: {app: reviews}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: reviews, version: v1}}
          template:
            metadata:
              labels: {app: reviews, version: v1, extra: yes-really}
              annotations: {sidecar.istio.io/inject: "true"}
            spec:
              serviceAccountName: bookinfo-reviews
              containers: [{name: reviews, image: "docker.io/istio/examples-bookinfo-reviews-v1:1.20", ports: [{containerPort: 9080}]}]
        """),
        .raw("Pod with status", """
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews-v1-abc, namespace: default, labels: {app: reviews, version: v1}}
        spec: {serviceAccountName: bookinfo-reviews, containers: [{name: reviews, ports: [{name: http, containerPort: 9080}]}]}
        status: {podIP: "fd00::7", phase: Running}
        """),
        .raw("Namespace with injection label", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: bookinfo, labels: {istio-injection: enabled, istio.io/rev: canary}}
        """),
        .raw("ServiceAccount", """
        apiVersion: v1
        kind: ServiceAccount
        metadata: {name: bookinfo.reviews, namespace: default}
        """),
        .raw("Istio object with generateName only", """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {generateName: allow-, namespace: default}
        spec: {rules: [{}]}
        """),
        .raw("status on an Istio kind, name with dots", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews.v1, namespace: default}
        spec: {hosts: [reviews], http: [{route: [{destination: {host: reviews}}]}]}
        status: {observedGeneration: 1}
        """),
    ]

    @Test(arguments: invalidServices + invalidWorkloads + invalidEnvelopes)
    func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }

    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }

    /// Kinds SwiftMesh does not read (Gateway API, CRDs of other projects, other groups'
    /// versions of a known kind name) are skipped with a warning, never an error.
    @Test(arguments: [
        ("gateway.networking.k8s.io/v1", "HTTPRoute"),
        ("cert-manager.io/v1", "Certificate"),
        ("v1", "PersistentVolumeClaim"),
        ("networking.k8s.io/v1", "Gateway"),
    ])
    func unknownKindIsSkipped(_ apiVersion: String, _ kind: String) {
        let report = ValidationCase.raw("unknown \(kind)", """
        apiVersion: \(apiVersion)
        kind: \(kind)
        metadata: {name: Not_Checked, namespace: default}
        spec: {anything: [1, 2, 3]}
        """).validate()
        #expect(report.skipped)
        #expect(report.errors.isEmpty)
        #expect(report.object == nil)
        #expect(report.warnings.contains { $0.message.contains("unknown kind \(kind)") })
    }

    /// A namespace on a cluster-scoped kind is ignored with a warning.
    @Test func namespaceOnNamespaceWarns() {
        let report = ValidationCase.raw("namespaced Namespace", """
        apiVersion: v1
        kind: Namespace
        metadata: {name: bookinfo, namespace: default}
        """).validate()
        #expect(report.errors.isEmpty)
        #expect(report.object != nil)
        #expect(report.warnings.contains { $0.path.description == "metadata.namespace" })
    }
}
