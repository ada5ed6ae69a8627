import Foundation
import Testing
@testable import MeshProxy

/// The file name decides the format, as in Envoy's `MessageUtil::loadFromFile`.
@Suite struct BootstrapFormatTests {
    @Test(arguments: [
        ("envoy.yaml", BootstrapFormat.yaml), ("ENVOY.YML", .yaml), ("dir.json/boot.Yaml", .yaml),
        ("envoy.json", .json), ("envoy.conf", .json), ("bootstrap", .json), ("yaml", .json),
    ])
    func chosenByName(path: String, format: BootstrapFormat) throws {
        #expect(try BootstrapFormat(path: path) == format)
    }

    @Test(arguments: ["envoy.pb", "envoy.PB_TEXT"])
    func protobufFormsAreRefused(path: String) {
        #expect(throws: BootstrapError.self) { try BootstrapFormat(path: path) }
    }

    static func write(_ text: String, named name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-format-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func yamlFileDecodesLikeItsJSONTwin() throws {
        let yamlPath = try Self.write(BootstrapDecoderYAMLTests.benchYAML, named: "envoy.yml")
        let jsonPath = try Self.write(BootstrapDecoderTests.benchBootstrap, named: "envoy.json")
        defer {
            try? FileManager.default.removeItem(atPath: (yamlPath as NSString).deletingLastPathComponent)
            try? FileManager.default.removeItem(atPath: (jsonPath as NSString).deletingLastPathComponent)
        }
        let fromYAML = try BootstrapDecoder.decode(file: yamlPath)
        let fromJSON = try BootstrapDecoder.decode(file: jsonPath)
        #expect(try BootstrapDecoderYAMLTests.canonical(fromYAML.listeners) == BootstrapDecoderYAMLTests.canonical(fromJSON.listeners))
        #expect(try BootstrapDecoderYAMLTests.canonical(fromYAML.clusters) == BootstrapDecoderYAMLTests.canonical(fromJSON.clusters))
    }

    @Test func errorsNameTheFile() throws {
        let path = try Self.write(BootstrapDecoderErrorTests.cluster, named: "bad.yaml")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try BootstrapDecoder.decode(file: path)
            Issue.record("expected an error")
        } catch let error as BootstrapError {
            #expect(error.description.hasPrefix("\(path):5:22: static_resources.clusters[0].connect_timeout: not a duration"), "\(error)")
        }
    }

    @Test func yamlUnderAJSONNameIsReadAsJSONAndSaysSo() throws {
        let path = try Self.write(BootstrapDecoderYAMLTests.benchYAML, named: "envoy.json")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try BootstrapDecoder.decode(file: path)
            Issue.record("Envoy reads this name as JSON and fails; so must we")
        } catch let error as BootstrapError {
            #expect(error.source == path)
            #expect(error.reason.contains(".yaml or .yml"), "\(error)")
        }
    }

    @Test func resourcesReadYAMLToo() throws {
        let path = try Self.write("""
        clusters:
        - name: upstream
          type: STATIC
          connect_timeout: 0.5s
        endpoints:
        - cluster_name: upstream
          endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 18080}}}}]}]
        """, named: "resources.yaml")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let resources = try ResourcesDecoder.decode(file: path)
        #expect(resources.clusters.map(\.name) == ["upstream"])
        #expect(resources.clusters[0].connectTimeout.nanos == 500_000_000)
        #expect(resources.endpoints[0].endpoints[0].lbEndpoints[0].endpoint.address.socketAddress.portValue == 18080)
    }
}
