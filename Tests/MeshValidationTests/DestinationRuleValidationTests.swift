import Testing

/// DestinationRule: host, subsets, exportTo/workloadSelector and every traffic-policy
/// validator (outlier detection, connection pool, load balancer, locality, client TLS,
/// tunnel, port-level settings). Expectations follow Istio's validating webhook.
@Suite struct DestinationRuleValidationTests {
    static let invalid: [ValidationCase] = [
        // MARK: host
        .istio("DestinationRule", "ip-host", spec: "host: 10.0.0.1", path: "spec.host", message: "all-numeric"),
        .istio("DestinationRule", "empty-label-host", spec: "host: reviews..default", path: "spec.host", message: "invalid"),
        .istio("DestinationRule", "mid-wildcard-host", spec: "host: \"reviews.*.svc\"", path: "spec.host", message: "wildcard"),
        .istio("DestinationRule", "missing-host", spec: "subsets: [{name: v1}]", path: "spec.host", message: "required"),

        // MARK: subsets
        .istio("DestinationRule", "duplicate-subsets", spec: """
        host: reviews
        subsets:
        - name: v1
          labels: {version: v1}
        - name: v1
          labels: {version: v2}
        """, path: "spec.subsets[1].name", message: "duplicate"),
        .istio("DestinationRule", "subset-name-dots", spec: """
        host: reviews
        subsets:
        - name: v1.0
          labels: {version: v1}
        """, path: "spec.subsets[0].name", message: "DNS-1123"),
        .istio("DestinationRule", "subset-without-name", spec: """
        host: reviews
        subsets:
        - labels: {version: v1}
        """, path: "spec.subsets[0].name", message: "required"),
        .istio("DestinationRule", "subset-label-value", spec: """
        host: reviews
        subsets:
        - name: v1
          labels: {version: "v1 beta"}
        """, path: "spec.subsets[0].labels.version", message: "invalid"),
        .istio("DestinationRule", "subset-label-key", spec: """
        host: reviews
        subsets:
        - name: v1
          labels: {"-version": v1}
        """, path: "spec.subsets[0].labels.-version", message: "invalid"),
        .istio("DestinationRule", "subset-empty-policy", spec: """
        host: reviews
        subsets:
        - name: v1
          labels: {version: v1}
          trafficPolicy: {}
        """, path: "spec.subsets[0].trafficPolicy", message: "at least one field"),

        // MARK: traffic policy shape
        .istio("DestinationRule", "empty-policy", spec: """
        host: reviews
        trafficPolicy: {}
        """, path: "spec.trafficPolicy", message: "at least one field"),
        .istio("DestinationRule", "tunnel-and-proxy-protocol", spec: """
        host: db.example.com
        trafficPolicy:
          tunnel: {targetHost: proxy.example.com, targetPort: 8080}
          proxyProtocol: {version: V2}
        """, path: "spec.trafficPolicy", message: "tunnel and proxyProtocol"),
        .istio("DestinationRule", "tunnel-protocol", spec: """
        host: db.example.com
        trafficPolicy:
          tunnel: {protocol: GET, targetHost: proxy.example.com, targetPort: 8080}
        """, path: "spec.trafficPolicy.tunnel.protocol", message: "CONNECT or POST"),
        .istio("DestinationRule", "tunnel-port", spec: """
        host: db.example.com
        trafficPolicy:
          tunnel: {targetHost: proxy.example.com, targetPort: 0}
        """, path: "spec.trafficPolicy.tunnel.targetPort", message: "1..65535"),

        // MARK: outlier detection
        .istio("DestinationRule", "max-ejection-percent", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 5, maxEjectionPercent: 150}
        """, path: "spec.trafficPolicy.outlierDetection.maxEjectionPercent", message: "0..100"),
        .istio("DestinationRule", "min-health-percent", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {minHealthPercent: -1}
        """, path: "spec.trafficPolicy.outlierDetection.minHealthPercent", message: "0..100"),
        .istio("DestinationRule", "local-origin-without-split", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutiveLocalOriginFailures: 3}
        """, path: "spec.trafficPolicy.outlierDetection.consecutiveLocalOriginFailures", message: "splitExternalLocalOriginErrors"),
        .istio("DestinationRule", "zero-interval", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {interval: 0s, baseEjectionTime: 30s}
        """, path: "spec.trafficPolicy.outlierDetection.interval", message: "1ms"),
        .istio("DestinationRule", "ejection-time-precision", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {baseEjectionTime: 1500us}
        """, path: "spec.trafficPolicy.outlierDetection.baseEjectionTime", message: "ms precision"),

        // MARK: connection pool
        .istio("DestinationRule", "empty-connection-pool", spec: """
        host: reviews
        trafficPolicy:
          connectionPool: {}
        """, path: "spec.trafficPolicy.connectionPool", message: "http or tcp"),
        .istio("DestinationRule", "negative-pending", spec: """
        host: reviews
        trafficPolicy:
          connectionPool:
            http: {http1MaxPendingRequests: -1}
        """, path: "spec.trafficPolicy.connectionPool.http.http1MaxPendingRequests", message: "negative"),
        .istio("DestinationRule", "upgrade-with-client-protocol", spec: """
        host: reviews
        trafficPolicy:
          connectionPool:
            http: {h2UpgradePolicy: UPGRADE, useClientProtocol: true}
        """, path: "spec.trafficPolicy.connectionPool.http", message: "useClientProtocol"),
        .istio("DestinationRule", "negative-max-connections", spec: """
        host: reviews
        trafficPolicy:
          connectionPool:
            tcp: {maxConnections: -10}
        """, path: "spec.trafficPolicy.connectionPool.tcp.maxConnections", message: "negative"),
        .istio("DestinationRule", "zero-connect-timeout", spec: """
        host: reviews
        trafficPolicy:
          connectionPool:
            tcp: {connectTimeout: 0s}
        """, path: "spec.trafficPolicy.connectionPool.tcp.connectTimeout", message: "1ms"),

        // MARK: load balancer
        .istio("DestinationRule", "simple-and-hash", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            simple: ROUND_ROBIN
            consistentHash: {useSourceIp: true}
        """, path: "spec.trafficPolicy.loadBalancer", message: "mutually exclusive"),
        .istio("DestinationRule", "two-hash-keys", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash: {httpHeaderName: x-user, useSourceIp: true}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash", message: "mutually exclusive"),
        .istio("DestinationRule", "ring-hash-and-maglev", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              useSourceIp: true
              ringHash: {minimumRingSize: 1024}
              maglev: {tableSize: 65537}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash", message: "mutually exclusive"),
        .istio("DestinationRule", "cookie-without-name", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              httpCookie: {ttl: 10s}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.name", message: "required"),
        .istio("DestinationRule", "maglev-not-prime", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              httpHeaderName: x-user
              maglev: {tableSize: 1000}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize", message: "prime"),
        .istio("DestinationRule", "maglev-too-large", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              httpHeaderName: x-user
              maglev: {tableSize: 5000011}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize", message: "5000011"),
        .istio("DestinationRule", "maglev-zero", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              useSourceIp: true
              maglev: {tableSize: 0}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash.maglev.tableSize", message: "greater than 0"),
        .istio("DestinationRule", "deprecated-ring-size-with-maglev", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              useSourceIp: true
              minimumRingSize: 1024
              maglev: {tableSize: 65537}
        """, path: "spec.trafficPolicy.loadBalancer.consistentHash.minimumRingSize", message: "ringHash or maglev"),
        .istio("DestinationRule", "warmup-aggression", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            simple: LEAST_REQUEST
            warmup: {duration: 60s, aggression: 0.5}
        """, path: "spec.trafficPolicy.loadBalancer.warmup.aggression", message: "at least 1"),

        // MARK: locality
        .istio("DestinationRule", "distribute-not-100", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              distribute:
              - from: us-west/zone1/*
                to: {"us-west/zone1/*": 60, "us-west/zone2/*": 30}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to", message: "add up to 100"),
        .istio("DestinationRule", "distribute-zero-weight", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              distribute:
              - from: us-west/*
                to: {"us-west/*": 100, "us-east/*": 0}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].to.us-east/*", message: "1..100"),
        .istio("DestinationRule", "distribute-wildcard-middle", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              distribute:
              - from: us-west/*/rack1
                to: {"us-west/*": 100}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.distribute[0].from", message: "wildcard"),
        .istio("DestinationRule", "distribute-and-failover", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 3}
          loadBalancer:
            localityLbSetting:
              distribute:
              - from: us-west/*
                to: {"us-west/*": 100}
              failover:
              - {from: us-west, to: us-east}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting", message: "distribute and failover"),
        .istio("DestinationRule", "failover-same-region", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 3}
          loadBalancer:
            localityLbSetting:
              failover:
              - {from: us-west, to: us-west}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0]", message: "must differ"),
        .istio("DestinationRule", "failover-zone", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 3}
          loadBalancer:
            localityLbSetting:
              failover:
              - {from: us-west/zone1, to: us-east}
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.failover[0].from", message: "region"),
        .istio("DestinationRule", "failover-with-topology-priority", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 3}
          loadBalancer:
            localityLbSetting:
              failover:
              - {from: us-west, to: us-east}
              failoverPriority: [topology.kubernetes.io/region, topology.istio.io/network]
        """, path: "spec.trafficPolicy.loadBalancer.localityLbSetting.failoverPriority", message: "failoverPriority"),

        // MARK: client TLS
        .istio("DestinationRule", "mutual-without-certs", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: MUTUAL, caCertificates: /etc/certs/ca.pem}
        """, path: "spec.trafficPolicy.tls.clientCertificate", message: "MUTUAL"),
        .istio("DestinationRule", "mutual-without-key", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: MUTUAL, clientCertificate: /etc/certs/cert.pem}
        """, path: "spec.trafficPolicy.tls.privateKey", message: "MUTUAL"),
        .istio("DestinationRule", "skip-verify-with-ca", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: SIMPLE, insecureSkipVerify: true, caCertificates: /etc/certs/ca.pem}
        """, path: "spec.trafficPolicy.tls.insecureSkipVerify", message: "caCertificates"),
        .istio("DestinationRule", "skip-verify-with-credential", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: SIMPLE, insecureSkipVerify: true, credentialName: api-ca}
        """, path: "spec.trafficPolicy.tls.insecureSkipVerify", message: "credentialName"),
        .istio("DestinationRule", "skip-verify-mutual-with-san", spec: """
        host: api.example.com
        trafficPolicy:
          tls:
            mode: MUTUAL
            insecureSkipVerify: true
            credentialName: client-cert
            subjectAltNames: [api.example.com]
        """, path: "spec.trafficPolicy.tls.insecureSkipVerify", message: "subjectAltNames"),
        .istio("DestinationRule", "credential-and-files", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: SIMPLE, credentialName: api-ca, caCertificates: /etc/certs/ca.pem}
        """, path: "spec.trafficPolicy.tls.caCertificates", message: "credentialName"),
        .istio("DestinationRule", "configmap-other-namespace", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: SIMPLE, credentialName: "configmap://istio-system/api-ca"}
        """, path: "spec.trafficPolicy.tls.credentialName", message: "namespace"),
        .istio("DestinationRule", "tls-mode-enum", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: PERMISSIVE}
        """, path: "spec.trafficPolicy.tls.mode", message: "unsupported value"),

        // MARK: port-level settings
        .istio("DestinationRule", "port-level-without-port", spec: """
        host: reviews
        trafficPolicy:
          portLevelSettings:
          - connectionPool:
              tcp: {maxConnections: 10}
        """, path: "spec.trafficPolicy.portLevelSettings[0].port", message: "required"),
        .istio("DestinationRule", "port-level-only-port", spec: """
        host: reviews
        trafficPolicy:
          portLevelSettings:
          - port: {number: 9080}
        """, path: "spec.trafficPolicy.portLevelSettings[0]", message: "at least one"),
        .istio("DestinationRule", "port-level-mutual", spec: """
        host: reviews
        trafficPolicy:
          portLevelSettings:
          - port: {number: 9443}
            tls: {mode: MUTUAL}
        """, path: "spec.trafficPolicy.portLevelSettings[0].tls.clientCertificate", message: "MUTUAL"),
        .istio("DestinationRule", "subset-port-level-outlier", spec: """
        host: reviews
        subsets:
        - name: v1
          trafficPolicy:
            portLevelSettings:
            - port: {number: 9080}
              outlierDetection: {maxEjectionPercent: 101}
        """, path: "spec.subsets[0].trafficPolicy.portLevelSettings[0].outlierDetection.maxEjectionPercent", message: "0..100"),

        // MARK: exportTo and workloadSelector
        .istio("DestinationRule", "export-to-none", spec: """
        host: reviews
        exportTo: ["~"]
        """, path: "spec.exportTo[0]", message: "ServiceEntry"),
        .istio("DestinationRule", "export-to-duplicate", spec: """
        host: reviews
        exportTo: [".", default]
        """, path: "spec.exportTo[1]", message: "duplicate"),
        .istio("DestinationRule", "selector-exported-publicly", spec: """
        host: reviews
        workloadSelector:
          matchLabels: {app: ratings}
        exportTo: ["*"]
        """, path: "spec.exportTo", message: "own namespace"),
        .istio("DestinationRule", "selector-wildcard", spec: """
        host: reviews
        workloadSelector:
          matchLabels: {app: "rat*"}
        """, path: "spec.workloadSelector.matchLabels.app", message: "wildcard"),
    ]

    static let valid: [ValidationCase] = [
        .istio("DestinationRule", "v1alpha3-wildcard-host", apiVersion: "networking.istio.io/v1alpha3", spec: """
        host: "*.example.com"
        trafficPolicy:
          tls: {mode: SIMPLE}
        """),
        .istio("DestinationRule", "v1beta1-full-wildcard-host", apiVersion: "networking.istio.io/v1beta1", spec: """
        host: "*"
        trafficPolicy:
          loadBalancer: {simple: LEAST_REQUEST}
        """),
        .istio("DestinationRule", "short-host-odd-subsets", spec: """
        host: reviews.default.svc.cluster.local.
        subsets:
        - name: V1
          labels: {app.kubernetes.io/version: "1.0", track: ""}
        - name: canary-2
        """),
        .istio("DestinationRule", "istio-mutual-with-san", spec: """
        host: reviews
        trafficPolicy:
          tls:
            mode: ISTIO_MUTUAL
            sni: reviews.default.svc.cluster.local
            subjectAltNames: [spiffe://cluster.local/ns/default/sa/reviews]
        """),
        .istio("DestinationRule", "tls-edge-combinations", spec: """
        host: api.example.com
        trafficPolicy:
          tls: {mode: DISABLE, caCertificates: /ignored/ca.pem, clientCertificate: /ignored/cert.pem}
          portLevelSettings:
          - port: {number: 443}
            tls: {mode: SIMPLE, insecureSkipVerify: true, sni: api.example.com}
          - port: {number: 8443}
            tls: {mode: MUTUAL, credentialName: client-cert, insecureSkipVerify: true}
          - port: {number: 9443}
            tls: {mode: MUTUAL, clientCertificate: /etc/c.pem, privateKey: /etc/k.pem, caCertificates: /etc/ca.pem}
        """),
        .istio("DestinationRule", "configmap-credentials", spec: """
        host: api.example.com
        subsets:
        - name: own-namespace-implicit
          trafficPolicy:
            tls: {mode: SIMPLE, credentialName: "configmap://api-ca"}
        - name: own-namespace-explicit
          trafficPolicy:
            tls: {mode: SIMPLE, credentialName: "configmap://default/api-ca"}
        """),
        .istio("DestinationRule", "pool-edges", spec: """
        host: reviews
        trafficPolicy:
          connectionPool:
            tcp: {maxConnections: 0, idleTimeout: 0s, connectTimeout: 250ms, tcpKeepalive: {time: 7200s, interval: 75s, probes: 9}}
            http: {http1MaxPendingRequests: 0, h2UpgradePolicy: UPGRADE, useClientProtocol: false, idleTimeout: 1h}
        """),
        .istio("DestinationRule", "consistent-hash-forms", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              httpCookie: {name: session, path: /, ttl: 0s}
              maglev: {tableSize: 65537}
          portLevelSettings:
          - port: {number: 9080}
            loadBalancer:
              consistentHash:
                httpQueryParameterName: user
                ringHash: {minimumRingSize: 1024}
          - port: {number: 9081}
            loadBalancer:
              consistentHash: {useSourceIp: true, minimumRingSize: 512}
        """),
        .istio("DestinationRule", "maglev-smallest-prime", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            consistentHash:
              useSourceIp: true
              maglev: {tableSize: 1}
        """),
        .istio("DestinationRule", "locality-distribute-100", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              enabled: true
              distribute:
              - from: us-west/zone1/*
                to: {"us-west/zone1/*": 80, "us-west/zone2/*": 15, "us-east/*": 5}
              - from: us-east/*
                to: {"us-east/*": 100}
        """),
        .istio("DestinationRule", "locality-failover", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 100}
          loadBalancer:
            simple: ROUND_ROBIN
            localityLbSetting:
              failover:
              - {from: us-west, to: us-east}
              failoverPriority: [topology.istio.io/network]
        """),
        .istio("DestinationRule", "failover-without-outlier-warns", spec: """
        host: reviews
        trafficPolicy:
          loadBalancer:
            localityLbSetting:
              failoverPriority: [topology.kubernetes.io/region, topology.kubernetes.io/zone]
        """),
        .istio("DestinationRule", "outlier-edges", spec: """
        host: reviews
        trafficPolicy:
          outlierDetection:
            consecutiveErrors: 5
            consecutiveLocalOriginFailures: 2
            splitExternalLocalOriginErrors: true
            maxEjectionPercent: 0
            minHealthPercent: 100
        """),
        .istio("DestinationRule", "tunnel-ip-and-warmup", spec: """
        host: db.example.com
        trafficPolicy:
          tunnel: {protocol: POST, targetHost: 10.0.0.12, targetPort: 3128}
          loadBalancer:
            simple: LEAST_REQUEST
            warmup: {duration: 90s, minimumPercent: 10, aggression: 1}
        subsets:
        - name: proxied
          trafficPolicy:
            proxyProtocol: {version: V1}
        """),
        .istio("DestinationRule", "export-to-forms", spec: """
        host: reviews
        exportTo: [".", istio-system, bookinfo]
        """),
        .istio("DestinationRule", "selector-own-namespace", spec: """
        host: reviews
        workloadSelector:
          matchLabels: {app: productpage}
        exportTo: [default]
        trafficPolicy:
          connectionPool:
            http: {maxRetries: 3}
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
