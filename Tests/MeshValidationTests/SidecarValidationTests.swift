import Testing

/// Sidecar: ingress listeners (ports, binds, defaultEndpoint, TLS, pools), egress
/// listeners (`namespace/host` hosts, catch-all, unix binds) and the outbound traffic
/// policy. Expectations follow Istio's validating webhook.
@Suite struct SidecarValidationTests {
    static let invalid: [ValidationCase] = [
        // MARK: whole sidecar
        .istio("Sidecar", "empty", spec: """
        workloadSelector:
          labels: {app: reviews}
        """, path: "spec", message: "empty Sidecar"),
        .istio("Sidecar", "empty-lists", spec: """
        egress: []
        ingress: []
        """, path: "spec", message: "empty Sidecar"),
        .istio("Sidecar", "selector-wildcard-key", spec: """
        workloadSelector:
          labels: {"app*": reviews}
        egress:
        - hosts: ["./*"]
        """, path: "spec.workloadSelector.labels.app*", message: "wildcard"),
        .istio("Sidecar", "selector-wildcard-value", spec: """
        workloadSelector:
          labels: {app: "rev*"}
        egress:
        - hosts: ["./*"]
        """, path: "spec.workloadSelector.labels.app", message: "wildcard"),
        .istio("Sidecar", "empty-inbound-pool", spec: "inboundConnectionPool: {}", path: "spec.inboundConnectionPool", message: "http or tcp"),

        // MARK: egress hosts
        .istio("Sidecar", "host-without-namespace", spec: """
        egress:
        - hosts: [reviews.default.svc.cluster.local]
        """, path: "spec.egress[0].hosts[0]", message: "namespace/dnsName"),
        .istio("Sidecar", "short-name-host", spec: """
        egress:
        - hosts: [default/reviews]
        """, path: "spec.egress[0].hosts[0]", message: "short name"),
        .istio("Sidecar", "ip-host", spec: """
        egress:
        - hosts: [default/10.1.2.3]
        """, path: "spec.egress[0].hosts[0]", message: "IP"),
        .istio("Sidecar", "partial-wildcard-host", spec: """
        egress:
        - hosts: ["*/foo*.example.com"]
        """, path: "spec.egress[0].hosts[0]", message: "partial wildcard"),
        .istio("Sidecar", "bad-namespace", spec: """
        egress:
        - hosts: ["bad_ns/*"]
        """, path: "spec.egress[0].hosts[0]", message: "invalid namespace"),
        .istio("Sidecar", "empty-egress-hosts", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: HTTP}
          hosts: []
        """, path: "spec.egress[0].hosts", message: "at least one host"),
        .istio("Sidecar", "missing-egress-hosts", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: HTTP}
        """, path: "spec.egress[0].hosts", message: "required"),

