import Testing
@testable import MeshProxy

@Suite struct MeshProxyModuleTests {
    @Test func moduleLinks() { _ = MeshProxyModule.self }
}
