import Testing

/// Gateway: servers, hosts (`namespace/host`), ports and protocols, binds, and the
/// server TLS rules shared with Sidecar ingress. Expectations follow Istio's webhook.
@Suite struct GatewayValidationTests {
    static let invalid: [ValidationCase] = [
        // MARK: gateway and servers
        .istio("Gateway", "my.gateway", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
        """, path: "metadata.name", message: "DNS-1123 label"),
        .istio("Gateway", "no-servers", spec: "servers: []", path: "spec.servers", message: "at least one server"),
        .istio("Gateway", "missing-hosts", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
        """, path: "spec.servers[0].hosts", message: "required"),
        .istio("Gateway", "empty-hosts", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: []
        """, path: "spec.servers[0].hosts", message: "at least one host"),

        // MARK: hosts
        .istio("Gateway", "bad-namespace", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["bad_ns/bookinfo.example.com"]
        """, path: "spec.servers[0].hosts[0]", message: "invalid namespace"),
        .istio("Gateway", "tilde-namespace", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["~/bookinfo.example.com"]
        """, path: "spec.servers[0].hosts[0]", message: "invalid namespace"),
        .istio("Gateway", "empty-host-part", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["default/"]
        """, path: "spec.servers[0].hosts[0]", message: "cannot be empty"),
        .istio("Gateway", "short-name-with-namespace", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [default/reviews]
        """, path: "spec.servers[0].hosts[0]", message: "short name"),
        .istio("Gateway", "legacy-short-name", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [reviews]
        """, path: "spec.servers[0].hosts[0]", message: "short name"),
        .istio("Gateway", "ipv6-host", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*/2001:db8::1"]
        """, path: "spec.servers[0].hosts[0]", message: "short name"),
        .istio("Gateway", "partial-wildcard", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*/foo*.example.com"]
        """, path: "spec.servers[0].hosts[0]", message: "partial wildcard"),

        // MARK: ports
        .istio("Gateway", "bad-protocol", spec: """
        servers:
        - port: {number: 443, name: quic, protocol: QUIC}
          hosts: ["*"]
        """, path: "spec.servers[0].port.protocol", message: "unsupported protocol"),
        .istio("Gateway", "target-port", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP, targetPort: 8080}
          hosts: ["*"]
        """, path: "spec.servers[0].port.targetPort", message: "no effect"),
        .istio("Gateway", "missing-port-name", spec: """
        servers:
        - port: {number: 80, protocol: HTTP}
          hosts: ["*"]
        """, path: "spec.servers[0].port.name", message: "required"),
        .istio("Gateway", "port-zero", spec: """
        servers:
        - port: {number: 0, name: http, protocol: HTTP}
          hosts: ["*"]
        """, path: "spec.servers[0].port.number", message: "1..65535"),
        .istio("Gateway", "port-too-large", spec: """
        servers:
        - port: {number: 80800, name: http, protocol: HTTP}
          hosts: ["*"]
        """, path: "spec.servers[0].port.number", message: "1..65535"),
        .istio("Gateway", "duplicate-port-names", spec: """
        servers:
        - port: {number: 80, name: web, protocol: HTTP}
          hosts: ["*"]
        - port: {number: 8080, name: web, protocol: HTTP}
          hosts: ["*"]
        """, path: "spec.servers[1].port.name", message: "already used"),

        // MARK: bind
        .istio("Gateway", "hostname-bind", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          bind: gateway.local
          hosts: ["*"]
        """, path: "spec.servers[0].bind", message: "IP address"),
        .istio("Gateway", "unix-bind-with-port", spec: """
        servers:
        - port: {number: 8080, name: http, protocol: HTTP}
          bind: unix:///var/run/gateway.sock
          hosts: ["*"]
        """, path: "spec.servers[0].port.number", message: "port number 0"),
        .istio("Gateway", "unix-bind-relative", spec: """
        servers:
        - port: {number: 0, name: http, protocol: HTTP}
          bind: unix://run/gateway.sock
          hosts: ["*"]
        """, path: "spec.servers[0].bind", message: "absolute"),

