import Testing
@testable import MeshConfig

/// `YAMLDialect.envoy`: what yaml-cpp gives Envoy, not what Kubernetes reads.
@Suite struct DocumentParserEnvoyDialectTests {
    func root(_ text: String, _ dialect: YAMLDialect) throws -> ConfigNode {
        let parsed = DocumentParser.parse(Array(text.utf8), source: "envoy.yaml", dialect: dialect)
        #expect(parsed.failure == nil, "\(String(describing: parsed.failure))")
        return try #require(parsed.documents.first?.root)
    }

    @Test(arguments: [
        ("80", "int"), ("0x1F", "int"), ("-3", "int"), ("true", "bool"), ("off", "bool"), ("~", "null"),
        ("1.5", "text"), ("1.20", "text"), ("1e3", "text"), (".inf", "text"), ("1_000", "text"),
        ("99999999999999999999", "text"), ("0.25s", "text"), ("'80'", "text"),
    ])
    func plainScalars(text: String, expected: String) throws {
        let value = try #require(try root("v: \(text)", .envoy)["v"])
        let kind: String = switch value.value {
        case .int: "int"
        case .bool: "bool"
        case .null: "null"
        case .string: "text"
        default: "other"
        }
        #expect(kind == expected)
        if expected == "text", !text.hasPrefix("'") { #expect(value.string == text, "written text is kept as it was") }
    }

    @Test func ignoredKeysAreDroppedButTheirAnchorsServe() throws {
        let text = """
        !ignore defaults:
          timeout: &timeout 0.25s
        cluster:
          connect_timeout: *timeout
        """
        let envoy = try root(text, .envoy)
        #expect(envoy.entries?.map(\.key) == ["cluster"])
        #expect(envoy["cluster"]?["connect_timeout"]?.string == "0.25s")
        // Kubernetes' reader has no such tag: the key stays.
        #expect(try root(text, .kubernetes).entries?.map(\.key) == ["defaults", "cluster"])
    }
}
