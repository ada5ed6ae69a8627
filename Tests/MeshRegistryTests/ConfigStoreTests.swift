import Testing
@testable import MeshRegistry

@Suite struct ConfigStoreTests {
    static let good = """
    apiVersion: networking.istio.io/v1
    kind: DestinationRule
    metadata: {name: reviews, namespace: default}
    spec:
      host: reviews
      subsets: [{name: v1, labels: {version: v1}}]
    """

    @Test func invalidChangeKeepsTheLastGoodVersion() {
        var store = ConfigStore()
        #expect(store.apply(file: "a.yaml", bytes: Array(Self.good.utf8)) == .accepted(file: "a.yaml", objects: 1))
        let version = store.version
        guard case .rejected(_, let errors) = store.apply(file: "a.yaml", bytes: Array(Self.good.replacingOccurrences(of: "name: v1,", with: "name: V_1,").utf8)) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(errors.first?.contains("spec.subsets[0].name") == true)
        #expect(store.version == version)
        #expect(store.objects.count == 1)
        #expect(store.rejected["a.yaml"] != nil)
        #expect(store.apply(file: "a.yaml", bytes: Array("{: broken".utf8)) != .accepted(file: "a.yaml", objects: 0))
        #expect(store.objects.first?.name == "reviews")
    }

    @Test func laterFilesReplaceTheSameObjectAndRemovalTakesEffect() {
        var store = ConfigStore()
        _ = store.apply(file: "a.yaml", bytes: Array(Self.good.utf8))
        _ = store.apply(file: "b.yaml", bytes: Array(Self.good.replacingOccurrences(of: "version: v1", with: "version: v9").utf8))
        #expect(store.objects.count == 1)
        #expect(store.apply(file: "b.yaml", bytes: Array(Self.good.replacingOccurrences(of: "version: v1", with: "version: v9").utf8)) == .unchanged(file: "b.yaml"))
        #expect(store.remove(file: "b.yaml") == .removed(file: "b.yaml"))
        #expect(store.objects.count == 1)
        #expect(store.remove(file: "a.yaml") == .removed(file: "a.yaml"))
        #expect(store.objects.isEmpty)
    }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
