import Testing
import XDSAPI
@testable import XDSTranslator

/// ServiceEntry -> clusters, endpoints and listeners: location, resolution, addresses,
/// endpoints, workloadSelector, exportTo.
@Suite struct ServiceEntryTranslationTests {
    typealias F = TranslatorFixture

    func entry(name: String = "ext", namespace: String = "default", _ spec: String) -> String {
        "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: \(name), namespace: \(namespace)}\nspec:\n" + spec
    }

    @Test func resolutionNoneIsAnOriginalDestinationCluster() throws {
        let c = try F.translate(entry("""
          hosts: [api.example.com]
          location: MESH_EXTERNAL
          resolution: NONE
          ports: [{number: 443, name: tls, protocol: TLS}]
        """)).cluster("outbound|443||api.example.com")
        #expect(c.type == .originalDst)
        #expect(c.lbPolicy == .clusterProvided)
        #expect(!c.hasLoadAssignment)
        #expect(!c.hasEdsClusterConfig)
    }

    @Test func resolutionStaticIsEDSWithTheEntryEndpoints() throws {
        let resources = try F.translate(entry("""
          hosts: [db.internal]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 5432, name: tcp-pg, protocol: TCP, targetPort: 15432}]
          endpoints:
          - {address: 192.168.0.10}
          - {address: 192.168.0.11, ports: {tcp-pg: 6432}}
        """))
        let c = try resources.cluster("outbound|5432||db.internal")
        #expect(c.type == .eds)
        #expect(c.edsClusterConfig.serviceName == c.name)
        #expect(try resources.assignment(c.name).addresses == ["192.168.0.10:15432", "192.168.0.11:6432"])
    }

    @Test func resolutionDNSIsStrictDNSWithTheHostAsEndpoint() throws {
        let c = try F.translate(entry("""
          hosts: [api.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 80, name: http, protocol: HTTP}]
        """)).cluster("outbound|80||api.example.com")
        #expect(c.type == .strictDns)
        #expect(c.loadAssignment.clusterName == c.name)
        #expect(c.loadAssignment.addresses == ["api.example.com:80"])
    }

    @Test func resolutionDNSWithEndpointsResolvesEachEndpoint() throws {
        let c = try F.translate(entry("""
          hosts: [api.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 80, name: http, protocol: HTTP}]
          endpoints:
          - {address: us.api.example.com}
          - {address: eu.api.example.com, ports: {http: 8080}}
        """)).cluster("outbound|80||api.example.com")
        #expect(c.type == .strictDns)
        #expect(c.loadAssignment.addresses.sorted() == ["eu.api.example.com:8080", "us.api.example.com:80"])
    }

    @Test func resolutionDNSRoundRobinIsLogicalDNS() throws {
        let c = try F.translate(entry("""
          hosts: [cdn.example.com]
          location: MESH_EXTERNAL
          resolution: DNS_ROUND_ROBIN
          ports: [{number: 443, name: https, protocol: HTTPS}]
        """)).cluster("outbound|443||cdn.example.com")
        #expect(c.type == .logicalDns)
        #expect(c.loadAssignment.addresses == ["cdn.example.com:443"])
    }

    @Test func meshInternalAndExternalBothGetClustersPerPort() throws {
        let resources = try F.translate(entry(name: "internal", """
          hosts: [inventory.corp]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}, {number: 8443, name: https, protocol: HTTPS}]
          endpoints: [{address: 10.9.0.1}]
        """) + "\n---\n" + entry(name: "external", """
          hosts: [payments.example.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 443, name: https, protocol: HTTPS}]
        """))
        #expect(resources.clusterNames.contains("outbound|8080||inventory.corp"))
        #expect(resources.clusterNames.contains("outbound|8443||inventory.corp"))
        #expect(resources.clusterNames.contains("outbound|443||payments.example.com"))
        // HTTP port: a virtual host on route configuration 8080; HTTPS: routed by SNI, no HTTP route.
        #expect(try resources.virtualHost("inventory.corp:8080", config: "8080").domains.contains("inventory.corp"))
        #expect(!resources.routes.contains { $0.name == "443" })
    }

