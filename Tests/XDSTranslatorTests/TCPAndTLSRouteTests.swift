import Testing
import XDSAPI
@testable import XDSTranslator

/// VirtualService `tcp` and `tls` routes for sidecars, and DestinationRule `tls`
/// (SIMPLE / MUTUAL origination) on outbound clusters.
@Suite struct TCPAndTLSRouteTests {
    typealias F = TranslatorFixture

    let database = F.dbService + """
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: db-a, namespace: default, labels: {app: db, role: primary}}
    status: {podIP: 10.0.2.1}
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: db-b, namespace: default, labels: {app: db, role: replica}}
    status: {podIP: 10.0.2.2}
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: db, namespace: default}
    spec:
      host: db
      subsets: [{name: primary, labels: {role: primary}}, {name: replica, labels: {role: replica}}]

    """

    @Test func tcpServiceWithoutRoutesGoesToItsCluster() throws {
        let resources = try F.translate(database)
        let listeners = resources.listeners.map(\.name)
        let name = try #require(listeners.first { $0.hasSuffix("_5432") })
        #expect(try resources.tcpProxy(name).cluster == "outbound|5432||db.default.svc.cluster.local")
        #expect(try resources.assignment("outbound|5432|replica|db.default.svc.cluster.local").addresses == ["10.0.2.2:5432"])
    }

    @Test func tcpRouteWithWeightsSplitsConnections() throws {
        let resources = try F.translate(database + "---\n" + F.dbVS("""
          - match: [{port: 5432}]
            route:
            - destination: {host: db, subset: primary}
              weight: 90
            - destination: {host: db, subset: replica}
              weight: 10
        """))
        let name = try #require(resources.listeners.map(\.name).first { $0.hasSuffix("_5432") })
        let proxy = try resources.tcpProxy(name)
        #expect(proxy.weightedClusters.clusters.map(\.name) == ["outbound|5432|primary|db.default.svc.cluster.local",
                                                              "outbound|5432|replica|db.default.svc.cluster.local"])
        #expect(proxy.weightedClusters.clusters.map(\.weight) == [90, 10])
    }

    @Test func tcpRouteWithOneDestination() throws {
        let resources = try F.translate(database + "---\n" + F.dbVS("""
          - route: [{destination: {host: db, subset: replica}}]
        """))
        let name = try #require(resources.listeners.map(\.name).first { $0.hasSuffix("_5432") })
        #expect(try resources.tcpProxy(name).cluster == "outbound|5432|replica|db.default.svc.cluster.local")
    }

    @Test func meshTLSRouteMatchesBySNI() throws {
        // Istio: the 443 listener gets a filter chain per sniHosts (server_names) with a
        // tcp_proxy to the route's destination, behind a tls_inspector.
        let resources = try F.translate("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: ext, namespace: default}
        spec:
          hosts: [a.example.com, b.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 443, name: tls, protocol: TLS}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: ext, namespace: default}
        spec:
          hosts: [a.example.com]
          tls:
          - match: [{sniHosts: [a.example.com], port: 443}]
            route: [{destination: {host: b.example.com, port: {number: 443}}}]
        """)
        let listener = try resources.listener("0.0.0.0_443")
        let chain = try #require(listener.filterChains.first { $0.filterChainMatch.serverNames == ["a.example.com"] })
        #expect(try Unpack.tcpProxy(chain.filters[0]).cluster == "outbound|443||b.example.com")
        #expect(listener.listenerFilters.contains { $0.name == "envoy.filters.listener.tls_inspector" })
    }

    // MARK: DestinationRule tls

    let external = """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: api, namespace: default}
    spec:
      hosts: [api.example.com]
      location: MESH_EXTERNAL
      resolution: DNS
      ports: [{number: 80, name: http, protocol: HTTP}]
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: api, namespace: default}
    spec:
      host: api.example.com
      trafficPolicy:

    """

    func origination(_ tls: String) throws -> Envoy_Config_Cluster_V3_Cluster {
        try F.translate(external + "    tls: " + tls + "\n").cluster("outbound|80||api.example.com")
    }

    @Test func simpleTLSWithCAAndDefaultSNI() throws {
        let tls = try Unpack.upstreamTLS(origination("{mode: SIMPLE, caCertificates: /etc/ca.pem}"))
        #expect(tls.sni == "api.example.com")
        #expect(tls.commonTlsContext.validationContext.trustedCa.filename == "/etc/ca.pem")
        #expect(tls.commonTlsContext.tlsCertificates.isEmpty)
    }

    @Test func simpleTLSWithExplicitSNIAndSubjectAltNames() throws {
        let tls = try Unpack.upstreamTLS(origination("{mode: SIMPLE, caCertificates: /etc/ca.pem, sni: edge.example.com}"))
        #expect(tls.sni == "edge.example.com")
    }

    @Test func mutualTLSPresentsTheClientCertificate() throws {
        let tls = try Unpack.upstreamTLS(origination("{mode: MUTUAL, clientCertificate: /c/client.pem, privateKey: /c/key.pem, caCertificates: /c/ca.pem}"))
        let pair = try #require(tls.commonTlsContext.tlsCertificates.first)
        #expect(pair.certificateChain.filename == "/c/client.pem")
        #expect(pair.privateKey.filename == "/c/key.pem")
        #expect(tls.commonTlsContext.validationContext.trustedCa.filename == "/c/ca.pem")
    }

    @Test func disableMeansPlainText() throws {
        #expect(try !origination("{mode: DISABLE}").hasTransportSocket)
    }

    @Test func simpleTLSWithoutCAStillVerifiesTheServer() throws {
        // Istio fills an empty caCertificates with "system" (the OS trust store) and verifies.
        let tls = try Unpack.upstreamTLS(origination("{mode: SIMPLE}"))
        #expect(tls.sni == "api.example.com")
        #expect((tls.commonTlsContext.validationContextType != nil))
    }

    @Test func insecureSkipVerifyDropsValidation() throws {
        let tls = try Unpack.upstreamTLS(origination("{mode: SIMPLE, insecureSkipVerify: true}"))
        #expect(!(tls.commonTlsContext.validationContextType != nil))
    }
}