        // MARK: egress listeners
        .istio("Sidecar", "catch-all-not-last", spec: """
        egress:
        - hosts: ["istio-system/*"]
        - port: {number: 9080, name: http, protocol: HTTP}
          hosts: ["./*"]
        """, path: "spec.egress[0]", message: "last"),
        .istio("Sidecar", "duplicate-egress-ports", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: HTTP}
          hosts: ["./*"]
        - port: {number: 9080, name: http-other, protocol: HTTP}
          hosts: ["istio-system/*"]
        """, path: "spec.egress[1].port.number", message: "duplicate"),
        .istio("Sidecar", "port-zero-without-unix", spec: """
        egress:
        - port: {number: 0, name: uds, protocol: HTTP}
          hosts: ["./*"]
        """, path: "spec.egress[0].port.number", message: "unix://"),
        .istio("Sidecar", "unix-with-iptables", spec: """
        egress:
        - port: {number: 0, name: uds, protocol: HTTP}
          bind: unix:///var/run/egress.sock
          captureMode: IPTABLES
          hosts: ["./*"]
        """, path: "spec.egress[0].captureMode", message: "DEFAULT or NONE"),
        .istio("Sidecar", "unix-relative-bind", spec: """
        egress:
        - port: {number: 0, name: uds, protocol: HTTP}
          bind: unix://var/run/egress.sock
          hosts: ["./*"]
        """, path: "spec.egress[0].bind", message: "absolute"),
        .istio("Sidecar", "duplicate-unix-binds", spec: """
        egress:
        - port: {number: 0, name: uds-a, protocol: HTTP}
          bind: unix:///var/run/egress.sock
          hosts: ["./*"]
        - port: {number: 0, name: uds-b, protocol: TCP}
          bind: unix:///var/run/egress.sock
          hosts: ["istio-system/*"]
        """, path: "spec.egress[1].bind", message: "duplicate"),
        .istio("Sidecar", "egress-hostname-bind", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: HTTP}
          bind: localhost
          hosts: ["./*"]
        """, path: "spec.egress[0].bind", message: "IP address"),
        .istio("Sidecar", "egress-protocol", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: SPDY}
          hosts: ["./*"]
        """, path: "spec.egress[0].port.protocol", message: "unsupported protocol"),
        .istio("Sidecar", "egress-target-port", spec: """
        egress:
        - port: {number: 9080, name: http, protocol: HTTP, targetPort: 8080}
          hosts: ["./*"]
        """, path: "spec.egress[0].port.targetPort", message: "targetPort"),

        // MARK: ingress listeners
        .istio("Sidecar", "duplicate-ingress-ports", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: 127.0.0.1:8080
        - port: {number: 9080, name: http-alt, protocol: HTTP}
          defaultEndpoint: 127.0.0.1:8081
        """, path: "spec.ingress[1].port.number", message: "duplicate"),
        .istio("Sidecar", "ingress-without-number", spec: """
        ingress:
        - port: {name: http, protocol: HTTP}
          defaultEndpoint: 127.0.0.1:8080
        """, path: "spec.ingress[0].port.number", message: "1..65535"),
        .istio("Sidecar", "ingress-port-name", spec: """
        ingress:
        - port: {number: 9080, name: http_web, protocol: HTTP}
        """, path: "spec.ingress[0].port.name", message: "DNS-1123"),
        .istio("Sidecar", "default-endpoint-remote-host", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: 10.0.0.5:8080
        """, path: "spec.ingress[0].defaultEndpoint", message: "127.0.0.1"),
        .istio("Sidecar", "default-endpoint-hostname", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: localhost:8080
        """, path: "spec.ingress[0].defaultEndpoint", message: "127.0.0.1"),
        .istio("Sidecar", "default-endpoint-no-port", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: 127.0.0.1
        """, path: "spec.ingress[0].defaultEndpoint", message: "HOST:PORT"),
        .istio("Sidecar", "default-endpoint-bad-port", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: 127.0.0.1:99999
        """, path: "spec.ingress[0].defaultEndpoint", message: "1..65535"),
        .istio("Sidecar", "default-endpoint-unbracketed-ipv6", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: "::1:8080"
        """, path: "spec.ingress[0].defaultEndpoint", message: "brackets"),
        .istio("Sidecar", "default-endpoint-unix-relative", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          defaultEndpoint: unix://app.sock
        """, path: "spec.ingress[0].defaultEndpoint", message: "absolute"),
        .istio("Sidecar", "ingress-target-port", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP, targetPort: 8080}
        """, path: "spec.ingress[0].port.targetPort", message: "targetPort"),
        .istio("Sidecar", "ingress-tls-on-http", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          tls: {mode: SIMPLE, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem}
        """, path: "spec.ingress[0].tls", message: "HTTPS or TLS port"),
        .istio("Sidecar", "ingress-tls-istio-mutual", spec: """
        ingress:
        - port: {number: 9443, name: https, protocol: HTTPS}
          tls: {mode: ISTIO_MUTUAL}
        """, path: "spec.ingress[0].tls.mode", message: "ISTIO_MUTUAL"),
        .istio("Sidecar", "ingress-tls-credential", spec: """
        ingress:
        - port: {number: 9443, name: https, protocol: HTTPS}
          tls: {mode: SIMPLE, credentialName: app-cert}
        """, path: "spec.ingress[0].tls.credentialName", message: "not supported"),
        .istio("Sidecar", "ingress-tls-mutual-no-ca", spec: """
        ingress:
        - port: {number: 9443, name: https, protocol: HTTPS}
          tls: {mode: MUTUAL, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem}
        """, path: "spec.ingress[0].tls.caCertificates", message: "MUTUAL"),
        .istio("Sidecar", "ingress-pool-negative", spec: """
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          connectionPool:
            http: {http2MaxRequests: -1}
        """, path: "spec.ingress[0].connectionPool.http.http2MaxRequests", message: "negative"),

        // MARK: outbound traffic policy
        .istio("Sidecar", "egress-proxy-registry-only", spec: """
        outboundTrafficPolicy:
          mode: REGISTRY_ONLY
          egressProxy: {host: egress.example.com, port: {number: 3128}}
        """, path: "spec.outboundTrafficPolicy.egressProxy", message: "ALLOW_ANY"),
        .istio("Sidecar", "egress-proxy-default-mode", spec: """
        outboundTrafficPolicy:
          egressProxy: {host: egress.example.com, port: {number: 3128}}
        """, path: "spec.outboundTrafficPolicy.egressProxy", message: "ALLOW_ANY"),
        .istio("Sidecar", "egress-proxy-no-port", spec: """
        outboundTrafficPolicy:
          mode: ALLOW_ANY
          egressProxy: {host: egress.example.com}
        """, path: "spec.outboundTrafficPolicy.egressProxy.port", message: "port"),
        .istio("Sidecar", "egress-proxy-wildcard-host", spec: """
        outboundTrafficPolicy:
          mode: ALLOW_ANY
          egressProxy: {host: "*.example.com", port: {number: 3128}}
        """, path: "spec.outboundTrafficPolicy.egressProxy.host", message: "fully qualified"),
        .istio("Sidecar", "egress-proxy-mode-enum", spec: """
        outboundTrafficPolicy:
          mode: DENY_ALL
        """, path: "spec.outboundTrafficPolicy.mode", message: "unsupported value"),
    ]

    static let valid: [ValidationCase] = [
        .istio("Sidecar", "capture-none-default-endpoint", spec: """
        workloadSelector:
          labels: {app: productpage}
        ingress:
        - port: {number: 9080, name: http, protocol: HTTP}
          captureMode: NONE
          bind: 172.16.1.32
          defaultEndpoint: 127.0.0.1:8080
        egress:
        - port: {number: 3306, name: mysql, protocol: MYSQL}
          bind: 127.0.0.1
          captureMode: NONE
          hosts: ["*/mysql.example.com"]
        - hosts: ["istio-system/*"]
        """),
        .istio("Sidecar", "default-endpoint-forms", apiVersion: "networking.istio.io/v1beta1", spec: """
        ingress:
        - port: {number: 9080, name: a, protocol: HTTP}
          defaultEndpoint: ":8080"
        - port: {number: 9081, name: b, protocol: HTTP}
          defaultEndpoint: "[::1]:8081"
        - port: {number: 9082, name: c, protocol: HTTP}
          defaultEndpoint: 0.0.0.0:8082
        - port: {number: 9083, name: d, protocol: TCP}
          defaultEndpoint: "[::]:8083"
        - port: {number: 9084, protocol: GRPC}
          defaultEndpoint: unix:///var/run/app.sock
        - port: {number: 9085, name: f}
          defaultEndpoint: "unix://@app"
        """),
        .istio("Sidecar", "egress-host-forms", apiVersion: "networking.istio.io/v1alpha3", spec: """
        egress:
        - hosts: ["./*", "~/*", "istio-system/*.example.com", "prod-us1/ratings.prod-us1.svc.cluster.local", "*/api.example.com."]
        """),
        .istio("Sidecar", "catch-all-everything", spec: """
        egress:
        - hosts: ["*/*"]
        """),
        .istio("Sidecar", "duplicate-hosts-warn", spec: """
        egress:
        - hosts: ["default/*", "./reviews.default.svc.cluster.local", "*/*"]
        """),
        .istio("Sidecar", "unix-egress-listener", spec: """
        egress:
        - port: {number: 0, name: uds, protocol: HTTP}
          bind: unix:///var/run/egress.sock
          captureMode: NONE
          hosts: ["./*"]
        - port: {number: 0, protocol: TCP}
          bind: "unix://@egress-abstract"
          captureMode: DEFAULT
          hosts: ["./*"]
        - port: {number: 9080, name: h, protocol: http}
          hosts: ["./*"]
        - hosts: ["istio-system/*"]
        """),
        .istio("Sidecar", "egress-proxy-allow-any", spec: """
        outboundTrafficPolicy:
          mode: ALLOW_ANY
          egressProxy: {host: egress-proxy.infra.svc.cluster.local, subset: v1, port: {number: 3128}}
        """),
        .istio("Sidecar", "registry-only", spec: """
        outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        """),
        .istio("Sidecar", "inbound-pool-only", spec: """
        inboundConnectionPool:
          tcp: {maxConnections: 100, idleTimeout: 0s}
        """),
        .istio("Sidecar", "ingress-tls-simple", spec: """
        ingress:
        - port: {number: 9443, name: https, protocol: HTTPS}
          defaultEndpoint: 127.0.0.1:8443
          tls: {mode: SIMPLE, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem}
        - port: {number: 9444, name: tls-mutual, protocol: TLS}
          defaultEndpoint: 127.0.0.1:8444
          tls: {mode: MUTUAL, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem, caCertificates: /etc/ca.pem}
        """),
        .istio("Sidecar", "empty-selector-warns", spec: """
        workloadSelector: {}
        ingress:
        - port: {number: 3306, name: mysql, protocol: TCP}
          connectionPool:
            http: {http2MaxRequests: 10}
            tcp: {maxConnections: 10}
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
