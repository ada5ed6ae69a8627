import ProxyCore
import SwiftProtobuf
import Testing
import XDSAPI
@testable import ProxyXDSClient

@Suite struct ProxyConfigBuilderTests {
    typealias F = XDSFixtures
    let reviews = "outbound|9080||reviews.default.svc.cluster.local"

    @Test func translatorShapedResourcesConvert() throws {
        let domains = ["reviews.default.svc.cluster.local", "reviews.default.svc.cluster.local:9080", "reviews", "reviews:9080"]
        let routes = F.routeConfiguration([F.virtualHost("reviews:9080", domains, [F.route(cluster: reviews)]),
                                           F.virtualHost("allow_any", ["*"], [F.route(cluster: "PassthroughCluster")])])
        var warnings = ConversionWarnings()
        let config = try ProxyConfigBuilder.build(listeners: [F.listener()], routes: [routes], clusters: [F.edsCluster(reviews)],
                                                  warnings: &warnings)
        #expect(config.listeners.count == 1)
        guard case .http(let http) = config.listeners[0].chain, case .rds(let name) = http.routes else {
            Issue.record("expected an HTTP listener with RDS")
            return
        }
        #expect(name == "9080")
        #expect(http.generateRequestID)
        #expect(config.listeners[0].port == 9080)
        #expect(config.clusters[reviews]?.discovery == .eds(serviceName: reviews))
        #expect(config.clusters[reviews]?.loadBalancer == .leastRequest)
        #expect(config.clusters[reviews]?.thresholds.maxPendingRequests == 100)
        let table = try #require(config.routeTables["9080"])
        #expect(table.virtualHosts.map(\.name) == ["reviews:9080", "allow_any"])
        // Path normalisation is applied (no longer a warning).
        #expect(http.pathNormalization == PathNormalization(normalizePath: true, mergeSlashes: true))
        #expect(!warnings.messages.contains { $0.contains("normalize_path") })
    }

    @Test func inlineRouteAndStaticEndpoints() throws {
        let inline = F.routeConfiguration([F.virtualHost("inbound|http|9080", ["*"], [F.route(cluster: "inbound|9080||")])], name: "inbound|9080||")
        var warnings = ConversionWarnings()
        let config = try ProxyConfigBuilder.build(listeners: [F.listener(manager: F.connectionManager(inline: inline))],
                                                  clusters: [F.staticCluster("inbound|9080||", port: 18080)], warnings: &warnings)
        guard case .http(let http) = config.listeners[0].chain, case .inline(let table) = http.routes else {
            Issue.record("expected an inline route table")
            return
        }
        #expect(table.name == "inbound|9080||")
        let endpoints = try #require(config.endpoints["inbound|9080||"])
        #expect(endpoints.routableEndpoints == [EndpointSet.Endpoint(host: "127.0.0.1", port: 18080, weight: 1, health: .healthy)])
    }

    @Test func edsAssignmentsAttachByServiceName() throws {
        var assignment = Envoy_Config_Endpoint_V3_ClusterLoadAssignment()
        assignment.clusterName = reviews
        var locality = Envoy_Config_Endpoint_V3_LocalityLbEndpoints()
        var endpoint = Envoy_Config_Endpoint_V3_LbEndpoint()
        var address = Envoy_Config_Endpoint_V3_Endpoint()
        address.address = F.address("10.0.0.7", 9080)
        endpoint.endpoint = address
        endpoint.healthStatus = .unhealthy
        var second = endpoint
        second.healthStatus = .healthy
        second.endpoint.address = F.address("10.0.0.8", 9080)
        locality.lbEndpoints = [endpoint, second]
        locality.locality.zone = "z1"
        assignment.endpoints = [locality]
        var warnings = ConversionWarnings()
        let config = try ProxyConfigBuilder.build(listeners: [], clusters: [F.edsCluster(reviews)], assignments: [assignment], warnings: &warnings)
        let set = try #require(config.endpoints(of: config.clusters[reviews]!))
        #expect(set.groups[0].locality.zone == "z1")
        #expect(set.routableEndpoints.map(\.host) == ["10.0.0.8"])
    }

    @Test func duplicateNamesAreErrors() {
        var warnings = ConversionWarnings()
        #expect(throws: XDSConversionError(resource: "Cluster a", field: "name", reason: "duplicate cluster name")) {
            try ProxyConfigBuilder.build(listeners: [], clusters: [F.staticCluster("a", port: 1), F.staticCluster("a", port: 2)], warnings: &warnings)
        }
    }
}
