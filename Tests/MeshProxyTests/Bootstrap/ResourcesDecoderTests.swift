import Testing
@testable import MeshProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ResourcesDecoderTests {
    /// The control plane's golden dump for the shop sidecar.
    @Test func decodesAGenerateDump() throws {
        let root = "/" + String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let json = try FileReader.read(root + "/XDSTranslatorTests/Golden/shop-v1-sidecar.json")
        let resources = try ResourcesDecoder.decode(json: json)
        #expect(resources.listeners.count == 2)
        #expect(resources.routes.map(\.name) == ["9080"])
        #expect(resources.clusters.count == 8)
        #expect(resources.endpoints.count == 5)
    }

    @Test func refusesOtherKeysAndSecrets() {
        #expect(throws: BootstrapError.self) { try ResourcesDecoder.decode(json: #"{"runtime": []}"#) }
        #expect(throws: BootstrapError.self) { try ResourcesDecoder.decode(json: #"{"secrets": [{"name": "x"}]}"#) }
    }
}
