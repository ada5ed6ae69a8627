import MeshConfig
import MeshValidation
import Testing
@testable import MeshSnapshot

func snapshot(_ yaml: String) -> MeshSnapshot {
    let (reports, failure) = ConfigValidator().validate(source: "t.yaml", bytes: Array(yaml.utf8))
    precondition(failure == nil)
    for report in reports where report.hasErrors { preconditionFailure("\(report.errors.map { report.formatted($0) })") }
    return MeshSnapshot(version: 1, objects: reports.compactMap(\.object))
}

@Suite struct MeshSnapshotTests {
    @Test func nodeIDsParseLikeIstios() throws {
        let node = try ProxyNode(nodeID: "sidecar~10.1.0.5~reviews-v1-abc.default~default.svc.cluster.local", metadata: ["SERVICE_ACCOUNT": "reviews"])
        #expect(node.kind == .sidecar)
        #expect(node.primaryIP == "10.1.0.5")
        #expect(node.namespace == "default")
        #expect(node.serviceAccount == "reviews")
        #expect(node.nodeID == "sidecar~10.1.0.5~reviews-v1-abc.default~default.svc.cluster.local")
        #expect(throws: ProxyNode.ParseError.self) { try ProxyNode(nodeID: "envoy-1") }
        #expect(throws: ProxyNode.ParseError.self) { try ProxyNode(nodeID: "pod~1.2.3.4~a.b~c") }
    }

    @Test func destinationRuleLookupPrefersClientNamespaceThenServiceNamespace() {
        let mesh = snapshot("""
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews, namespace: default}
        spec: {host: reviews, trafficPolicy: {loadBalancer: {simple: RANDOM}}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: reviews-client, namespace: shop}
        spec: {host: reviews.default.svc.cluster.local, trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: wild, namespace: istio-system}
        spec: {host: "*.example.com", trafficPolicy: {tls: {mode: SIMPLE}}}
        """)
        #expect(mesh.destinationRule(for: "reviews.default.svc.cluster.local", from: "shop")?.name == "reviews-client")
        #expect(mesh.destinationRule(for: "reviews.default.svc.cluster.local", from: "other")?.name == "reviews")
        #expect(mesh.destinationRule(for: "api.example.com", from: "other")?.name == "wild")
        #expect(mesh.destinationRule(for: "ratings.default.svc.cluster.local", from: "default") == nil)
    }

    @Test func sidecarSelectionAndGatewayBinding() throws {
        let root = String(String(#filePath).split(separator: "/Tests/")[0]) + "/examples"
        let objects = ConfigInputReader.listFiles(in: root).flatMap { file in
            ConfigValidator().validate(source: file, bytes: ConfigInputReader.readFile(file)!).reports.compactMap(\.object)
        }
        let mesh = MeshSnapshot(version: 1, objects: objects)
        let catalog = try ProxyNode(nodeID: "sidecar~127.0.10.3~catalog-v2.shop~shop.svc.cluster.local", labels: ["app": "catalog", "version": "v2"])
        #expect(mesh.sidecar(for: catalog)?.name == "catalog")
        let gateway = try ProxyNode(nodeID: "router~127.0.0.1~ingressgateway.shop~shop.svc.cluster.local", labels: ["istio": "ingressgateway"])
        #expect(mesh.gateways(for: gateway).map(\.key) == ["shop/shop-gateway"])
        #expect(mesh.virtualServices(boundTo: "shop/shop-gateway", visibleFrom: "shop").map(\.name) == ["shop-ingress"])
        #expect(mesh.virtualServices(boundTo: "mesh", visibleFrom: "shop").map(\.name).sorted() == ["catalog", "pricing"])
    }
}

@Suite struct MeshSnapshotMeshConfigTests {
    @Test func readsMeshConfigFromTheIstioConfigMapInTheRootNamespaceOnly() {
        let mesh = snapshot("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            trustDomain: example.org
            extensionProviders:
            - name: otel
              opentelemetry: {service: collector.obs.svc.cluster.local, port: 4318}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: shop}
        data:
          mesh: "trustDomain: wrong.example"
        """)
        #expect(mesh.meshConfig.effectiveTrustDomain == "example.org")
        #expect(mesh.meshConfig.provider(named: "otel")?.opentelemetry?.port == 4318)
        #expect(snapshot("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}").meshConfig.effectiveTrustDomain == "cluster.local")
    }
}