    @Test func addressesAreVirtualHostDomains() throws {
        let host = try F.translate(entry("""
          hosts: [legacy.corp]
          addresses: [240.0.0.10, 10.10.0.0/16]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 10.9.0.1}]
        """)).virtualHost("legacy.corp:8080", config: "8080")
        #expect(host.domains.contains("240.0.0.10"))
        #expect(host.domains.contains("240.0.0.10:8080"))
        #expect(!host.domains.contains { $0.contains("/") }, "CIDR ranges are not Host header values")
    }

    @Test func tcpPortWithAnAddressGetsItsOwnListener() throws {
        // Istio binds TCP outbound listeners on the service VIP (ADDRESS_PORT), so two TCP
        // services on one port do not share (and steal) the 0.0.0.0 listener.
        let resources = try F.translate(entry(name: "mysql-a", """
          hosts: [mysql-a.corp]
          addresses: [240.0.0.1]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 3306, name: tcp, protocol: TCP}]
          endpoints: [{address: 10.9.0.1}]
        """) + "\n---\n" + entry(name: "mysql-b", """
          hosts: [mysql-b.corp]
          addresses: [240.0.0.2]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 3306, name: tcp, protocol: TCP}]
          endpoints: [{address: 10.9.0.2}]
        """))
        let a = try resources.listener("240.0.0.1_3306")
        let b = try resources.listener("240.0.0.2_3306")
        #expect(try Unpack.tcpProxy(a.filterChains[0].filters[0]).cluster == "outbound|3306||mysql-a.corp")
        #expect(try Unpack.tcpProxy(b.filterChains[0].filters[0]).cluster == "outbound|3306||mysql-b.corp")
    }

    @Test func workloadSelectorTakesEndpointsFromWorkloadEntries() throws {
        let resources = try F.translate(entry("""
          hosts: [vmapp.default.svc.cluster.local]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 9000, name: http, protocol: HTTP, targetPort: 9001}]
          workloadSelector: {labels: {app: vmapp}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm-1, namespace: default}
        spec: {address: 10.20.0.1, labels: {app: vmapp, version: v1}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: vm-2, namespace: default}
        spec: {address: 10.20.0.2, labels: {app: vmapp, version: v2}, ports: {http: 9100}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: other, namespace: default}
        spec: {address: 10.20.0.3, labels: {app: other}}
        """))
        let c = try resources.cluster("outbound|9000||vmapp.default.svc.cluster.local")
        #expect(c.type == .eds)
        #expect(try resources.assignment(c.name).addresses.sorted() == ["10.20.0.1:9001", "10.20.0.2:9100"])
    }

    @Test func exportToDotHidesTheEntryFromOtherNamespaces() throws {
        let yaml = entry(name: "private", namespace: "team-a", """
          hosts: [private.corp]
          exportTo: ["."]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 10.9.0.1}]
        """)
        let outside = try F.translate(yaml)
        #expect(!outside.clusterNames.contains("outbound|8080||private.corp"))
        let inside = try F.translate(yaml, proxy: F.sidecar(namespace: "team-a"))
        #expect(inside.clusterNames.contains("outbound|8080||private.corp"))
    }

    @Test func exportToNamedNamespaces() throws {
        let yaml = entry(name: "shared", namespace: "team-a", """
          hosts: [shared.corp]
          exportTo: [team-b]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{number: 8080, name: http, protocol: HTTP}]
          endpoints: [{address: 10.9.0.1}]
        """)
        #expect(try F.translate(yaml, proxy: F.sidecar(namespace: "team-b")).clusterNames.contains("outbound|8080||shared.corp"))
        #expect(try !F.translate(yaml).clusterNames.contains("outbound|8080||shared.corp"))
    }
}
