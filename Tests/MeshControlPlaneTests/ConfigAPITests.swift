import Foundation
import MeshRegistry
import Testing
@testable import MeshControlPlane

/// The management API as a pure function: validation as for files, exactly one
/// file change per accepted write, 409 on a stale resourceVersion.
struct ConfigAPITests {
    static let routing = """
    apiVersion: networking.istio.io/v1
    kind: VirtualService
    metadata: {name: catalog, namespace: shop}
    spec:
      hosts: [catalog]
      http:
      - route: [{destination: {host: catalog, subset: v1}}]
    ---
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: catalog, namespace: shop}
    spec:
      host: catalog
      subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
    """

    static func vs(_ subset: String, timeout: String = "5s") -> String {
        """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: catalog, namespace: shop}
        spec:
          hosts: [catalog]
          http:
          - route: [{destination: {host: catalog, subset: \(subset)}}]
            timeout: \(timeout)
        """
    }

    func api() -> ConfigAPI {
        var store = ConfigStore()
        _ = store.apply(file: "/cfg/routing.yaml", bytes: Array(Self.routing.utf8))
        return ConfigAPI(store: store, directory: "/cfg")
    }

    @Test func getListsAndVersionsObjects() throws {
        let list = api().list()
        let items = try #require(list.body["items"] as? [[String: Any]])
        #expect(items.count == 2)
        let got = api().get(kind: "VirtualService", namespace: "shop", name: "catalog")
        #expect(got.status == 200)
        #expect((got.body["yaml"] as? String)?.contains("subset: v1") == true)
        #expect(got.resourceVersion?.count == 16)
        #expect(api().get(kind: "VirtualService", namespace: "shop", name: "nope").status == 404)
    }

    @Test func applyReplacesOnlyItsDocument() throws {
        let version = try #require(api().get(kind: "VirtualService", namespace: "shop", name: "catalog").resourceVersion)
        let outcome = api().apply(kind: "VirtualService", namespace: "shop", name: "catalog", body: Array(Self.vs("v2").utf8), ifMatch: version)
        #expect(outcome.status == 200)
        guard case .write(let path, let text)? = outcome.change else { Issue.record("no write"); return }
        #expect(path == "/cfg/routing.yaml")
        #expect(text.contains("subset: v2"))
        #expect(text.contains("kind: DestinationRule"), "the other document stays")
        #expect(outcome.resourceVersion != version)
    }

    @Test func invalidObjectsAreRefusedWithFieldPaths() throws {
        let outcome = api().apply(kind: "VirtualService", namespace: "shop", name: "catalog", body: Array(Self.vs("v2", timeout: "soon").utf8), ifMatch: nil)
        #expect(outcome.status == 400)
        #expect(outcome.change == nil)
        let errors = try #require(outcome.body["errors"] as? [String])
        #expect(errors.contains { $0.contains("spec.http[0].timeout") }, "\(errors)")
        let mismatch = api().apply(kind: "VirtualService", namespace: "shop", name: "other", body: Array(Self.vs("v2").utf8), ifMatch: nil)
        #expect(mismatch.status == 400)
    }

    @Test func staleVersionsConflict() {
        let outcome = api().apply(kind: "VirtualService", namespace: "shop", name: "catalog", body: Array(Self.vs("v2").utf8), ifMatch: "\"0000000000000000\"")
        #expect(outcome.status == 409)
        #expect(outcome.change == nil)
        #expect(api().delete(kind: "VirtualService", namespace: "shop", name: "catalog", ifMatch: "123").status == 409)
    }

    @Test func createsNewFilesAndDeletes() {
        let created = api().apply(kind: "VirtualService", namespace: "shop", name: "stock",
                                  body: Array(Self.vs("v1").replacingOccurrences(of: "name: catalog", with: "name: stock").utf8), ifMatch: nil)
        #expect(created.status == 201)
        #expect(created.change.map { if case .write(let path, _) = $0 { path } else { "" } } == "/cfg/virtualservice-shop-stock.yaml")
        let deleted = api().delete(kind: "DestinationRule", namespace: "shop", name: "catalog", ifMatch: nil)
        #expect(deleted.status == 200)
        guard case .write(_, let text)? = deleted.change else { Issue.record("expected a rewrite of the shared file"); return }
        #expect(!text.contains("DestinationRule"))
        #expect(text.contains("kind: VirtualService"))
    }
}
