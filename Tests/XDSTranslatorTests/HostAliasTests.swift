import Testing
import XDSAPI
@testable import XDSTranslator

/// Sidecar outbound HTTP: one route configuration per port, one virtual host per
/// service with Istio's host aliases, default routes; and the port protocol (name
/// prefix / appProtocol) deciding HTTP vs TCP and the upstream HTTP version.
@Suite struct HostAliasTests {
    typealias F = TranslatorFixture

    let shop = """
    apiVersion: v1
    kind: Service
    metadata: {name: cart, namespace: default}
    spec:
      clusterIP: 10.96.0.20
      selector: {app: cart}
      ports: [{name: http, port: 80, targetPort: 8080}, {name: http-admin, port: 9090}]
    ---
    apiVersion: v1
    kind: Pod
    metadata: {name: cart-1, namespace: default, labels: {app: cart}}
    status: {podIP: 10.0.1.1}

    """

    @Test func aliasesWithAndWithoutPortInTheSameNamespace() throws {
        let host = try F.translate(shop).virtualHost("cart.default.svc.cluster.local:80", config: "80")
        let expected = ["cart", "cart.default", "cart.default.svc", "cart.default.svc.cluster.local", "10.96.0.20"]
        for alias in expected {
            #expect(host.domains.contains(alias), "\(alias)")
            #expect(host.domains.contains("\(alias):80"), "\(alias):80")
        }
        #expect(Set(host.domains).count == host.domains.count, "no duplicate domains")
        #expect(!host.domains.contains("*"))
    }

    @Test func aliasesFromAnotherNamespaceHaveNoShortName() throws {
        let host = try F.translate(shop, proxy: F.sidecar(namespace: "shop")).virtualHost("cart.default.svc.cluster.local:80", config: "80")
        #expect(Set(host.domains) == ["cart.default", "cart.default:80", "cart.default.svc", "cart.default.svc:80",
                                      "cart.default.svc.cluster.local", "cart.default.svc.cluster.local:80",
                                      "10.96.0.20", "10.96.0.20:80"])
    }

    @Test func oneRouteConfigurationPerServicePort() throws {
        let resources = try F.translate(shop)
        #expect(try resources.routeConfig("80").virtualHosts.map(\.name) == ["cart.default.svc.cluster.local:80", "allow_any"])
        #expect(try resources.routeConfig("9090").virtualHosts.map(\.name) == ["cart.default.svc.cluster.local:9090", "allow_any"])
        let admin = try resources.virtualHost("cart.default.svc.cluster.local:9090", config: "9090")
        #expect(admin.domains.contains("cart:9090") && !admin.domains.contains("cart:80"))
        // Both services on 9080 share one route configuration.
        #expect(try resources.routeConfig("9080").virtualHosts.map(\.name) == ["ratings.default.svc.cluster.local:9080",
                                                                             "reviews.default.svc.cluster.local:9080", "allow_any"])
        let listener = try resources.listener("0.0.0.0_80")
        #expect(try Unpack.hcm(listener.filterChains[0].filters[0]).rds.routeConfigName == "80")
    }

    @Test func defaultRouteForAServiceWithoutVirtualService() throws {
        let route = try F.translate(shop).firstRoute("cart", config: "80")
        #expect(route.name == "default")
        #expect(route.match.prefix == "/")
        #expect(route.route.cluster == "outbound|80||cart.default.svc.cluster.local")
        #expect(route.route.hasTimeout && seconds(route.route.timeout) == 0)
        #expect(route.route.retryPolicy.numRetries.value == 2)
        #expect(route.decorator.operation == "cart.default.svc.cluster.local:80/*")
    }

    @Test func clustersPerPortWithEDSEndpointsOnTheTargetPort() throws {
        let resources = try F.translate(shop)
        for port in [80, 9090] {
            let c = try resources.cluster("outbound|\(port)||cart.default.svc.cluster.local")
            #expect(c.type == .eds)
            #expect(c.edsClusterConfig.serviceName == c.name)
        }
        #expect(try resources.assignment("outbound|80||cart.default.svc.cluster.local").addresses == ["10.0.1.1:8080"])
        #expect(try resources.assignment("outbound|9090||cart.default.svc.cluster.local").addresses == ["10.0.1.1:9090"])
    }

    func protocols() throws -> ProxyResources {
        try F.translate("""
        apiVersion: v1
        kind: Service
        metadata: {name: multi, namespace: default}
        spec:
          ports:
          - {name: http-web, port: 7001}
          - {name: http2-api, port: 7002}
          - {name: grpc, port: 7003}
          - {name: tcp-db, port: 7004}
          - {name: tls-secure, port: 7005}
          - {name: web, port: 7006, appProtocol: http}
          - {name: http-but-grpc, port: 7007, appProtocol: grpc}
        """)
    }

    @Test(arguments: [7001, 7002, 7003, 7006, 7007])
    func httpPortsGetAConnectionManagerAndRoutes(port: Int) throws {
        let resources = try protocols()
        let listener = try resources.listener("0.0.0.0_\(port)")
        #expect(listener.filterChains[0].filters[0].name == "envoy.filters.network.http_connection_manager")
        #expect(try resources.virtualHost("multi.default.svc.cluster.local:\(port)", config: "\(port)").domains.contains("multi"))
    }

    @Test(arguments: [7004, 7005])
    func tcpAndTLSPortsGetATCPProxy(port: Int) throws {
        let resources = try protocols()
        let listener = try resources.listener("0.0.0.0_\(port)")
        let proxy = try Unpack.tcpProxy(listener.filterChains[0].filters[0])
        #expect(proxy.cluster == "outbound|\(port)||multi.default.svc.cluster.local")
        #expect(!resources.routes.contains { $0.name == "\(port)" })
    }

    @Test func http2AndGRPCPortsSpeakHTTP2Upstream() throws {
        let resources = try protocols()
        for port in [7002, 7003, 7007] {
            let options = try Unpack.httpOptions(resources.cluster("outbound|\(port)||multi.default.svc.cluster.local"))
            #expect(options.explicitHTTPConfig.isHTTP2, "\(port)")
        }
        for port in [7001, 7004, 7006] {
            let cluster = try resources.cluster("outbound|\(port)||multi.default.svc.cluster.local")
            let options = try Unpack.httpOptionsIfAny(cluster)
            #expect(options == nil || !options!.explicitHTTPConfig.isHTTP2, "\(port)")
        }
    }
}
