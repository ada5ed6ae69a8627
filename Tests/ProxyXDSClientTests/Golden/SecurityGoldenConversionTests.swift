import ProxyCore
import Testing
import XDSAPI
@testable import ProxyXDSClient

/// The translator's security goldens (Tests/XDSTranslatorTests/Golden/security-*)
/// convert without a NACK: RBAC, network RBAC and jwt_authn filters as the
/// control plane writes them reach ProxyCore's model.
@Suite struct SecurityGoldenConversionTests {
    @Test func reviewsSidecarFiltersConvert() throws {
        let resources = try GoldenResourcesTests.load("security-reviews-sidecar")
        var warnings = ConversionWarnings()
        var rbac = 0, jwt = 0, tcpRBAC = 0
        for listener in resources.listeners {
            let converted = try ListenerConverter.convert(listener, warnings: &warnings)
            for chain in converted.filterChains + (converted.defaultFilterChain.map { [$0] } ?? []) {
                switch chain.chain {
                case .http(let http):
                    for filter in http.authzFilters {
                        switch filter {
                        case .rbac: rbac += 1
                        case .jwtAuthn(let config): jwt += 1; #expect(!config.providers.isEmpty)
                        }
                    }
                    #expect(http.pathNormalization.normalizePath, "\(listener.name)")
                case .tcp(let tcp):
                    tcpRBAC += tcp.rbac.count
                }
            }
        }
        #expect(rbac > 0)
        #expect(jwt > 0)
        #expect(tcpRBAC > 0)
    }

    @Test func clientSidecarConverts() throws {
        let resources = try GoldenResourcesTests.load("security-client-sidecar")
        var warnings = ConversionWarnings()
        for listener in resources.listeners { _ = try ListenerConverter.convert(listener, warnings: &warnings) }
    }
}