        // MARK: protocol and TLS combination
        .istio("Gateway", "https-without-tls", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
        """, path: "spec.servers[0].tls", message: "must configure tls"),
        .istio("Gateway", "tls-without-tls", spec: """
        servers:
        - port: {number: 15443, name: tls, protocol: TLS}
          hosts: ["*.local"]
        """, path: "spec.servers[0].tls", message: "must configure tls"),
        .istio("Gateway", "http-terminating-tls", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE, credentialName: bookinfo-cert}
        """, path: "spec.servers[0].tls", message: "plain-text"),
        .istio("Gateway", "http-redirect-with-cert", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [bookinfo.example.com]
          tls: {httpsRedirect: true, serverCertificate: /etc/certs/cert.pem}
        """, path: "spec.servers[0].tls", message: "plain-text"),
        .istio("Gateway", "tcp-with-tls", spec: """
        servers:
        - port: {number: 3306, name: mysql, protocol: TCP}
          hosts: ["*"]
          tls: {mode: PASSTHROUGH}
        """, path: "spec.servers[0].tls", message: "not allowed"),

        // MARK: server TLS options
        .istio("Gateway", "simple-without-certs", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE}
        """, path: "spec.servers[0].tls.serverCertificate", message: "SIMPLE"),
        .istio("Gateway", "simple-without-key", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE, serverCertificate: /etc/certs/cert.pem}
        """, path: "spec.servers[0].tls.privateKey", message: "SIMPLE"),
        .istio("Gateway", "mutual-without-ca", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: MUTUAL, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem}
        """, path: "spec.servers[0].tls.caCertificates", message: "MUTUAL"),
        .istio("Gateway", "istio-mutual-with-credential", spec: """
        servers:
        - port: {number: 15443, name: tls, protocol: TLS}
          hosts: ["*.local"]
          tls: {mode: ISTIO_MUTUAL, credentialName: cross-network-cert}
        """, path: "spec.servers[0].tls.credentialName", message: "ISTIO_MUTUAL"),
        .istio("Gateway", "istio-mutual-with-files", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["*"]
          tls: {mode: ISTIO_MUTUAL, caCertificates: /etc/certs/ca.pem}
        """, path: "spec.servers[0].tls.caCertificates", message: "ISTIO_MUTUAL"),
        .istio("Gateway", "two-certificate-sources", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE, credentialName: bookinfo-cert, serverCertificate: /etc/certs/cert.pem, privateKey: /etc/certs/key.pem}
        """, path: "spec.servers[0].tls", message: "only one certificate source"),
        .istio("Gateway", "tls-certificate-without-key", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls:
            mode: SIMPLE
            tlsCertificates:
            - {serverCertificate: /etc/certs/rsa.pem, privateKey: /etc/certs/rsa-key.pem}
            - {serverCertificate: /etc/certs/ecdsa.pem}
        """, path: "spec.servers[0].tls.tlsCertificates[1].privateKey", message: "private key"),
        .istio("Gateway", "crl-with-simple", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem, caCrl: /etc/crl.pem}
        """, path: "spec.servers[0].tls.caCrl", message: "MUTUAL"),
        .istio("Gateway", "credential-names-and-certificates", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls:
            mode: SIMPLE
            credentialNames: [rsa-cert]
            tlsCertificates:
            - {serverCertificate: /etc/c.pem, privateKey: /etc/k.pem}
        """, path: "spec.servers[0].tls", message: "credentialNames or tlsCertificates"),
        .istio("Gateway", "passthrough-crl-with-credential", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [nginx.example.com]
          tls: {mode: PASSTHROUGH, credentialName: ignored-cert, caCrl: /etc/crl.pem}
        """, path: "spec.servers[0].tls.caCrl", message: "credentialName"),
        .istio("Gateway", "passthrough-two-sources", spec: """
        servers:
        - port: {number: 443, name: tls, protocol: TLS}
          hosts: [nginx.example.com]
          tls: {mode: AUTO_PASSTHROUGH, credentialName: a, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem}
        """, path: "spec.servers[0].tls", message: "only one certificate source"),
        .istio("Gateway", "tls-mode-enum", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: ["*"]
          tls: {mode: STRICT}
        """, path: "spec.servers[0].tls.mode", message: "unsupported value"),
    ]

    static let valid: [ValidationCase] = [
        .istio("Gateway", "v1alpha3-wildcard-redirect", apiVersion: "networking.istio.io/v1alpha3", spec: """
        selector: {istio: ingressgateway}
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: ["*"]
          tls: {httpsRedirect: true}
        """),
        .istio("Gateway", "v1beta1-namespaced-hosts", apiVersion: "networking.istio.io/v1beta1", spec: """
        servers:
        - port: {number: 443, name: https-bookinfo, protocol: HTTPS}
          hosts: ["./*.example.com", "istio-system/bookinfo.example.com", "*/*", "*/api.example.com."]
          tls: {mode: SIMPLE, credentialName: bookinfo-cert, minProtocolVersion: TLSV1_2}
        """),
        .istio("Gateway", "passthrough-and-auto-passthrough", spec: """
        servers:
        - port: {number: 443, name: tls-passthrough, protocol: TLS}
          hosts: [nginx.example.com]
          tls: {mode: PASSTHROUGH}
        - port: {number: 15443, name: tls-auto, protocol: TLS}
          hosts: ["*.local"]
          tls: {mode: AUTO_PASSTHROUGH}
        """),
        .istio("Gateway", "istio-mutual-cross-network", spec: """
        servers:
        - port: {number: 15443, name: tls, protocol: TLS}
          hosts: ["*.local"]
          tls: {mode: ISTIO_MUTUAL, subjectAltNames: [spiffe://cluster.local/ns/default/sa/client]}
        """),
        .istio("Gateway", "passthrough-certs-only-warn", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [nginx.example.com]
          tls: {mode: PASSTHROUGH, credentialName: ignored-cert, caCertificates: /etc/ca.pem}
        """),
        .istio("Gateway", "ip-hosts", spec: """
        servers:
        - port: {number: 80, name: http, protocol: HTTP}
          hosts: [10.0.0.1, "default/192.168.1.10"]
        """),
        .istio("Gateway", "unix-bind-port-zero", spec: """
        servers:
        - port: {number: 0, name: uds, protocol: HTTP}
          bind: unix:///var/run/gateway.sock
          hosts: ["*"]
        - port: {number: 0, name: uds-abstract, protocol: TCP}
          bind: "unix://@gateway"
          hosts: ["*"]
        - port: {number: 8080, name: local, protocol: HTTP}
          bind: 127.0.0.1
          hosts: ["*"]
        """),
        .istio("Gateway", "protocol-spellings", spec: """
        servers:
        - port: {number: 8080, name: lower-http, protocol: http}
          hosts: ["*"]
        - port: {number: 9090, name: grpc-web, protocol: GRPC-WEB}
          hosts: ["*"]
        - port: {number: 27017, name: mongo, protocol: MONGO}
          hosts: ["*"]
        - port: {number: 8443, name: h2, protocol: HTTP2}
          hosts: ["*"]
        """),
        .istio("Gateway", "same-port-distinct-names", spec: """
        servers:
        - port: {number: 443, name: https-a, protocol: HTTPS}
          hosts: [a.example.com]
          tls: {mode: SIMPLE, credentialName: a-cert}
        - port: {number: 443, name: https-b, protocol: HTTPS}
          hosts: [b.example.com]
          tls: {mode: MUTUAL, serverCertificate: /etc/c.pem, privateKey: /etc/k.pem, caCertificates: /etc/ca.pem, caCrl: /etc/crl.pem}
        """),
        .istio("Gateway", "tls-option-warnings", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [legacy.example.com]
          tls:
            mode: OPTIONAL_MUTUAL
            credentialName: legacy-cert
            minProtocolVersion: TLSV1_0
            cipherSuites: [ECDHE-RSA-AES128-SHA, NOT-A-CIPHER, ECDHE-RSA-AES128-SHA, "-AES256-SHA"]
        """),
        .istio("Gateway", "credential-with-stray-certificate", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: SIMPLE, credentialName: bookinfo-cert, serverCertificate: /etc/certs/cert.pem}
        """),
        .istio("Gateway", "credential-skips-crl-checks", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls: {mode: MUTUAL, credentialName: bookinfo-mtls, caCrl: /etc/crl.pem}
        """),
        .istio("Gateway", "two-tls-certificates", spec: """
        servers:
        - port: {number: 443, name: https, protocol: HTTPS}
          hosts: [bookinfo.example.com]
          tls:
            mode: SIMPLE
            tlsCertificates:
            - {serverCertificate: /etc/certs/rsa.pem, privateKey: /etc/certs/rsa-key.pem}
            - {serverCertificate: /etc/certs/ecdsa.pem, privateKey: /etc/certs/ecdsa-key.pem}
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
