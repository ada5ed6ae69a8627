import MeshConfig
import MeshValidation
import Testing
@testable import MeshRegistry

func objects(_ yaml: String) -> [ConfigObject] {
    let (reports, failure) = ConfigValidator().validate(source: "t.yaml", bytes: Array(yaml.utf8))
    precondition(failure == nil)
    for report in reports where report.hasErrors { preconditionFailure("\(report.errors.map { report.formatted($0) })") }
    return reports.compactMap(\.object)
}

@Suite struct ServiceRegistryTests {
    static let exampleObjects: [ConfigObject] = {
        let root = String(String(#filePath).split(separator: "/Tests/")[0]) + "/examples"
        return ConfigInputReader.listFiles(in: root).flatMap { file in
            ConfigValidator().validate(source: file, bytes: ConfigInputReader.readFile(file)!).reports.compactMap(\.object)
        }
    }()

    @Test func serviceEntriesSelectWorkloadEntries() throws {
        let registry = ServiceRegistry(Self.exampleObjects)
        let catalog = try #require(registry.service("catalog.shop.svc.cluster.local"))
        #expect(catalog.ports == [MeshService.Port(name: "http", number: 9080, targetPort: 19080, proto: .http)])
        let endpoints = registry.endpoints(of: "catalog.shop.svc.cluster.local", port: 9080)
        #expect(endpoints.map(\.address) == ["127.0.10.2", "127.0.10.3", "127.0.10.4"])
        #expect(endpoints.map { $0.labels["version"] } == ["v1", "v2", "v3"])
        #expect(endpoints.first?.spiffeIdentity() == "spiffe://cluster.local/ns/shop/sa/catalog")
        #expect(registry.workloads.count == 7)
    }

    @Test func kubernetesServicesUseEndpointsThenSelectors() throws {
        let registry = ServiceRegistry(objects("""
        apiVersion: v1
        kind: Service
        metadata: {name: reviews, namespace: default}
        spec:
          clusterIP: 10.96.0.10
          selector: {app: reviews}
          ports: [{name: http, port: 9080, targetPort: 9080}, {name: grpc-api, port: 9090, targetPort: grpc}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: reviews-v1-abc, namespace: default, labels: {app: reviews, version: v1}}
        spec:
          serviceAccountName: bookinfo-reviews
          containers: [{name: app, ports: [{name: grpc, containerPort: 7070}]}]
        status: {podIP: 10.1.0.5}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: ratings, namespace: default}
        spec:
          ports: [{name: http, port: 9080}]
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: {name: ratings, namespace: default}
        subsets:
        - addresses: [{ip: 10.1.0.7}, {ip: 10.1.0.8}]
          ports: [{name: http, port: 9080}]
        """))
        let reviews = try #require(registry.resolve("reviews", from: "default"))
        #expect(reviews.hostname == "reviews.default.svc.cluster.local")
        #expect(reviews.addresses == ["10.96.0.10"])
        #expect(reviews.ports.map(\.proto) == [.http, .grpc])
        let grpc = registry.endpoints(of: reviews.hostname, port: 9090)
        #expect(grpc.map { "\($0.address):\($0.port)" } == ["10.1.0.5:7070"])
        #expect(grpc.first?.serviceAccount == "bookinfo-reviews")
        #expect(registry.endpoints(of: "ratings.default.svc.cluster.local", port: 9080).map(\.address) == ["10.1.0.7", "10.1.0.8"])
        #expect(registry.resolve("ratings.default", from: "other")?.hostname == "ratings.default.svc.cluster.local")
        #expect(registry.resolve("ratings", from: "other") == nil)
    }

    @Test func dnsServiceEntriesResolveTheirHosts() throws {
        let registry = ServiceRegistry(objects("""
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: google, namespace: default}
        spec:
          hosts: [www.googleapis.com]
          location: MESH_EXTERNAL
          resolution: DNS
          ports: [{number: 443, name: https, protocol: TLS}]
        """))
        let service = try #require(registry.service("www.googleapis.com"))
        #expect(service.meshExternal && service.resolution == .dns)
        #expect(registry.endpoints(of: "www.googleapis.com", port: 443).map(\.address) == ["www.googleapis.com"])
    }

    @Test(arguments: [
        ("http-web", nil, ServiceProtocol.http), ("grpc", nil, .grpc), ("grpc-web-x", nil, .grpcWeb), ("tcp-db", nil, .tcp),
        ("web", "http2", .http2), ("mongo", nil, .mongo), ("metrics", nil, .unsupported), ("x", "kubernetes.io/h2c", .http2),
    ] as [(String, String?, ServiceProtocol)])
    func protocolFromPortName(name: String, appProtocol: String?, expected: ServiceProtocol) {
        #expect(ServiceProtocol(portName: name, appProtocol: appProtocol, transport: nil) == expected)
    }
}
