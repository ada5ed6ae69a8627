import Testing
@testable import ProxyNIO

@Suite struct ProxyNIOModuleTests {
    @Test func moduleLinks() { _ = ProxyNIOModule.self }
}
