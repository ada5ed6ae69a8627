import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

@Suite struct ListenerTranslationTests {
    @Test func transparentSidecarGetsIstiosListeners() {
        let resources = TranslatorFixture.resources("")
        let names = resources.listeners.map(\.name)
        #expect(names.contains("0.0.0.0_9080"))
        #expect(names.contains("virtualOutbound"))
        let perPort = resources.listeners.first { $0.name == "0.0.0.0_9080" }!
        #expect(perPort.bindToPort.value == false)
        #expect(resources.listeners.first { $0.name == "virtualOutbound" }?.useOriginalDst.value == true)
    }

    @Test func captureModeNoneBindsEgressAndIngressOnTheWorkloadAddress() throws {
        let resources = TranslatorFixture.resources(TranslatorFixture.captureNoneSidecar("\n  outboundTrafficPolicy: {mode: REGISTRY_ONLY}"),
                                                    proxy: TranslatorFixture.reviews)
        #expect(resources.listeners.map(\.name) == ["10.0.0.11_19080", "10.0.0.11_9080"])
        #expect(resources.clusters.map(\.name).contains("outbound|9080||ratings.default.svc.cluster.local"))
        #expect(!resources.clusters.map(\.name).contains("outbound|9080||reviews.default.svc.cluster.local"))
        let inbound = try #require(resources.clusters.first { $0.name == "inbound|19080||" })
        #expect(inbound.loadAssignment.endpoints.first?.lbEndpoints.first?.endpoint.address.socketAddress.address == "127.0.0.1")
        #expect(inbound.loadAssignment.endpoints.first?.lbEndpoints.first?.endpoint.address.socketAddress.portValue == 8080)
        let route = try #require(resources.routes.first { $0.name == "9080" })
        #expect(route.virtualHosts.map(\.name) == ["ratings.default.svc.cluster.local:9080", "block_all"])
        #expect(route.virtualHosts.last?.routes.first?.directResponse.status == 502)
    }

    @Test func gatewayServesBoundVirtualServicesAndTLS() throws {
        let gateway = try ProxyNode(nodeID: "router~10.0.0.2~ingress.istio-system~istio-system.svc.cluster.local", labels: ["istio": "ingressgateway"])
        let resources = TranslatorFixture.resources("""
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: 8080, name: http, protocol: HTTP}
            hosts: ["bookinfo.example.com"]
          - port: {number: 8443, name: https, protocol: HTTPS}
            hosts: ["bookinfo.example.com"]
            tls: {mode: SIMPLE, serverCertificate: /certs/cert.pem, privateKey: /certs/key.pem}
          - port: {number: 9443, name: tls, protocol: TLS}
            hosts: ["db.example.com"]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: front, namespace: default}
        spec:
          hosts: [bookinfo.example.com]
          gateways: [public]
          http:
          - route: [{destination: {host: reviews, port: {number: 9080}}}]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: db, namespace: default}
        spec:
          hosts: [db.example.com]
          gateways: [public]
          tls:
          - match: [{sniHosts: [db.example.com], port: 9443}]
            route: [{destination: {host: ratings, port: {number: 9080}}}]
        """, proxy: gateway)
        #expect(resources.listeners.map(\.name) == ["0.0.0.0_8080", "0.0.0.0_8443", "0.0.0.0_9443"])
        let http = try #require(resources.routes.first { $0.name == "http.8080" })
        #expect(http.virtualHosts.first?.domains == ["bookinfo.example.com", "bookinfo.example.com:*"])
        #expect(http.virtualHosts.first?.routes.first?.route.cluster == "outbound|9080||reviews.default.svc.cluster.local")
        let https = try #require(resources.listeners.first { $0.name == "0.0.0.0_8443" })
        #expect(https.filterChains.first?.filterChainMatch.serverNames == ["bookinfo.example.com"])
        #expect(https.filterChains.first?.transportSocket.name == "envoy.transport_sockets.tls")
        let passthrough = try #require(resources.listeners.first { $0.name == "0.0.0.0_9443" })
        #expect(passthrough.filterChains.first?.filterChainMatch.serverNames == ["db.example.com"])
        #expect(passthrough.listenerFilters.first?.name == "envoy.filters.listener.tls_inspector")
    }

    @Test func translationIsDeterministic() {
        let first = TranslatorFixture.resources("")
        let second = TranslatorFixture.resources("")
        #expect(first.listeners == second.listeners)
        #expect(first.clusters == second.clusters)
        #expect(first.routes == second.routes)
    }
}

@Suite struct CacheKeyTests {
    @Test func equivalentProxiesShareAKeyAndTheSameResources() throws {
        let snapshot = TranslatorFixture.snapshot("")
        let translator = XDSTranslator()
        let a = try ProxyNode(nodeID: "sidecar~10.9.0.1~a.default~default.svc.cluster.local", labels: ["app": "client"])
        let b = try ProxyNode(nodeID: "sidecar~10.9.0.2~b.default~default.svc.cluster.local", labels: ["app": "client"])
        #expect(translator.cacheKey(for: a, in: snapshot) == translator.cacheKey(for: b, in: snapshot))
        #expect(translator.resources(for: a, in: snapshot).clusters == translator.resources(for: b, in: snapshot).clusters)
        #expect(translator.resources(for: a, in: snapshot).listeners == translator.resources(for: b, in: snapshot).listeners)
        // A workload that services select has inbound listeners on its own address.
        let reviews = try ProxyNode(nodeID: "sidecar~10.0.0.11~reviews-v1.default~default.svc.cluster.local", labels: ["app": "reviews"])
        #expect(translator.cacheKey(for: reviews, in: snapshot).primaryIP == "10.0.0.11")
    }
}
