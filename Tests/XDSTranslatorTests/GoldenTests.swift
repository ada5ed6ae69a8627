import Foundation
import MeshConfig
import MeshSnapshot
import MeshValidation
import SwiftProtobuf
import Testing
import XDSAPI
@testable import XDSTranslator

/// What the example mesh's proxies are sent, as Envoy JSON, compared with files under
/// Golden/. Refresh with `UPDATE_GOLDEN=1 swift test --filter GoldenTests` and review
/// the diff.
@Suite struct GoldenTests {
    static let root = String(String(#filePath).split(separator: "/Tests/")[0])
    static let goldenDirectory = root + "/Tests/XDSTranslatorTests/Golden"

    static let proxies: [(String, ProxyNode)] = [
        ("shop-v1-sidecar", try! ProxyNode(nodeID: "sidecar~127.0.10.1~shop-v1.shop~shop.svc.cluster.local", metadata: ["NAMESPACE": "shop"], labels: ["app": "shop", "version": "v1"])),
        ("catalog-v2-sidecar", try! ProxyNode(nodeID: "sidecar~127.0.10.3~catalog-v2.shop~shop.svc.cluster.local", metadata: ["NAMESPACE": "shop"], labels: ["app": "catalog", "version": "v2"])),
        ("ingress-gateway", try! ProxyNode(nodeID: "router~127.0.0.1~ingressgateway.shop~shop.svc.cluster.local", metadata: ["NAMESPACE": "shop"], labels: ["istio": "ingressgateway"])),
    ]

    static func exampleSnapshot() throws -> MeshSnapshot {
        var objects: [ConfigObject] = []
        for file in ConfigInputReader.listFiles(in: root + "/examples") {
            let (reports, _) = ConfigValidator().validate(source: file, bytes: try #require(ConfigInputReader.readFile(file)))
            objects += reports.compactMap(\.object)
        }
        return MeshSnapshot(version: 1, objects: objects)
    }

    /// What `swiftmesh up` serves the example's proxies today: no mesh mTLS (no
    /// certificates yet) and no RBAC / jwt_authn (`--disable-authz` until our proxy
    /// enforces them). The security translation has its own goldens (security-*.json).
    static var upOptions: TranslatorOptions {
        var options = TranslatorOptions()
        options.security.mutualTLS = false
        options.security.authorization = false
        return options
    }

    @Test(arguments: proxies.map(\.0))
    func exampleProxyMatchesGolden(name: String) throws {
        let proxy = try #require(Self.proxies.first { $0.0 == name }?.1)
        let actual = try XDSTranslator(options: Self.upOptions).resources(for: proxy, in: try Self.exampleSnapshot()).json()
        let path = "\(Self.goldenDirectory)/\(name).json"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try FileManager.default.createDirectory(atPath: Self.goldenDirectory, withIntermediateDirectories: true)
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "translation of \(name) differs from \(path); rerun with UPDATE_GOLDEN=1 and review the diff")
    }

    @Test func packingIsDeterministic() throws {
        let snapshot = try Self.exampleSnapshot()
        let resources = XDSTranslator().resources(for: Self.proxies[0].1, in: snapshot)
        let once = try resources.listeners.map { try Google_Protobuf_Any(deterministicallyPacking: $0).value }
        let again = try XDSTranslator().resources(for: Self.proxies[0].1, in: snapshot).listeners.map { try Google_Protobuf_Any(deterministicallyPacking: $0).value }
        #expect(once == again)
    }
}
