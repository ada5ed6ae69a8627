import Testing

@Suite struct VirtualServiceValidationTests {
    static let invalid: [ValidationCase] = [
        .istio("VirtualService", "no-routes", spec: "hosts: [reviews]", path: "spec", message: "http, tcp or tls"),
        .istio("VirtualService", "bad-weight", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
            weight: -5
        """, path: "spec.http[0].route[0].weight", message: "negative"),
        .istio("VirtualService", "zero-total-weight", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
            weight: 0
          - destination: {host: reviews, subset: v2}
            weight: 0
        """, path: "spec.http[0].route", message: "total destination weight"),
        .istio("VirtualService", "bad-regex", spec: """
        hosts: [reviews]
        http:
        - match:
          - uri: {regex: "/api/(v1"}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].match[0].uri.regex", message: "invalid regex"),
        .istio("VirtualService", "lookahead-regex", spec: """
        hosts: [reviews]
        http:
        - match:
          - headers:
              end-user: {regex: "(?!jason).*"}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].match[0].headers.end-user.regex", message: "RE2"),
        .istio("VirtualService", "exact-and-prefix", spec: """
        hosts: [reviews]
        http:
        - match:
          - uri: {exact: /a, prefix: /b}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].match[0].uri", message: "mutually exclusive"),
        .istio("VirtualService", "redirect-and-route", spec: """
        hosts: [reviews]
        http:
        - redirect: {uri: /new}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].route", message: "redirect"),
        .istio("VirtualService", "short-timeout", spec: """
        hosts: [reviews]
        http:
        - timeout: 0.5ms
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].timeout", message: "1ms"),
        .istio("VirtualService", "garbage-duration", spec: """
        hosts: [reviews]
        http:
        - timeout: ten seconds
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].timeout", message: "duration"),
        .istio("VirtualService", "mesh-wildcard-host", spec: """
        hosts: ["*"]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.hosts[0]", message: "wildcard"),
        .istio("VirtualService", "bad-host", spec: """
        hosts: ["reviews..default"]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.hosts[0]", message: "invalid"),
        .istio("VirtualService", "mid-wildcard", spec: """
        hosts: ["foo.*.com"]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.hosts[0]", message: "wildcard"),
        .istio("VirtualService", "abort-status", spec: """
        hosts: [ratings]
        http:
        - fault:
            abort:
              httpStatus: 700
              percentage: {value: 10}
          route:
          - destination: {host: ratings}
        """, path: "spec.http[0].fault.abort.httpStatus", message: "200..599"),
        .istio("VirtualService", "fault-percentage", spec: """
        hosts: [ratings]
        http:
        - fault:
            delay:
              fixedDelay: 7s
              percentage: {value: 150}
          route:
          - destination: {host: ratings}
        """, path: "spec.http[0].fault.delay.percentage.value", message: "0..100"),
        .istio("VirtualService", "retry-on", spec: """
        hosts: [ratings]
        http:
        - retries:
            attempts: 3
            retryOn: 5xx,bogus-condition
          route:
          - destination: {host: ratings}
        """, path: "spec.http[0].retries.retryOn", message: "bogus-condition"),
        .istio("VirtualService", "retry-zero-attempts", spec: """
        hosts: [ratings]
        http:
        - retries:
            attempts: 0
            perTryTimeout: 2s
          route:
          - destination: {host: ratings}
        """, path: "spec.http[0].retries", message: "attempts 0"),
        .istio("VirtualService", "unknown-field", spec: """
        hosts: [ratings]
        http:
        - route:
          - destination: {host: ratings}
          timeOut: 5s
        """, path: "spec.http[0].timeOut", message: "did you mean"),
        .istio("VirtualService", "weight-string", spec: """
        hosts: [ratings]
        http:
        - route:
          - destination: {host: ratings}
            weight: "80"
        """, path: "spec.http[0].route[0].weight", message: "expected integer"),
        .istio("VirtualService", "redirect-code", spec: """
        hosts: [ratings]
        http:
        - redirect: {uri: /v2, redirectCode: 200}
        """, path: "spec.http[0].redirect.redirectCode", message: "300..399"),
        .istio("VirtualService", "tls-no-sni", spec: """
        hosts: [api.example.com]
        tls:
        - match:
          - port: 443
          route:
          - destination: {host: api.example.com}
        """, path: "spec.tls[0].match[0].sniHosts", message: "required"),
        .istio("VirtualService", "sni-not-in-hosts", spec: """
        hosts: [api.example.com]
        tls:
        - match:
          - sniHosts: [other.example.com]
          route:
          - destination: {host: api.example.com}
        """, path: "spec.tls[0].match[0].sniHosts[0]", message: "not covered"),
        .istio("VirtualService", "tcp-no-route", spec: """
        hosts: [db]
        tcp:
        - match:
          - port: 3306
        """, path: "spec.tcp[0].route", message: "at least one destination"),
        .istio("VirtualService", "destination-port", spec: """
        hosts: [db]
        tcp:
        - route:
          - destination: {host: db, port: {number: 70000}}
        """, path: "spec.tcp[0].route[0].destination.port.number", message: "65535"),
        .istio("VirtualService", "bad-gateway-ref", spec: """
        hosts: [reviews]
        gateways: [istio-system/]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.gateways[0]", message: "namespace/name"),
        .istio("VirtualService", "delegate-with-gateways", spec: """
        gateways: [my-gateway]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.gateways", message: "delegate"),
        .istio("VirtualService", "header-set-host-response", spec: """
        hosts: [reviews]
        http:
        - headers:
            response:
              set: {Host: example.com}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].headers.response.set.Host", message: "Host"),
        .istio("VirtualService", "header-value-percent", spec: """
        hosts: [reviews]
        http:
        - headers:
            request:
              add: {x-ratio: "50%"}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].headers.request.add.x-ratio", message: "%"),
        .istio("VirtualService", "cors-method", spec: """
        hosts: [reviews]
        http:
        - corsPolicy:
            allowMethods: [GET, FETCH]
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].corsPolicy.allowMethods[1]", message: "FETCH"),
        .istio("VirtualService", "jwt-claim-on-mesh", spec: """
        hosts: [reviews]
        http:
        - match:
          - headers:
              "@request.auth.claims.group": {exact: admin}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].match[0].headers.@request.auth.claims.group", message: "gateway"),
        .istio("VirtualService", "rewrite-both", spec: """
        hosts: [reviews]
        http:
        - rewrite:
            uri: /x
            uriRegexRewrite: {match: "^/a(.*)", rewrite: "/b\\\\1"}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].rewrite", message: "both"),
        .istio("VirtualService", "mirror-and-mirrors", spec: """
        hosts: [reviews]
        http:
        - mirror: {host: reviews-shadow}
          mirrors:
          - destination: {host: reviews-shadow}
          route:
          - destination: {host: reviews}
        """, path: "spec.http[0].mirrors", message: "mirror and mirrors"),
        .istio("VirtualService", "duplicate-hosts", spec: """
        hosts: ["*.example.com", "api.example.com"]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.hosts[1]", message: "duplicate"),
        .istio("VirtualService", "subset-name", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: V1_old}
        """, path: "spec.http[0].route[0].destination.subset", message: "DNS-1123"),
        .istio("VirtualService", "export-to", spec: """
        hosts: [reviews]
        exportTo: ["*", "."]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "spec.exportTo", message: "everyone"),
        .istio("VirtualService", "bad-api-version", apiVersion: "networking.istio.io/v2", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews}
        """, path: "apiVersion", message: "not served"),
    ]

    static let valid: [ValidationCase] = [
        .istio("VirtualService", "v1alpha3", apiVersion: "networking.istio.io/v1alpha3", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
        """),
        .istio("VirtualService", "v1beta1-json-style", apiVersion: "networking.istio.io/v1beta1", spec: """
        {"hosts": ["reviews"], "http": [{"route": [{"destination": {"host": "reviews"}, "weight": 100}]}]}
        """),
        .istio("VirtualService", "weights-not-100", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
            weight: 30
          - destination: {host: reviews, subset: v2}
            weight: 30
        """),
        .istio("VirtualService", "go-durations", spec: """
        hosts: [reviews]
        http:
        - timeout: 1m30s
          retries: {attempts: 3, perTryTimeout: 250ms, retryOn: "gateway-error,connect-failure,503"}
          route:
          - destination: {host: reviews}
        """),
        .istio("VirtualService", "wildcard-gateway-host", spec: """
        hosts: ["*"]
        gateways: [istio-system/ingress]
        http:
        - route:
          - destination: {host: productpage, port: {number: 9080}}
        """),
        .istio("VirtualService", "prefix-wildcard", spec: """
        hosts: ["*.example.com", "*-api.internal"]
        http:
        - route:
          - destination: {host: reviews.default.svc.cluster.local}
        """),
        .istio("VirtualService", "ip-host", spec: """
        hosts: [10.1.2.3]
        tcp:
        - route:
          - destination: {host: db.example.com, port: {number: 5432}}
        """),
        .istio("VirtualService", "all-match-fields", spec: """
        hosts: [reviews]
        http:
        - name: everything
          match:
          - name: m1
            uri: {prefix: /api}
            scheme: {exact: https}
            method: {regex: "GET|HEAD"}
            authority: {prefix: reviews}
            headers:
              end-user: {exact: jason}
              ":authority": {prefix: rev}
            withoutHeaders:
              x-canary: {regex: "*"}
            queryParams:
              debug: {exact: "1"}
            ignoreUriCase: true
            port: 9080
            sourceLabels: {app: productpage}
            sourceNamespace: default
            gateways: [mesh]
          route:
          - destination: {host: reviews, subset: v2}
        """),
        .istio("VirtualService", "jwt-claim-on-gateway", spec: """
        hosts: [bookinfo.example.com]
        gateways: [istio-system/ingress]
        http:
        - match:
          - headers:
              "@request.auth.claims[groups]": {exact: admin}
          route:
          - destination: {host: reviews}
        """),
        .istio("VirtualService", "redirect-direct-response", spec: """
        hosts: [reviews]
        http:
        - match: [{uri: {exact: /old}}]
          redirect: {uri: /new, redirectCode: 308, scheme: https, port: 8443}
        - match: [{uri: {exact: /health}}]
          directResponse: {status: 200, body: {string: ok}}
        - route:
          - destination: {host: reviews}
        """),
        .istio("VirtualService", "header-variables", spec: """
        hosts: [reviews]
        http:
        - headers:
            request:
              set: {x-real: "%DOWNSTREAM_REMOTE_ADDRESS%", x-ratio: "50%%", ":authority": reviews.internal}
              remove: [x-debug]
            response:
              add: {x-served-by: "%HOSTNAME%"}
          route:
          - destination: {host: reviews}
        """),
        .istio("VirtualService", "delegate-root", spec: """
        hosts: [bookinfo.example.com]
        gateways: [ingress]
        http:
        - match: [{uri: {prefix: /reviews}}]
          delegate: {name: reviews-routes, namespace: default}
        """),
        .istio("VirtualService", "delegate-child", spec: """
        http:
        - match: [{uri: {prefix: /reviews/v2}}]
          route:
          - destination: {host: reviews, subset: v2}
        """),
        .istio("VirtualService", "mirrors-percent", spec: """
        hosts: [reviews]
        http:
        - route:
          - destination: {host: reviews, subset: v1}
          mirrors:
          - destination: {host: reviews, subset: v2}
            percentage: {value: 12.5}
        """),
        .istio("VirtualService", "cors-full", spec: """
        hosts: [reviews]
        http:
        - corsPolicy:
            allowOrigins: [{exact: "https://example.com"}, {regex: "https://.*\\\\.example\\\\.org"}]
            allowMethods: [GET, POST, "*"]
            allowHeaders: [x-custom, "*"]
            maxAge: 24h
            allowCredentials: true
          route:
          - destination: {host: reviews}
        """),
        .istio("VirtualService", "tls-sni", spec: """
        hosts: ["*.example.com"]
        gateways: [egress]
        tls:
        - match:
          - sniHosts: [api.example.com, "*.example.com"]
            port: 443
          route:
          - destination: {host: api.example.com, port: {number: 443}}
        """),
    ]

    @Test(arguments: invalid) func rejects(_ testCase: ValidationCase) { expectRejected(testCase) }
    @Test(arguments: valid) func accepts(_ testCase: ValidationCase) { expectAccepted(testCase) }
}
