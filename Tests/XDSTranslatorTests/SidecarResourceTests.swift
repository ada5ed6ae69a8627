import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// The Sidecar resource: egress host scoping, ingress listeners with defaultEndpoint,
/// captureMode NONE, outboundTrafficPolicy; plus inbound listeners and clusters.
@Suite struct SidecarResourceTests {
    typealias F = TranslatorFixture
    let reviewsProxy = F.sidecar("10.0.0.11", name: "reviews-v1", labels: ["app": "reviews", "version": "v1"])

    func sidecar(_ spec: String, namespace: String = "default") -> String {
        "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: \(namespace)}\nspec:\n" + spec
    }

    let otherNamespace = """
    apiVersion: v1
    kind: Service
    metadata: {name: billing, namespace: finance}
    spec:
      ports: [{name: http, port: 8080}]
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: ledger, namespace: finance}
    spec:
      ports: [{name: http, port: 8080}]

    """

    @Test func egressHostsScopeTheVisibleServices() throws {
        let resources = try F.translate(otherNamespace + "---\n" + sidecar("""
          egress:
          - hosts: [./ratings.default.svc.cluster.local, finance/*]
        """))
        let names = Set(resources.clusterNames.filter { $0.hasPrefix("outbound|") })
        #expect(names == ["outbound|9080||ratings.default.svc.cluster.local",
                          "outbound|8080||billing.finance.svc.cluster.local", "outbound|8080||ledger.finance.svc.cluster.local"])
        #expect(resources.clusterNames.contains("BlackHoleCluster") && resources.clusterNames.contains("PassthroughCluster"))
    }

    @Test func egressHostWildcardsAndTilde() throws {
        let resources = try F.translate(otherNamespace + "---\n" + sidecar("""
          egress:
          - hosts: ["*/billing.finance.svc.cluster.local", "~/*"]
        """))
        #expect(resources.clusterNames.filter { $0.hasPrefix("outbound|") } == ["outbound|8080||billing.finance.svc.cluster.local"])
        #expect(try resources.routeConfig("8080").virtualHosts.map(\.name) == ["billing.finance.svc.cluster.local:8080", "allow_any"])
        #expect(!resources.routes.contains { $0.name == "9080" })
    }

    @Test func workloadSelectorSidecarWinsOverTheNamespaceDefault() throws {
        let resources = try F.translate(sidecar("""
          egress:
          - hosts: [./ratings.default.svc.cluster.local]
        """) + "\n---\n" + """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: productpage, namespace: default}
        spec:
          workloadSelector: {labels: {app: productpage}}
          egress:
          - hosts: [./reviews.default.svc.cluster.local]
        """)
        let outbound = resources.clusterNames.filter { $0.hasPrefix("outbound|") }
        #expect(outbound.contains("outbound|9080||reviews.default.svc.cluster.local"))
        #expect(!outbound.contains("outbound|9080||ratings.default.svc.cluster.local"))
    }

    @Test func rootNamespaceSidecarAppliesMeshWide() throws {
        let resources = try F.translate(sidecar("""
          egress:
          - hosts: [default/ratings.default.svc.cluster.local]
          outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        """, namespace: "istio-system"), proxy: F.sidecar(namespace: "shop"))
        #expect(resources.clusterNames.filter { $0.hasPrefix("outbound|") } == ["outbound|9080||ratings.default.svc.cluster.local"])
        #expect(try Unpack.tcpProxy(resources.listener("virtualOutbound").filterChains[0].filters[0]).cluster == "BlackHoleCluster")
    }

    @Test func egressMatchingNoServiceStillCapturesOutbound() throws {
        // Istio always gives a capturing sidecar its virtualOutbound (15001) catch-all.
        let resources = try F.translate(sidecar("""
          egress:
          - hosts: [./*]
        """, namespace: "shop"), proxy: F.sidecar(namespace: "shop"))
        #expect(!resources.clusterNames.contains { $0.hasPrefix("outbound|") })
        let catchAll = try resources.listener("virtualOutbound")
        #expect(try Unpack.tcpProxy(catchAll.filterChains[0].filters[0]).cluster == "PassthroughCluster")
    }

    @Test func registryOnlyBlocksUnknownHosts() throws {
        let resources = try F.translate(sidecar("  outboundTrafficPolicy: {mode: REGISTRY_ONLY}\n"))
        let fallback = try #require(resources.routeConfig("9080").virtualHosts.last)
        #expect(fallback.name == "block_all")
        #expect(fallback.domains == ["*"])
        #expect(fallback.routes.first?.directResponse.status == 502)
        let catchAll = try Unpack.tcpProxy(resources.listener("virtualOutbound").filterChains[0].filters[0])
        #expect(catchAll.cluster == "BlackHoleCluster")
    }

    @Test func allowAnyPassesUnknownHostsThrough() throws {
        let resources = try F.translate(sidecar("  outboundTrafficPolicy: {mode: ALLOW_ANY}\n"))
        let fallback = try #require(resources.routeConfig("9080").virtualHosts.last)
        #expect(fallback.name == "allow_any")
        #expect(fallback.domains == ["*"])
        #expect(fallback.routes.first?.route.cluster == "PassthroughCluster")
        #expect(try Unpack.tcpProxy(resources.listener("virtualOutbound").filterChains[0].filters[0]).cluster == "PassthroughCluster")
        let passthrough = try resources.cluster("PassthroughCluster")
        #expect(passthrough.type == .originalDst && passthrough.lbPolicy == .clusterProvided)
    }

    @Test func captureModeNoneEgressBindsOnTheWorkloadAddress() throws {
        let resources = try F.translate(sidecar("""
          egress:
          - port: {number: 9080, protocol: HTTP, name: http}
            captureMode: NONE
            hosts: [./*]
          - port: {number: 15080, protocol: HTTP, name: http-alt}
            bind: 127.0.0.1
            hosts: [./ratings.default.svc.cluster.local]
        """), proxy: F.sidecar("10.0.0.40"))
        #expect(resources.listeners.map(\.name).contains("10.0.0.40_9080"))
        let bound = try resources.listener("10.0.0.40_9080")
        #expect(bound.address.socketAddress.address == "10.0.0.40")
        #expect(bound.address.socketAddress.portValue == 9080)
        #expect(!bound.hasBindToPort || bound.bindToPort.value == true)
        #expect(try Unpack.hcm(bound.filterChains[0].filters[0]).rds.routeConfigName == "9080")
        #expect(resources.listeners.map(\.name).contains("127.0.0.1_15080"))
        #expect(!resources.listeners.map(\.name).contains("virtualOutbound"), "no transparent egress listener, no catch-all")
    }

    @Test func ingressListenerForwardsToTheDefaultEndpoint() throws {
        let resources = try F.translate(sidecar("""
          workloadSelector: {labels: {app: reviews}}
          ingress:
          - port: {number: 9080, protocol: HTTP, name: http}
            defaultEndpoint: 127.0.0.1:8080
            captureMode: NONE
          - port: {number: 9443, protocol: TCP, name: tcp}
            defaultEndpoint: 0.0.0.0:8443
        """), proxy: reviewsProxy)
        let http = try resources.listener("10.0.0.11_9080")
        #expect(http.trafficDirection == .inbound)
        let hcm = try Unpack.hcm(http.filterChains[0].filters[0])
        #expect(hcm.routeConfig.virtualHosts.first?.routes.first?.route.cluster == "inbound|9080||")
        let cluster = try resources.cluster("inbound|9080||")
        #expect(cluster.type == .static)
        #expect(cluster.loadAssignment.addresses == ["127.0.0.1:8080"])
        // Without captureMode NONE the port is reached by capture: a virtualInbound chain.
        let captured = try resources.listener("virtualInbound")
        let chain = try #require(captured.filterChains.first { $0.filterChainMatch.destinationPort.value == 9443 })
        #expect(try Unpack.tcpProxy(chain.filters[0]).cluster == "inbound|9443||")
        #expect(!resources.listeners.contains { $0.name == "10.0.0.11_9443" })
        #expect(try resources.cluster("inbound|9443||").loadAssignment.addresses == ["10.0.0.11:8443"], "0.0.0.0 means the workload's own address")
    }

    @Test func servicesSelectingTheProxyGetInboundClusters() throws {
        let resources = try F.translate("", proxy: reviewsProxy)
        let cluster = try resources.cluster("inbound|9080||")
        #expect(cluster.loadAssignment.addresses == ["10.0.0.11:9080"])
        #expect(try F.translate("").clusters.allSatisfy { !$0.name.hasPrefix("inbound|") }, "productpage is selected by no service")
    }

    @Test func transparentInboundGoesThroughVirtualInbound() throws {
        // Istio: one `virtualInbound` listener on 15006 (original destination) with a filter
        // chain per inbound port (destination_port 9080) to `inbound|9080||`.
        let resources = try F.translate("", proxy: reviewsProxy)
        let inbound = try resources.listener("virtualInbound")
        #expect(inbound.address.socketAddress.portValue == 15006)
        #expect(inbound.useOriginalDst.value)
        #expect(inbound.filterChains.contains { $0.filterChainMatch.destinationPort.value == 9080 })
        #expect(try Unpack.tcpProxy(inbound.defaultFilterChain.filters[0]).cluster == "PassthroughCluster", "other ports pass through")
        #expect(!resources.listeners.contains { $0.name.hasSuffix("_9080") && $0.trafficDirection == .inbound }, "no bound inbound listener")
    }

    @Test func virtualHostsOfOtherNamespacesOmitTheShortName() throws {
        let resources = try F.translate(otherNamespace)
        let host = try resources.virtualHost("billing.finance.svc.cluster.local:8080", config: "8080")
        #expect(!host.domains.contains("billing"))
        #expect(host.domains.contains("billing.finance"))
        #expect(host.domains.contains("billing.finance.svc"))
        #expect(host.domains.contains("billing.finance.svc.cluster.local"))
    }

    @Test func virtualServiceExportToLimitsWhoseRoutesItChanges() throws {
        let yaml = F.reviewsVS("  - route: [{destination: {host: reviews, subset: v2}}]\n", extra: "  exportTo: [\".\"]\n")
        #expect(try F.translate(yaml).firstRoute().route.cluster == "outbound|9080|v2|reviews.default.svc.cluster.local")
        let other = try F.translate(yaml, proxy: F.sidecar(namespace: "shop")).firstRoute("reviews.default")
        #expect(other.route.cluster == "outbound|9080||reviews.default.svc.cluster.local", "not exported to shop: default route")
    }

    @Test func destinationRuleExportToLimitsWhoseClustersItShapes() throws {
        let yaml = F.ratingsDR("  exportTo: [\".\"]\n  trafficPolicy: {loadBalancer: {simple: RANDOM}}\n")
        let name = "outbound|9080||ratings.default.svc.cluster.local"
        #expect(try F.translate(yaml).cluster(name).lbPolicy == .random)
        #expect(try F.translate(yaml, proxy: F.sidecar(namespace: "shop")).cluster(name).lbPolicy != .random)
    }

    @Test func serviceExportToAnnotationHidesTheService() throws {
        let yaml = """
        apiVersion: v1
        kind: Service
        metadata: {name: internal, namespace: default, annotations: {networking.istio.io/exportTo: "."}}
        spec:
          ports: [{name: http, port: 8080}]
        """
        #expect(try F.translate(yaml).clusterNames.contains("outbound|8080||internal.default.svc.cluster.local"))
        #expect(try !F.translate(yaml, proxy: F.sidecar(namespace: "shop")).clusterNames.contains("outbound|8080||internal.default.svc.cluster.local"))
    }
}
