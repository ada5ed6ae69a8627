/// Generates valid, varied Istio objects for the validation benchmark.
enum ObjectGenerator {
    static func stream(count: Int) -> String {
        var out = ""
        out.reserveCapacity(count * 700)
        for index in 0..<count {
            if index > 0 { out += "---\n" }
            out += object(index)
        }
        return out
    }

    static func object(_ index: Int) -> String {
        let service = "svc-\(index % 997)"
        let namespace = "team-\(index % 13)"
        switch index % 6 {
        case 0:
            return """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs-\(index), namespace: \(namespace)}
            spec:
              hosts: [\(service)]
              http:
              - name: canary
                match:
                - headers:
                    end-user: {exact: user-\(index)}
                  uri: {prefix: /api/v\(index % 3)}
                route:
                - destination: {host: \(service), subset: v2}
                retries: {attempts: 3, perTryTimeout: 2s, retryOn: "5xx,connect-failure"}
              - route:
                - destination: {host: \(service), subset: v1}
                  weight: 90
                - destination: {host: \(service), subset: v2}
                  weight: 10
                timeout: 10s

            """
        case 1:
            return """
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: dr-\(index), namespace: \(namespace)}
            spec:
              host: \(service)
              trafficPolicy:
                connectionPool:
                  tcp: {maxConnections: 100, connectTimeout: 30ms}
                  http: {http1MaxPendingRequests: 64, maxRequestsPerConnection: 10}
                outlierDetection: {consecutive5xxErrors: 7, interval: 5m, baseEjectionTime: 15m}
              subsets:
              - {name: v1, labels: {version: v1}}
              - name: v2
                labels: {version: v2}
                trafficPolicy:
                  loadBalancer: {simple: LEAST_REQUEST}

            """
        case 2:
            return """
            apiVersion: networking.istio.io/v1
            kind: ServiceEntry
            metadata: {name: se-\(index), namespace: \(namespace)}
            spec:
              hosts: [api-\(index).example.com]
              location: MESH_EXTERNAL
              resolution: DNS
              ports:
              - {number: 443, name: https, protocol: TLS}
              - {number: 80, name: http, protocol: HTTP}

            """
        case 3:
            return """
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: gw-\(index), namespace: \(namespace)}
            spec:
              selector: {istio: ingressgateway}
              servers:
              - port: {number: 443, name: https-\(index), protocol: HTTPS}
                hosts: ["\(namespace)/app-\(index).example.com"]
                tls: {mode: SIMPLE, credentialName: cert-\(index)}
              - port: {number: 80, name: http-\(index), protocol: HTTP}
                hosts: ["*/app-\(index).example.com"]
                tls: {httpsRedirect: true}

            """
        case 4:
            return """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: ap-\(index), namespace: \(namespace)}
            spec:
              selector:
                matchLabels: {app: \(service)}
              action: ALLOW
              rules:
              - from:
                - source: {principals: ["cluster.local/ns/\(namespace)/sa/client-\(index)"]}
                to:
                - operation: {methods: [GET, POST], paths: ["/api/{*}/items", "/health"]}
                when:
                - key: request.headers[x-tenant]
                  values: [tenant-\(index % 5)]

            """
        default:
            return """
            apiVersion: v1
            kind: Service
            metadata:
              name: \(service)-\(index)
              namespace: \(namespace)
              labels: {app: \(service)}
            spec:
              selector: {app: \(service)}
              ports:
              - {name: http, port: 9080, targetPort: 9080}
              - {name: grpc-api, port: 9090, targetPort: grpc}

            """
        }
    }
}
