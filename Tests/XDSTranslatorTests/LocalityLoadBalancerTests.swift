import MeshSnapshot
import Testing
import XDSAPI
@testable import XDSTranslator

/// localityLbSetting -> LocalityLbEndpoints priorities and weights for a proxy in
/// us-east/zone1/sub1, as Istio's loadbalancer.ApplyLocalityLoadBalancer
/// (applyLocalityFailover, applyFailoverPriorities, applyLocalityWeights).
@Suite struct LocalityLoadBalancerTests {
    typealias F = TranslatorFixture
    let cluster = "outbound|8080||geo.mesh.internal"
    let proxy = F.sidecar(labels: ["app": "client", "version": "v1"], locality: "us-east/zone1/sub1")

    /// Five endpoints: same subzone, same zone, same region, and two other regions.
    func geo(_ trafficPolicy: String) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: geo, namespace: default}
        spec:
          hosts: [geo.mesh.internal]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints:
          - {address: 10.1.0.1, locality: us-east/zone1/sub1, labels: {version: v1}}
          - {address: 10.1.0.2, locality: us-east/zone1/sub2, labels: {version: v2}}
          - {address: 10.1.0.3, locality: us-east/zone2, labels: {version: v1}}
          - {address: 10.1.0.4, locality: us-west/zone1, labels: {version: v1}}
          - {address: 10.1.0.5, locality: eu-west/zone1, labels: {version: v2}}
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: geo, namespace: default}
        spec:
          host: geo.mesh.internal
          trafficPolicy:
        """ + "\n" + trafficPolicy
    }

    /// Priority of the locality group holding each address, by address.
    func priorities(_ resources: ProxyResources) throws -> [String: UInt32] {
        var result: [String: UInt32] = [:]
        for group in try resources.assignment(cluster).endpoints {
            for endpoint in group.lbEndpoints { result[endpoint.endpoint.address.socketAddress.address] = group.priority }
        }
        return result
    }

    @Test func endpointsAreGroupedByLocalityWithoutPrioritiesByDefault() throws {
        let resources = try F.translate(geo("    connectionPool: {tcp: {maxConnections: 10}}"), proxy: proxy)
        let groups = try resources.assignment(cluster).endpoints
        #expect(groups.count == 5)
        #expect(groups.allSatisfy { $0.priority == 0 })
        let east = try #require(groups.first { $0.locality.subZone == "sub1" })
        #expect(east.locality.region == "us-east" && east.locality.zone == "zone1")
        #expect(try !resources.cluster(cluster).usesLocalityWeights)
    }

    @Test func outlierDetectionEnablesFailoverByProximity() throws {
        let resources = try F.translate(geo("    outlierDetection: {consecutive5xxErrors: 3}"), proxy: proxy)
        #expect(try priorities(resources) == ["10.1.0.1": 0, "10.1.0.2": 1, "10.1.0.3": 2, "10.1.0.4": 3, "10.1.0.5": 3])
        // Default failover (no explicit failover rules) does not switch Envoy to locality-weighted balancing.
        #expect(try !resources.cluster(cluster).usesLocalityWeights)
    }

    @Test func failoverRuleRanksTheNamedRegionBeforeOthers() throws {
        let resources = try F.translate(geo("""
            outlierDetection: {consecutive5xxErrors: 3}
            loadBalancer:
              localityLbSetting:
                enabled: true
                failover: [{from: us-east, to: eu-west}]
        """), proxy: proxy)
        #expect(try priorities(resources) == ["10.1.0.1": 0, "10.1.0.2": 1, "10.1.0.3": 2, "10.1.0.5": 3, "10.1.0.4": 4])
        #expect(try resources.cluster(cluster).usesLocalityWeights)
    }

    @Test func failoverWithoutOutlierDetectionChangesNothing() throws {
        let resources = try F.translate(geo("""
            loadBalancer:
              localityLbSetting:
                failover: [{from: us-east, to: eu-west}]
        """), proxy: proxy)
        #expect(try priorities(resources).values.allSatisfy { $0 == 0 })
        #expect(try !resources.cluster(cluster).usesLocalityWeights)
    }

    @Test func disabledLocalityLoadBalancingKeepsOnePriority() throws {
        let resources = try F.translate(geo("""
            outlierDetection: {consecutive5xxErrors: 3}
            loadBalancer:
              localityLbSetting: {enabled: false}
        """), proxy: proxy)
        #expect(try priorities(resources).values.allSatisfy { $0 == 0 })
    }

    @Test func failoverPriorityRanksByLabelsOnly() throws {
        // Istio: failoverPriority alone splits by labels, not by proximity
        // (applyLocalityFailover only runs when `failover` is also set).
        let resources = try F.translate(geo("""
            outlierDetection: {consecutive5xxErrors: 3}
            loadBalancer:
              localityLbSetting:
                failoverPriority: [version]
        """), proxy: proxy)
        let p = try priorities(resources)
        #expect(p["10.1.0.1"] == 0)
        #expect(p["10.1.0.2"]! > 0 && p["10.1.0.5"]! > 0)
        #expect(try resources.cluster(cluster).usesLocalityWeights)
        #expect(p == ["10.1.0.1": 0, "10.1.0.3": 0, "10.1.0.4": 0, "10.1.0.2": 1, "10.1.0.5": 1])
    }

    @Test func failoverPriorityWithAPinnedValue() throws {
        // `version=v2` prefers v2 endpoints whatever the proxy's own label says.
        let resources = try F.translate(geo("""
            outlierDetection: {consecutive5xxErrors: 3}
            loadBalancer:
              localityLbSetting:
                failoverPriority: [version=v2]
                failover: [{from: us-east, to: eu-west}]
        """), proxy: proxy)
        let p = try priorities(resources)
        // v2: sub2 (same zone, 1) then eu-west (failover region, 3); then v1: sub1 (0), zone2 (2), us-west (4).
        #expect(p["10.1.0.2"]! < p["10.1.0.5"]!)
        #expect(p["10.1.0.5"]! < p["10.1.0.1"]!)
        #expect(p["10.1.0.1"]! < p["10.1.0.3"]!)
        #expect(p["10.1.0.3"]! < p["10.1.0.4"]!)
        #expect(Set(p.values) == [0, 1, 2, 3, 4], "priorities are compacted to 0...N")
    }

    @Test func distributeSetsLocalityWeights() throws {
        let resources = try F.translate(geo("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: us-east/zone1/*
                  to: {"us-east/zone1/*": 80, "us-west/*": 20}
        """), proxy: proxy)
        let groups = try resources.assignment(cluster).endpoints
        func group(_ region: String, _ zone: String, _ subzone: String = "") throws -> Envoy_Config_Endpoint_V3_LocalityLbEndpoints {
            try #require(groups.first { $0.locality.region == region && $0.locality.zone == zone && $0.locality.subZone == subzone })
        }
        #expect(try group("us-east", "zone1", "sub1").loadBalancingWeight.value == 40)
        #expect(try group("us-east", "zone1", "sub2").loadBalancingWeight.value == 40)
        #expect(try group("us-west", "zone1").loadBalancingWeight.value == 20)
        #expect(try group("us-east", "zone2").lbEndpoints.isEmpty)
        #expect(try group("eu-west", "zone1").lbEndpoints.isEmpty)
        #expect(groups.allSatisfy { $0.priority == 0 })
        #expect(try resources.cluster(cluster).usesLocalityWeights)
    }

    @Test func distributeForAnotherLocalityLeavesWeightsAlone() throws {
        let resources = try F.translate(geo("""
            loadBalancer:
              localityLbSetting:
                distribute:
                - from: eu-west/*
                  to: {"eu-west/*": 100}
        """), proxy: proxy)
        let groups = try resources.assignment(cluster).endpoints
        #expect(groups.allSatisfy { !$0.lbEndpoints.isEmpty })
        #expect(groups.allSatisfy { $0.loadBalancingWeight.value == 1 })
    }

    @Test func proxyLocalityComesFromItsWorkloadEntry() throws {
        let resources = try F.translate(geo("    outlierDetection: {consecutive5xxErrors: 3}") + """

        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: client-vm, namespace: default}
        spec: {address: 10.0.0.5, labels: {app: client}, locality: us-west/zone1}
        """, proxy: F.sidecar(labels: ["app": "client"]))
        let p = try priorities(resources)
        #expect(p["10.1.0.4"] == 0)
        #expect(p["10.1.0.1"] == 1 && p["10.1.0.3"] == 1)
    }
}
