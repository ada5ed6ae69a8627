import Testing
@testable import MeshRegistry

/// WorkloadGroup auto-registration: the entry Istio would create for a proxy.
@Suite struct AutoRegistrationTests {
    static let config = """
    apiVersion: networking.istio.io/v1
    kind: WorkloadGroup
    metadata: {name: ratings-vm, namespace: shop}
    spec:
      metadata: {labels: {app: ratings, tier: backend}}
      template: {serviceAccount: ratings, labels: {tier: template, zone: a}, ports: {http: 18080}, network: vm-net}
    ---
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: ratings, namespace: shop}
    spec:
      hosts: [ratings.shop.svc.cluster.local]
      location: MESH_INTERNAL
      resolution: STATIC
      ports: [{name: http, number: 9080, protocol: HTTP}]
      workloadSelector: {labels: {app: ratings}}
    """

    @Test func aRegisteredProxyBecomesAWorkloadOfTheGroupTemplate() throws {
        let registration = AutoRegistration(group: "ratings-vm", namespace: "shop", address: "10.9.0.7", labels: ["version": "v2", "tier": "proxy"], locality: "eu/west")
        let registry = ServiceRegistry(objects(Self.config), registrations: [registration])
        let workload = try #require(registry.workloads.first { $0.address == "10.9.0.7" })
        #expect(workload.name == "ratings-vm-10.9.0.7")
        // template < group metadata < proxy labels
        #expect(workload.labels == ["app": "ratings", "tier": "proxy", "zone": "a", "version": "v2"])
        #expect(workload.serviceAccount == "ratings")
        #expect(workload.locality == "eu/west")
        #expect(workload.network == "vm-net")
        let endpoints = registry.endpoints(of: "ratings.shop.svc.cluster.local", port: 9080)
        #expect(endpoints.map(\.address) == ["10.9.0.7"])
        #expect(endpoints.first?.port == 18080)
    }

    @Test func unknownGroupsAndOtherNamespacesRegisterNothing() {
        let registrations = [AutoRegistration(group: "missing", namespace: "shop", address: "10.9.0.8"),
                             AutoRegistration(group: "ratings-vm", namespace: "default", address: "10.9.0.9")]
        let registry = ServiceRegistry(objects(Self.config), registrations: registrations)
        #expect(registry.workloads.isEmpty)
        #expect(registry.endpoints(of: "ratings.shop.svc.cluster.local", port: 9080).isEmpty)
    }

    @Test func entryNamesFollowIstio() {
        #expect(AutoRegistration(group: "g", namespace: "n", address: "10.0.0.1").entryName == "g-10.0.0.1")
        #expect(AutoRegistration(group: "g", namespace: "n", address: "fd00::1", network: "net1").entryName == "g-fd00--1-net1")
    }
}
