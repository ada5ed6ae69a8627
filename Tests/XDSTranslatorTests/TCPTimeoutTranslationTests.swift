import Testing
@testable import XDSTranslator

/// DestinationRule `connectionPool.tcp.idleTimeout` / `maxConnectionDuration` ->
/// the tcp_proxy `idle_timeout` / `max_downstream_connection_duration` of outbound
/// and gateway TCP chains, as Istio's `buildOutboundNetworkFilters`: from the rule
/// of the route's first destination; unset (Envoy's 1 h, no maximum) otherwise.
@Suite struct TCPTimeoutTranslationTests {
    typealias F = TranslatorFixture

    let services = F.dbService + "---\n" + F.tcpService("cache", clusterIP: "10.96.0.31", portName: "tcp-redis")

    func rule(_ host: String, idle: String) -> String {
        """
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: \(host), namespace: default}
        spec:
          host: \(host)
          trafficPolicy: {connectionPool: {tcp: {idleTimeout: \(idle)}}}

        """
    }

    @Test func withoutARuleTheTimeoutsAreLeftToEnvoy() throws {
        let proxy = try F.translate(services).tcpProxy("10.96.0.30_5432")
        #expect(!proxy.hasIdleTimeout)
        #expect(!proxy.hasMaxDownstreamConnectionDuration)
    }

    @Test func maxConnectionDurationBecomesTheDownstreamMaximum() throws {
        let resources = try F.translate(services + """
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: db, namespace: default}
        spec:
          host: db
          trafficPolicy: {connectionPool: {tcp: {maxConnectionDuration: 10m}}}
        """)
        let proxy = try resources.tcpProxy("10.96.0.30_5432")
        #expect(proxy.maxDownstreamConnectionDuration.seconds == 600)
        #expect(!proxy.hasIdleTimeout)
    }

    @Test func theServicesRuleSetsIt() throws {
        let proxy = try F.translate(services + rule("db", idle: "30s")).tcpProxy("10.96.0.30_5432")
        #expect(proxy.idleTimeout.seconds == 30)
        #expect(try !F.translate(services + rule("db", idle: "30s")).tcpProxy("10.96.0.31_5432").hasIdleTimeout)
    }

    @Test func zeroIsKept() throws {
        // Envoy reads 0s as "no idle timeout"; Istio passes it through.
        let proxy = try F.translate(services + rule("db", idle: "0s")).tcpProxy("10.96.0.30_5432")
        #expect(proxy.hasIdleTimeout)
        #expect(proxy.idleTimeout.seconds == 0 && proxy.idleTimeout.nanos == 0)
    }

    @Test func aTCPRouteUsesItsFirstDestinationsRule() throws {
        let resources = try F.translate(services + rule("cache", idle: "90s") + rule("db", idle: "5s") + "---\n" + F.dbVS("""
          - route:
            - {destination: {host: cache}, weight: 70}
            - {destination: {host: db}, weight: 30}
        """))
        let proxy = try resources.tcpProxy("10.96.0.30_5432")
        #expect(proxy.weightedClusters.clusters.count == 2)
        #expect(proxy.idleTimeout.seconds == 90)
    }

    @Test func aGatewayTCPRouteUsesItsDestinationsRule() throws {
        let resources = try F.translate("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: istio-system}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 31400, name: tcp, protocol: TCP}
            hosts: ["*"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: tcp, namespace: default}
        spec:
          hosts: ["*"]
          gateways: [istio-system/public]
          tcp:
          - route: [{destination: {host: ratings, port: {number: 9080}}}]

        """ + rule("ratings", idle: "2m"), proxy: F.gateway())
        #expect(try resources.tcpProxy("0.0.0.0_31400").idleTimeout.seconds == 120)
    }
}
