import Testing

/// ServiceEntry (hosts, addresses, ports, resolution vs endpoints), WorkloadEntry and
/// WorkloadGroup. Expectations follow Istio's validating webhook (plus the CRDs' CEL rules).
@Suite struct ServiceEntryValidationTests {
    static let invalid: [ValidationCase] = [
        // MARK: hosts
        .istio("ServiceEntry", "wildcard-host", spec: """
        hosts: ["*"]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        """, path: "spec.hosts[0]", message: "wildcard"),
        .istio("ServiceEntry", "no-hosts", spec: """
        hosts: []
        ports: [{number: 443, name: https, protocol: HTTPS}]
        """, path: "spec.hosts", message: "at least 1"),
        .istio("ServiceEntry", "ip-host", spec: """
        hosts: [10.1.2.3]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        """, path: "spec.hosts[0]", message: "all-numeric"),
        .istio("ServiceEntry", "bad-host", spec: """
        hosts: [api_v1.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        """, path: "spec.hosts[0]", message: "invalid"),
        .istio("ServiceEntry", "dns-wildcard-without-endpoints", spec: """
        hosts: ["*.example.com"]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS
        """, path: "spec.hosts[0]", message: "concrete host names"),

        // MARK: addresses
        .istio("ServiceEntry", "cidr-with-dns", spec: """
        hosts: [db.example.com]
        addresses: [10.0.0.0/24]
        ports: [{number: 5432, name: tcp-postgres, protocol: TCP}]
        resolution: DNS
        """, path: "spec", message: "CIDR addresses are allowed only for NONE/STATIC"),
        .istio("ServiceEntry", "bad-address", spec: """
        hosts: [db.example.com]
        addresses: [10.0.0.300]
        ports: [{number: 5432, name: tcp-postgres, protocol: TCP}]
        """, path: "spec.addresses[0]", message: "not a valid IP"),
        .istio("ServiceEntry", "bad-cidr-prefix", spec: """
        hosts: [db.example.com]
        addresses: [10.0.0.0/33]
        ports: [{number: 5432, name: tcp-postgres, protocol: TCP}]
        """, path: "spec.addresses[0]", message: "prefix length"),

        // MARK: ports
        .istio("ServiceEntry", "duplicate-port-numbers", spec: """
        hosts: [api.example.com]
        ports:
        - {number: 443, name: https, protocol: HTTPS}
        - {number: 443, name: tls, protocol: TLS}
        resolution: DNS
        """, path: "spec.ports", message: "duplicated"),
        .istio("ServiceEntry", "duplicate-port-names", spec: """
        hosts: [api.example.com]
        ports:
        - {number: 443, name: https, protocol: HTTPS}
        - {number: 8443, name: https, protocol: HTTPS}
        resolution: DNS
        """, path: "spec.ports[1].name", message: "duplicate"),
        .istio("ServiceEntry", "port-name-underscore", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: https_api, protocol: HTTPS}]
        resolution: DNS
        """, path: "spec.ports[0].name", message: "DNS-1123"),
        .istio("ServiceEntry", "port-protocol", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: h3, protocol: HTTP3}]
        resolution: DNS
        """, path: "spec.ports[0].protocol", message: "unsupported protocol"),
        .istio("ServiceEntry", "port-zero", spec: """
        hosts: [api.example.com]
        ports: [{number: 0, name: http, protocol: HTTP}]
        resolution: DNS
        """, path: "spec.ports[0].number", message: "1-65535"),
        .istio("ServiceEntry", "port-without-name", spec: """
        hosts: [api.example.com]
        ports: [{number: 80, protocol: HTTP}]
        resolution: DNS
        """, path: "spec.ports[0].name", message: "required"),
        .istio("ServiceEntry", "multiple-hosts-tcp", spec: """
        hosts: [a.example.com, b.example.com]
        ports: [{number: 9000, name: tcp, protocol: TCP}]
        resolution: DNS
        """, path: "spec.ports[0].protocol", message: "multiple hosts"),
        .istio("ServiceEntry", "multiple-hosts-sniffed", spec: """
        hosts: [a.example.com, b.example.com]
        ports:
        - {number: 80, name: http, protocol: HTTP}
        - {number: 9000, name: unknown}
        resolution: STATIC
        endpoints: [{address: 10.0.0.1}]
        """, path: "spec.ports[1].protocol", message: "multiple hosts"),

        // MARK: resolution and endpoints
        .istio("ServiceEntry", "none-with-endpoints", spec: """
        hosts: [db.internal]
        ports: [{number: 5432, name: tcp, protocol: TCP}]
        endpoints: [{address: 10.0.0.5}]
        """, path: "spec", message: "NONE mode cannot set endpoints"),
        .istio("ServiceEntry", "round-robin-two-endpoints", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS_ROUND_ROBIN
        endpoints: [{address: a.example.com}, {address: b.example.com}]
        """, path: "spec", message: "DNS_ROUND_ROBIN mode cannot have multiple endpoints"),
        .istio("ServiceEntry", "static-hostname-endpoint", spec: """
        hosts: [api.internal]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        endpoints: [{address: 10.0.0.1}, {address: api-1.internal}]
        """, path: "spec.endpoints[1].address", message: "IP"),
        .istio("ServiceEntry", "static-undeclared-port", spec: """
        hosts: [api.internal]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        endpoints: [{address: 10.0.0.1, ports: {grpc: 9090}}]
        """, path: "spec.endpoints[0].ports.grpc", message: "not declared"),
        .istio("ServiceEntry", "static-unix-two-ports", spec: """
        hosts: [local.internal]
        ports:
        - {number: 80, name: http, protocol: HTTP}
        - {number: 81, name: http-admin, protocol: HTTP}
        resolution: STATIC
        endpoints: [{address: "unix:///var/run/app.sock"}]
        """, path: "spec.endpoints[0].address", message: "exactly 1"),
        .istio("ServiceEntry", "dns-bad-endpoint", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS
        endpoints: [{address: "api..example.com"}]
        """, path: "spec.endpoints[0].address", message: "host name"),
        .istio("ServiceEntry", "dns-network-only-endpoint", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS
        endpoints: [{network: remote-net}]
        """, path: "spec.endpoints[0].address", message: "host name"),
        .istio("ServiceEntry", "endpoint-label", spec: """
        hosts: [api.internal]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        endpoints: [{address: 10.0.0.1, labels: {version: "v1/beta"}}]
        """, path: "spec.endpoints[0].labels.version", message: "invalid"),
        .istio("ServiceEntry", "selector-and-endpoints", spec: """
        hosts: [api.internal]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        workloadSelector:
          labels: {app: api}
        endpoints: [{address: 10.0.0.1}]
        """, path: "spec", message: "only one of WorkloadSelector or Endpoints"),
        .istio("ServiceEntry", "selector-wildcard-key", spec: """
        hosts: [api.internal]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: STATIC
        workloadSelector:
          labels: {"app*": api}
        """, path: "spec.workloadSelector.labels.app*", message: "wildcard"),
        .istio("ServiceEntry", "export-none-and-public", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS
        exportTo: ["*", "~"]
        """, path: "spec.exportTo", message: "no one"),

        // MARK: WorkloadEntry
        .istio("WorkloadEntry", "missing-address", spec: """
        labels: {app: vm}
        ports: {http: 8080}
        """, path: "spec", message: "Address is required"),
        .istio("WorkloadEntry", "bad-port", spec: """
        address: 10.0.0.7
        ports: {http: 0}
        """, path: "spec.ports.http", message: "1-65535"),
        .istio("WorkloadEntry", "bad-port-name", spec: """
        address: 10.0.0.7
        ports: {http_web: 8080}
        """, path: "spec.ports", message: "port name must be valid"),
        .istio("WorkloadEntry", "bad-address", spec: "address: vm..example.com", path: "spec.address", message: "host name"),
        .istio("WorkloadEntry", "unix-with-ports", spec: """
        address: unix:///var/run/vm.sock
        ports: {http: 8080}
        """, path: "spec", message: "UDS may not include ports"),
        .istio("WorkloadEntry", "unix-directory", spec: "address: unix:///var/run/", path: "spec.address", message: "UDS may not be a dir"),
        .istio("WorkloadEntry", "bad-label", spec: """
        address: 10.0.0.7
        labels: {"app/name/extra": vm}
        """, path: "spec.labels.app/name/extra", message: "invalid"),

        // MARK: WorkloadGroup
        .istio("WorkloadGroup", "missing-template", spec: """
        metadata:
          labels: {app: vm}
        """, path: "spec.template", message: "required"),
        .istio("WorkloadGroup", "probe-without-method", spec: """
        template: {serviceAccount: vm}
        probe: {periodSeconds: 5}
        """, path: "spec.probe", message: "httpGet"),
        .istio("WorkloadGroup", "probe-two-methods", spec: """
        template: {serviceAccount: vm}
        probe:
          httpGet: {port: 8080, path: /ready}
          tcpSocket: {port: 8080}
        """, path: "spec.probe", message: "mutually exclusive"),
        .istio("WorkloadGroup", "probe-scheme", spec: """
        template: {serviceAccount: vm}
        probe:
          httpGet: {port: 8080, scheme: FTP}
        """, path: "spec.probe.httpGet.scheme", message: "HTTP, HTTPS"),
        .istio("WorkloadGroup", "probe-header-underscore", spec: """
        template: {serviceAccount: vm}
        probe:
          httpGet:
            port: 8080
            httpHeaders: [{name: x_probe, value: "1"}]
        """, path: "spec.probe.httpGet.httpHeaders[0].name", message: "header name"),
        .istio("WorkloadGroup", "probe-empty-command", spec: """
        template: {serviceAccount: vm}
        probe:
          exec: {command: []}
        """, path: "spec.probe.exec.command", message: "required"),
        .istio("WorkloadGroup", "metadata-label", spec: """
        metadata:
          labels: {app: "vm app"}
        template: {serviceAccount: vm}
        """, path: "spec.metadata.labels.app", message: "invalid"),
    ]

    static let valid: [ValidationCase] = [
        .istio("ServiceEntry", "v1alpha3-none-cidr", apiVersion: "networking.istio.io/v1alpha3", spec: """
        hosts: [legacy-db.internal]
        addresses: [10.20.0.0/16, "2001:db8::/32"]
        ports: [{number: 5432, name: tcp-postgres, protocol: TCP}]
        location: MESH_INTERNAL
        """),
        .istio("ServiceEntry", "v1beta1-wildcard-none", apiVersion: "networking.istio.io/v1beta1", spec: """
        hosts: ["*.googleapis.com"]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: NONE
        location: MESH_EXTERNAL
        """),
        .istio("ServiceEntry", "static-ip-and-unix", spec: """
        hosts: [local-api.internal]
        addresses: [192.168.0.0/24]
        ports: [{number: 80, name: http, protocol: http, targetPort: 8080}]
        resolution: STATIC
        endpoints:
        - {address: 192.168.0.10, ports: {http: 8081}, labels: {version: v1}, weight: 3}
        - {address: "2001:db8::10"}
        - {address: "unix:///var/run/api.sock"}
        - {address: "unix://@abstract-api"}
        """),
        .istio("ServiceEntry", "dns-endpoints", spec: """
        hosts: [api.example.com]
        ports: [{number: 443, name: HTTPS, protocol: TLS}]
        resolution: DNS
        endpoints:
        - {address: us.api.example.com, locality: us-east1/zone-a, network: net-1}
        - {address: 203.0.113.7}
        """),
        .istio("ServiceEntry", "round-robin-single-endpoint", spec: """
        hosts: [api.example.com]
        ports: [{number: 80, name: http, protocol: HTTP}]
        resolution: DNS_ROUND_ROBIN
        endpoints: [{address: lb.example.com}]
        """),
        .istio("ServiceEntry", "multiple-hosts-http-tls", spec: """
        hosts: [a.example.com, b.example.com, "c.example.com."]
        ports:
        - {number: 80, name: http, protocol: HTTP}
        - {number: 443, name: https, protocol: HTTPS}
        - {number: 8443, name: grpc, protocol: GRPC}
        resolution: DNS
        """),
        .istio("ServiceEntry", "multiple-hosts-tcp-none", spec: """
        hosts: [a.example.com, b.example.com]
        addresses: [10.9.0.0/16]
        ports: [{number: 9000, name: tcp, protocol: TCP}]
        resolution: NONE
        """),
        .istio("ServiceEntry", "dns-addresses-tls-warns", spec: """
        hosts: [a.example.com, b.example.com]
        addresses: [240.0.0.10]
        ports: [{number: 443, name: tls, protocol: TLS}]
        resolution: DNS
        """),
        .istio("ServiceEntry", "partial-wildcard-warns", spec: """
        hosts: ["*api.example.com"]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        """),
        .istio("ServiceEntry", "export-to-nobody", spec: """
        hosts: [private.example.com]
        ports: [{number: 443, name: https, protocol: HTTPS}]
        resolution: DNS
        exportTo: ["~"]
        """),
        .istio("ServiceEntry", "selector-with-none-warns", spec: """
        hosts: [vm.internal]
        ports: [{number: 8080, name: http, protocol: HTTP}]
        workloadSelector:
          labels: {app: vm}
        """),
        .istio("ServiceEntry", "tcp-without-addresses-warns", spec: """
        hosts: [mysql.example.com]
        ports: [{number: 3306, name: mysql}]
        resolution: DNS
        exportTo: [".", istio-system]
        """),
        .istio("WorkloadEntry", "fqdn-address", spec: """
        address: vm-1.example.com
        ports: {http: 8080, grpc-admin: 9090}
        labels: {app: vm, app.kubernetes.io/version: "1.2"}
        serviceAccount: vm-sa
        weight: 0
        """),
        .istio("WorkloadEntry", "network-without-address", spec: """
        network: remote-network
        labels: {app: vm}
        """),
        .istio("WorkloadEntry", "abstract-unix-address", apiVersion: "networking.istio.io/v1beta1", spec: "address: unix://@vm-socket"),
        .istio("WorkloadGroup", "template-without-address", spec: """
        metadata:
          labels: {app: vm}
          annotations: {owner: platform}
        template:
          serviceAccount: vm-sa
          ports: {http: 8080}
        probe:
          periodSeconds: 5
          initialDelaySeconds: 0
          tcpSocket: {port: 8080}
        """),
        .istio("WorkloadGroup", "http-probe", apiVersion: "networking.istio.io/v1alpha3", spec: """
        template: {network: vm-net}
        probe:
          httpGet:
            port: 8080
            path: /healthz
            scheme: HTTPS
            httpHeaders: [{name: X-Probe-Token, value: abc}]
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
