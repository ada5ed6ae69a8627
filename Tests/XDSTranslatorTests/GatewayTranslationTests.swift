import Testing
import XDSAPI
@testable import XDSTranslator

/// Gateway servers -> listeners on the gateway proxy it selects; HTTP, HTTPS with
/// certificate files, httpsRedirect, TLS passthrough by SNI, TCP; VirtualServices
/// bound by `gateways`. (credentialName is covered elsewhere.)
@Suite struct GatewayTranslationTests {
    typealias F = TranslatorFixture
    let gw = F.gateway()

    func gateway(_ servers: String, name: String = "public", namespace: String = "istio-system") -> String {
        "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: \(name), namespace: \(namespace)}\nspec:\n  selector: {istio: ingressgateway}\n  servers:\n" + servers
    }

    func vs(_ name: String, hosts: String, gateways: String, _ body: String) -> String {
        "\n---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: \(name), namespace: default}\nspec:\n  hosts: \(hosts)\n  gateways: \(gateways)\n" + body
    }

    let toReviews = "  http:\n  - route: [{destination: {host: reviews, subset: v1, port: {number: 9080}}}]\n"

    @Test func gatewaySelectsProxiesByLabels() throws {
        let yaml = gateway("  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n")
        #expect(try F.translate(yaml, proxy: gw).listeners.map(\.name) == ["0.0.0.0_8080"])
        #expect(try F.translate(yaml, proxy: F.gateway(labels: ["istio": "egressgateway"])).listeners.isEmpty)
    }

    @Test func httpServerRoutesBoundVirtualServicesByHost() throws {
        let resources = try F.translate(gateway("""
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["default/shop.example.com", "*.example.org"]
        """) + vs("shop", hosts: "[shop.example.com]", gateways: "[istio-system/public]", toReviews)
             + vs("wild", hosts: "[api.example.org]", gateways: "[istio-system/public]", toReviews)
             + vs("unbound", hosts: "[other.example.com]", gateways: "[istio-system/public]", toReviews), proxy: gw)
        let listener = try resources.listener("0.0.0.0_8080")
        #expect(listener.address.socketAddress.portValue == 8080)
        #expect(try Unpack.hcm(listener.filterChains[0].filters[0]).rds.routeConfigName == "http.8080")
        let config = try resources.routeConfig("http.8080")
        #expect(config.virtualHosts.map(\.name) == ["shop.example.com:8080", "api.example.org:8080"])
        #expect(config.virtualHosts[0].domains == ["shop.example.com", "shop.example.com:*"])
        #expect(config.virtualHosts[0].routes.first?.route.cluster == "outbound|9080|v1|reviews.default.svc.cluster.local")
    }

    @Test func virtualServicesNotBoundToTheGatewayAreNotServed() throws {
        let resources = try F.translate(gateway("  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n")
            + vs("mesh-only", hosts: "[shop.example.com]", gateways: "[mesh]", toReviews), proxy: gw)
        let config = try resources.routeConfig("http.8080")
        #expect(config.virtualHosts.count == 1)
        #expect(config.virtualHosts[0].routes.first?.directResponse.status == 404)
    }

    @Test func meshAndGatewayBindingServesBoth() throws {
        let yaml = gateway("  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n")
            + vs("both", hosts: "[reviews.default.svc.cluster.local]", gateways: "[mesh, istio-system/public]", """
              http:
              - match: [{gateways: [istio-system/public]}]
                route: [{destination: {host: reviews, subset: v2}}]
              - route: [{destination: {host: reviews, subset: v1}}]
            """)
        let atGateway = try F.translate(yaml, proxy: gw).httpRoutes("reviews.default.svc.cluster.local", config: "http.8080")
        #expect(atGateway.map(\.route.cluster) == ["outbound|9080|v2|reviews.default.svc.cluster.local", "outbound|9080|v1|reviews.default.svc.cluster.local"])
        let inMesh = try F.translate(yaml).httpRoutes()
        #expect(inMesh.map(\.route.cluster) == ["outbound|9080|v1|reviews.default.svc.cluster.local"])
    }

    @Test func httpsServerTerminatesTLSWithCertificateFiles() throws {
        let resources = try F.translate(gateway("""
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [shop.example.com]
            tls: {mode: SIMPLE, serverCertificate: /etc/certs/tls.crt, privateKey: /etc/certs/tls.key}
        """) + vs("shop", hosts: "[shop.example.com]", gateways: "[istio-system/public]", toReviews), proxy: gw)
        let listener = try resources.listener("0.0.0.0_443")
        #expect(listener.listenerFilters.map(\.name) == ["envoy.filters.listener.tls_inspector"])
        let chain = try #require(listener.filterChains.first)
        #expect(chain.filterChainMatch.serverNames == ["shop.example.com"])
        let tls = try Unpack.downstreamTLS(chain)
        #expect(tls.commonTlsContext.tlsCertificates.first?.certificateChain.filename == "/etc/certs/tls.crt")
        #expect(tls.commonTlsContext.tlsCertificates.first?.privateKey.filename == "/etc/certs/tls.key")
        #expect(tls.commonTlsContext.alpnProtocols == ["h2", "http/1.1"])
        #expect(!tls.hasRequireClientCertificate || tls.requireClientCertificate.value == false)
        let route = try Unpack.hcm(chain.filters[0]).rds.routeConfigName
        #expect(route == "https.443.https.public.istio-system")
        #expect(try resources.routeConfig(route).virtualHosts.first?.domains == ["shop.example.com", "shop.example.com:*"])
    }

