import Testing
@testable import ProxyCore

@Suite struct ProxyCoreModuleTests {
    @Test func moduleLinks() { _ = ProxyCoreModule.self }
}
