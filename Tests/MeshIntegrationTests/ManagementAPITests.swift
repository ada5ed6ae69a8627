import Foundation
import MeshLocal
import Synchronization
import Testing

/// The management API on the control plane's HTTP port: apply / get / delete round
/// trip stored as files, invalid objects refused with field paths and nothing
/// stored, concurrent writers with If-Match losing no update, and an applied
/// change followed by the data plane.
@Suite(.serialized)
struct ManagementAPITests {
    typealias App = ReviewsMesh.App

    static func object(_ response: HTTPProbe.Response?) -> [String: Any] {
        guard let body = response?.body, let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [:] }
        return json
    }

    static func virtualService(name: String, subset: String, counter: Int = 0) -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: \(name), namespace: default, annotations: {demo/counter: "\(counter)"}}
        spec:
          hosts: [reviews]
          http:
          - route: [{destination: {host: reviews, subset: \(subset)}}]
        """
    }

    @Test func applyGetDeleteAndTheDataPlaneFollows() throws {
        let mesh = try ReviewsMesh(dataPlane: .swift, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)],
                                   routing: ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]"))
        defer { mesh.stop() }
        let port = mesh.harness.httpPort
        let path = "/api/v1/config/VirtualService/default/reviews"
        let got = HTTPProbe.get("127.0.0.1", port, path: path)
        #expect(got?.status == 200)
        let version = try #require(Self.object(got)["resourceVersion"] as? String)
        #expect(got?.headers["etag"] == "\"\(version)\"")

        // Invalid: 400 with the field path, file untouched.
        let before = try String(contentsOf: mesh.harness.configDirectory.appendingPathComponent("routing.yaml"), encoding: .utf8)
        let invalid = HTTPProbe.request("PUT", "127.0.0.1", port, path: path, body: Self.virtualService(name: "reviews", subset: "v2")
            .replacingOccurrences(of: "- route:", with: "- timeout: soon\n    route:"))
        #expect(invalid?.status == 400)
        #expect((Self.object(invalid)["errors"] as? [String])?.contains { $0.contains("spec.http[0].timeout") } == true, "\(invalid?.body ?? "")")
        #expect(try String(contentsOf: mesh.harness.configDirectory.appendingPathComponent("routing.yaml"), encoding: .utf8) == before)

        // Apply: stored in the file, in force, followed by the proxy.
        let applied = HTTPProbe.request("PUT", "127.0.0.1", port, path: path, headers: ["If-Match": version],
                                        body: Self.virtualService(name: "reviews", subset: "v2"))
        #expect(applied?.status == 200, "\(applied?.body ?? "")")
        try mesh.harness.waitUntil("v2 serving after the API change", timeout: 10) { mesh.get()?.headers["x-served-by"] == "reviews-v2" }
        #expect(try String(contentsOf: mesh.harness.configDirectory.appendingPathComponent("routing.yaml"), encoding: .utf8).contains("subset: v2"))
        // The old version is stale now.
        let stale = HTTPProbe.request("PUT", "127.0.0.1", port, path: path, headers: ["If-Match": version], body: Self.virtualService(name: "reviews", subset: "v1"))
        #expect(stale?.status == 409)

        // Create and delete a new object (its own file).
        let other = "/api/v1/config/VirtualService/default/extra"
        #expect(HTTPProbe.request("PUT", "127.0.0.1", port, path: other, body: Self.virtualService(name: "extra", subset: "v1"))?.status == 201)
        let listed = Self.object(HTTPProbe.get("127.0.0.1", port, path: "/api/v1/config?kind=VirtualService"))["items"] as? [[String: Any]] ?? []
        #expect(Set(listed.compactMap { $0["name"] as? String }) == ["reviews", "extra"])
        #expect(HTTPProbe.request("DELETE", "127.0.0.1", port, path: other)?.status == 200)
        #expect(HTTPProbe.get("127.0.0.1", port, path: other)?.status == 404)
        #expect(!FileManager.default.fileExists(atPath: mesh.harness.configDirectory.appendingPathComponent("virtualservice-default-extra.yaml").path))
        #expect(HTTPProbe.get("127.0.0.1", port, path: "/api/v1/openapi.json")?.body.contains("\"openapi\"") == true)
    }

    /// A VM service registered through the API: stored as ServiceEntry +
    /// WorkloadEntry files, validated, routed to by sidecars, removed again.
    @Test func vmRegistrationIsStoredValidatedAndRouted() throws {
        let mesh = try ReviewsMesh(dataPlane: .swift, apps: [App(version: "v1", host: 2)],
                                   routing: ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]"))
        defer { mesh.stop() }
        try mesh.harness.startApp("ratings", version: "vm1", host: 4)
        let port = mesh.harness.httpPort
        let file = mesh.harness.configDirectory.appendingPathComponent("vm-default-ratings.yaml")
        let bad = HTTPProbe.request("POST", "127.0.0.1", port, path: "/api/v1/vms", body: """
        {"name": "ratings", "namespace": "default", "ports": [{"name": "http", "number": 9080, "protocol": "HTTP", "targetPort": 18080}],
         "instances": [{"address": "not an address"}]}
        """)
        #expect(bad?.status == 400, "\(bad?.body ?? "")")
        #expect((Self.object(bad)["errors"] as? [String])?.contains { $0.contains("spec.address") } == true, "\(bad?.body ?? "")")
        #expect(!FileManager.default.fileExists(atPath: file.path), "nothing stored")

        let registered = HTTPProbe.request("POST", "127.0.0.1", port, path: "/api/v1/vms", body: """
        {"name": "ratings", "namespace": "default", "ports": [{"name": "http", "number": 9080, "protocol": "HTTP", "targetPort": 18080}],
         "serviceAccount": "ratings", "instances": [{"address": "\(mesh.harness.address(4))", "labels": {"version": "vm1"}}]}
        """)
        #expect(registered?.status == 201, "\(registered?.body ?? "")")
        #expect(FileManager.default.fileExists(atPath: file.path))
        try mesh.harness.waitUntil("the VM service is routed", timeout: 10) {
            mesh.get(host: "ratings.default.svc.cluster.local")?.headers["x-served-by"] == "ratings-vm1"
        }
        let listed = Self.object(HTTPProbe.get("127.0.0.1", port, path: "/api/v1/vms"))["items"] as? [[String: Any]] ?? []
        #expect(listed.first?["name"] as? String == "ratings")
        #expect((listed.first?["instances"] as? [[String: Any]])?.first?["address"] as? String == mesh.harness.address(4))

        #expect(HTTPProbe.request("DELETE", "127.0.0.1", port, path: "/api/v1/vms/default/ratings")?.status == 200)
        #expect(!FileManager.default.fileExists(atPath: file.path))
        try mesh.harness.waitUntil("the VM service is gone", timeout: 10) {
            mesh.get(host: "ratings.default.svc.cluster.local")?.headers["x-served-by"] == nil
        }
        #expect(HTTPProbe.request("DELETE", "127.0.0.1", port, path: "/api/v1/vms/default/ratings")?.status == 404)
    }

    @Test func concurrentWritersLoseNoUpdate() throws {
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        try harness.write("counter.yaml", Self.virtualService(name: "counter", subset: "v1"))
        try harness.startControlPlane()
        let port = harness.httpPort
        let path = "/api/v1/config/VirtualService/default/counter"
        let writers = 4, increments = 10
        let conflicts = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: writers) { _ in
            for _ in 0..<increments {
                while true {
                    let current = Self.object(HTTPProbe.get("127.0.0.1", port, path: path))
                    guard let version = current["resourceVersion"] as? String, let yaml = current["yaml"] as? String,
                          let range = yaml.range(of: #"demo/counter: "(\d+)""#, options: .regularExpression) else { continue }
                    let value = Int(yaml[range].filter(\.isNumber)) ?? 0
                    let status = HTTPProbe.request("PUT", "127.0.0.1", port, path: path, headers: ["If-Match": version],
                                                   body: Self.virtualService(name: "counter", subset: "v1", counter: value + 1))?.status
                    if status == 200 { break }
                    conflicts.add(1, ordering: .relaxed)
                }
            }
        }
        let final = Self.object(HTTPProbe.get("127.0.0.1", port, path: path))["yaml"] as? String ?? ""
        print("management API: \(writers) writers x \(increments) increments, \(conflicts.load(ordering: .relaxed)) conflicts retried")
        #expect(final.contains("demo/counter: \"\(writers * increments)\""), "\(final)")
    }
}
