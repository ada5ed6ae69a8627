import Testing
@testable import ProxyXDSClient

@Suite struct ProxyXDSClientModuleTests {
    @Test func moduleLinks() { _ = ProxyXDSClientModule.self }
}
