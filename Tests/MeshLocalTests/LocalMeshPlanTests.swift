import Foundation
import MeshConfig
import MeshValidation
import Testing
@testable import MeshLocal

/// What `swiftmesh up` starts, worked out from the example mesh and small configs.
@Suite struct LocalMeshPlanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func objects(_ files: [(String, String)]) -> [ConfigObject] {
        files.flatMap { name, text in
            ConfigValidator().validate(source: name, bytes: Array(text.utf8)).reports.compactMap(\.object)
        }
    }

    @Test func theExampleMeshPlansEveryWorkloadAndTheGateway() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/examples").filter { $0.hasSuffix(".yaml") }.sorted()
        let objects = try Self.objects(files.map { ($0, try String(contentsOfFile: "\(Self.root)/examples/\($0)", encoding: .utf8)) })
        let plan = try LocalMeshPlan.make(objects)
        #expect(plan.workloads.map(\.name) == ["catalog-v1", "catalog-v2", "catalog-v3", "pricing-v1", "shop-v1", "stock-v1"])
        #expect(plan.gateways.map(\.name) == ["ingressgateway"])
        #expect(plan.gateways.first?.nodeID == "router~127.0.0.1~ingressgateway.shop~shop.svc.cluster.local")
        #expect(plan.gatewayHTTPPort == 8080)
        let shop = try #require(plan.workloads.first { $0.name == "shop-v1" })
        #expect(shop.address == "127.0.10.1")
        #expect(shop.appPort == 18080)
        #expect(shop.egress == "127.0.10.1:9080")
        #expect(shop.calls == ["http://catalog.shop.svc.cluster.local:9080/items", "http://stock.shop.svc.cluster.local:9080/levels"])
        #expect(shop.nodeID == "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local")
        #expect(plan.workloads.first { $0.name == "catalog-v1" }?.calls == [])
        #expect(plan.workloads.first { $0.name == "catalog-v3" }?.calls == ["http://pricing.shop.svc.cluster.local:9080/prices"])
        #expect(plan.workloads.first { $0.name == "catalog-v3" }?.egress == "127.0.10.4:9080")
    }

    @Test func callsWithoutAnEgressListenerAreAnError() {
        let objects = Self.objects([("a.yaml", """
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata:
          name: front
          namespace: default
          annotations: {demo.swiftmesh.io/calls: "http://back.default.svc.cluster.local:9080/"}
        spec: {address: 127.0.20.1, labels: {app: front}}
        """)])
        #expect(throws: LocalMeshPlan.PlanError.self) { try LocalMeshPlan.make(objects) }
    }

    @Test func nothingToRunIsAnError() {
        #expect(throws: LocalMeshPlan.PlanError.self) { try LocalMeshPlan.make([]) }
    }

    @Test func theCompiledInExamplesAreTheExamplesDirectory() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/examples")
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".md") }.sorted()
        #expect(EmbeddedExamples.files.map(\.name) == onDisk, "run scripts/embed-examples.py")
        for file in EmbeddedExamples.files {
            let text = try String(contentsOfFile: "\(Self.root)/examples/\(file.name)", encoding: .utf8)
            #expect(file.contents == text, "examples/\(file.name) changed: run scripts/embed-examples.py")
        }
    }
}