    @Test func mutualTLSRequiresAClientCertificate() throws {
        let chain = try #require(F.translate(gateway("""
          - port: {number: 443, name: https, protocol: HTTPS}
            hosts: [shop.example.com]
            tls: {mode: MUTUAL, serverCertificate: /c/tls.crt, privateKey: /c/tls.key, caCertificates: /c/ca.crt}
        """), proxy: gw).listener("0.0.0.0_443").filterChains.first)
        let tls = try Unpack.downstreamTLS(chain)
        #expect(tls.requireClientCertificate.value == true)
        #expect(tls.commonTlsContext.validationContext.trustedCa.filename == "/c/ca.crt")
    }

    @Test func httpsRedirectRequiresTLS() throws {
        let config = try F.translate(gateway("""
          - port: {number: 80, name: http, protocol: HTTP}
            hosts: [shop.example.com]
            tls: {httpsRedirect: true}
        """) + vs("shop", hosts: "[shop.example.com]", gateways: "[istio-system/public]", toReviews), proxy: gw).routeConfig("http.80")
        let host = try #require(config.virtualHosts.first { $0.domains.contains("shop.example.com") })
        #expect(host.requireTls == .all)
    }

    @Test func passthroughRoutesBySNIToTLSRouteDestinations() throws {
        let resources = try F.translate(gateway("""
          - port: {number: 443, name: tls, protocol: TLS}
            hosts: ["*.example.com"]
            tls: {mode: PASSTHROUGH}
        """) + vs("tls", hosts: "[a.example.com, b.example.com]", gateways: "[istio-system/public]", """
          tls:
          - match: [{sniHosts: [a.example.com], port: 443}]
            route: [{destination: {host: reviews, port: {number: 9080}}}]
          - match: [{sniHosts: [b.example.com]}]
            route: [{destination: {host: ratings}}]
        """), proxy: gw)
        let listener = try resources.listener("0.0.0.0_443")
        #expect(listener.listenerFilters.map(\.name) == ["envoy.filters.listener.tls_inspector"])
        #expect(listener.filterChains.map(\.filterChainMatch.serverNames) == [["a.example.com"], ["b.example.com"]])
        #expect(listener.filterChains.allSatisfy { !$0.hasTransportSocket }, "passthrough does not terminate TLS")
        let clusters = try listener.filterChains.map { try Unpack.tcpProxy($0.filters[0]).cluster }
        #expect(clusters == ["outbound|9080||reviews.default.svc.cluster.local", "outbound|9080||ratings.default.svc.cluster.local"])
    }

    @Test func tcpServerProxiesToTheTCPRoute() throws {
        let resources = try F.translate(gateway("""
          - port: {number: 31400, name: tcp, protocol: TCP}
            hosts: ["*"]
        """) + vs("tcp", hosts: "[\"*\"]", gateways: "[istio-system/public]", """
          tcp:
          - match: [{port: 31400}]
            route: [{destination: {host: ratings, port: {number: 9080}}}]
        """), proxy: gw)
        let listener = try resources.listener("0.0.0.0_31400")
        #expect(try Unpack.tcpProxy(listener.filterChains[0].filters[0]).cluster == "outbound|9080||ratings.default.svc.cluster.local")
        #expect(!resources.routes.contains { $0.name.contains("31400") })
    }

    @Test func shortGatewayNameResolvesInTheVirtualServiceNamespace() throws {
        let resources = try F.translate(gateway("  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n", namespace: "default")
            + vs("shop", hosts: "[shop.example.com]", gateways: "[public]", toReviews), proxy: gw)
        #expect(try resources.routeConfig("http.8080").virtualHosts.map(\.name) == ["shop.example.com:8080"])
    }

    @Test func gatewayGetsOutboundClustersForDestinations() throws {
        let resources = try F.translate(gateway("  - port: {number: 8080, name: http, protocol: HTTP}\n    hosts: [\"*\"]\n"), proxy: gw)
        #expect(resources.clusterNames.contains("outbound|9080|v1|reviews.default.svc.cluster.local"))
        #expect(!resources.clusterNames.contains { $0.hasPrefix("inbound|") })
        #expect(!resources.listeners.contains { $0.name == "virtualOutbound" })
    }
}
