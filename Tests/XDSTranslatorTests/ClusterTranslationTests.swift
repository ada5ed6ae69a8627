import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct ClusterTranslationTests {
    func dr(_ policy: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: ratings, namespace: default}\nspec:\n  host: ratings\n" + policy
    }

    @Test func subsetsGetClustersAndEndpoints() throws {
        let resources = TranslatorFixture.resources("")
        let names = resources.clusters.map(\.name)
        #expect(names.contains("outbound|9080||reviews.default.svc.cluster.local"))
        #expect(names.contains("outbound|9080|v1|reviews.default.svc.cluster.local"))
        #expect(names.contains("outbound|9080|v2|reviews.default.svc.cluster.local"))
        let v2 = try #require(resources.endpoints.first { $0.clusterName == "outbound|9080|v2|reviews.default.svc.cluster.local" })
        #expect(v2.endpoints.flatMap(\.lbEndpoints).map(\.endpoint.address.socketAddress.address) == ["10.0.0.12"])
        let all = try #require(resources.endpoints.first { $0.clusterName == "outbound|9080||reviews.default.svc.cluster.local" })
        #expect(all.endpoints.flatMap(\.lbEndpoints).count == 2)
        let cluster = try #require(resources.clusters.first { $0.name == "outbound|9080|v1|reviews.default.svc.cluster.local" })
        #expect(cluster.type == .eds)
        #expect(cluster.edsClusterConfig.serviceName == cluster.name)
    }

    @Test func trafficPolicyBecomesBreakersOutliersAndBalancer() throws {
        let resources = TranslatorFixture.resources(dr("""
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool:
              tcp: {maxConnections: 10, connectTimeout: 250ms}
              http: {http1MaxPendingRequests: 5, http2MaxRequests: 20, maxRetries: 2, maxRequestsPerConnection: 1}
            outlierDetection: {consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 100}
          subsets:
          - name: v1
            labels: {version: v1}
            trafficPolicy:
              loadBalancer:
                consistentHash: {httpHeaderName: x-user, ringHash: {minimumRingSize: 1024}}
        """))
        let base = try #require(resources.clusters.first { $0.name == "outbound|9080||ratings.default.svc.cluster.local" })
        #expect(base.lbPolicy == .leastRequest)
        let thresholds = try #require(base.circuitBreakers.thresholds.first)
        #expect(thresholds.maxConnections.value == 10)
        #expect(thresholds.maxPendingRequests.value == 5)
        #expect(thresholds.maxRequests.value == 20)
        #expect(thresholds.maxRetries.value == 2)
        #expect(base.connectTimeout == Proto.duration(nanoseconds: 250_000_000))
        #expect(base.outlierDetection.consecutive5Xx.value == 3)
        #expect(base.outlierDetection.interval.seconds == 5)
        #expect(base.typedExtensionProtocolOptions[UpstreamProtocol.optionsKey] != nil)
        let subset = try #require(resources.clusters.first { $0.name == "outbound|9080|v1|ratings.default.svc.cluster.local" })
        #expect(subset.lbPolicy == .ringHash)
        #expect(subset.ringHashLbConfig.minimumRingSize.value == 1024)
        #expect(subset.circuitBreakers.thresholds.first?.maxConnections.value == 10)
    }

    @Test func hashPolicyFollowsTheDestinationRule() throws {
        let resources = TranslatorFixture.resources(dr("""
          trafficPolicy:
            loadBalancer:
              consistentHash: {httpCookie: {name: user, ttl: 60s}}
        """))
        let route = try #require(TranslatorFixture.routes(resources, host: "ratings").first)
        #expect(route.route.hashPolicy.first?.cookie.name == "user")
        #expect(route.route.hashPolicy.first?.cookie.ttl.seconds == 60)
    }

    @Test func simpleTLSOriginationToExternalHost() throws {
        let resources = TranslatorFixture.resources("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: api, namespace: default}
        spec:
          hosts: [api.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 443, name: tls, protocol: TLS}, {number: 80, name: http, protocol: HTTP}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: api, namespace: default}
        spec:
          host: api.example.com
          trafficPolicy:
            portLevelSettings:
            - port: {number: 80}
              tls: {mode: SIMPLE, caCertificates: /etc/ssl/ca.pem}
        """)
        let http = try #require(resources.clusters.first { $0.name == "outbound|80||api.example.com" })
        #expect(http.type == .strictDns)
        #expect(http.transportSocket.name == "envoy.transport_sockets.tls")
        let context = try Envoy_Extensions_TransportSockets_Tls_V3_UpstreamTlsContext(unpackingAny: http.transportSocket.typedConfig)
        #expect(context.sni == "api.example.com")
        #expect(context.commonTlsContext.validationContext.trustedCa.filename == "/etc/ssl/ca.pem")
        let tls = try #require(resources.clusters.first { $0.name == "outbound|443||api.example.com" })
        #expect(!tls.hasTransportSocket)
        #expect(tls.loadAssignment.endpoints.first?.lbEndpoints.first?.endpoint.address.socketAddress.address == "api.example.com")
    }
}
