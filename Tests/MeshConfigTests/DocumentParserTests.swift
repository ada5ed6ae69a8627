import MeshCore
import Testing
@testable import MeshConfig

@Suite struct DocumentParserTests {
    func parse(_ text: String) -> ParsedSource {
        DocumentParser.parse(Array(text.utf8), source: "input.yaml")
    }

    @Test func multiDocumentKeepsOrderAndPositions() throws {
        let parsed = parse("a: 1\n---\nb: two\n---\n# only a comment\n---\nc: [1, 2]\n")
        #expect(parsed.failure == nil)
        #expect(parsed.documents.map(\.index) == [1, 2, 3, 4])
        #expect(parsed.documents[2].root.isNull)
        let c = try #require(parsed.documents[3].root["c"])
        #expect(c.location.line == 7)
    }

    @Test func jsonIsAccepted() {
        let parsed = parse(#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "x"}, "spec": {"ports": [{"port": 80}]}}"#)
        #expect(parsed.failure == nil)
        #expect(parsed.documents.first?.root["kind"]?.string == "Service")
    }

    @Test(arguments: [
        ("80", "int"), ("-3", "int"), ("0x1F", "int"), ("010", "int"), ("1_000", "int"),
        ("1.5", "float"), ("1e3", "float"), (".inf", "float"),
        ("true", "bool"), ("yes", "bool"), ("Off", "bool"),
        ("~", "null"), ("null", "null"), ("", "null"),
        ("v1", "string"), ("1.2.3", "string"), ("10s", "string"), ("0x", "string"), ("-", "string"),
    ])
    func plainScalarsResolveLikeKubernetes(text: String, type: String) {
        let value = ScalarResolver.resolve(plain: text)
        let actual: String
        switch value {
        case .int: actual = "int"
        case .float: actual = "float"
        case .bool: actual = "bool"
        case .null: actual = "null"
        case .string: actual = "string"
        default: actual = "other"
        }
        #expect(actual == type, "\(text)")
    }

    @Test func quotedScalarsStayStrings() {
        let root = parse("a: \"80\"\nb: '1.5'\nc: |\n  true\n").documents[0].root
        #expect(root["a"]?.string == "80")
        #expect(root["b"]?.string == "1.5")
        #expect(root["c"]?.string == "true\n")
    }

    @Test func hugeIntegerIsFlaggedNotTruncated() {
        let root = parse("port: 99999999999999999999999999\n").documents[0].root
        guard case .bigInteger(let text)? = root["port"]?.value else {
            Issue.record("expected bigInteger, got \(String(describing: root["port"]?.value))")
            return
        }
        #expect(text == "99999999999999999999999999")
    }

    @Test func syntaxErrorHasLineAndColumnAndKeepsEarlierDocuments() throws {
        let parsed = parse("a: 1\n---\nb: [1, 2\nc: 3\n")
        #expect(parsed.documents.count == 1)
        let failure = try #require(parsed.failure)
        #expect(failure.documentIndex == 2)
        #expect((failure.location?.line ?? 0) >= 3)
        #expect(failure.message.contains("YAML syntax error"))
    }

    @Test func invalidUTF8IsReportedWithPosition() throws {
        var bytes = Array("kind: Service\nmetadata:\n  name: ab".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        let parsed = DocumentParser.parse(bytes, source: "bad.yaml")
        let failure = try #require(parsed.failure)
        #expect(failure.message.contains("UTF-8"))
        #expect(failure.location == SourceLocation(line: 3, column: 11))
    }

    @Test func deepFlowNestingIsAnErrorNotACrash() throws {
        let depth = 100_000
        let text = "a: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let failure = try #require(parse(text).failure)
        #expect(failure.message.contains("nesting") || failure.message.contains("syntax"))
    }

    @Test func deepBlockNestingIsAnErrorNotACrash() throws {
        var text = ""
        for level in 0..<2_000 {
            text += String(repeating: " ", count: level) + "k\(level):\n"
        }
        text += String(repeating: " ", count: 2_000) + "leaf: 1\n"
        let failure = try #require(parse(text).failure)
        #expect(failure.message.contains("nesting"))
        #expect(failure.location != nil)
    }

    @Test func aliasBombIsRefused() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 10).joined(separator: ", "))]\n"
        }
        let failure = try #require(parse(text).failure)
        #expect(failure.message.contains("too many values"))
    }

    @Test func duplicateKeysAreRejected() throws {
        let failure = try #require(parse("a: 1\na: 2\n").failure)
        #expect(failure.message.contains("duplicate key"))
    }

    @Test func tenMegabyteDocumentParses() throws {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n"
        var index = 0
        while text.utf8.count < 10 * 1024 * 1024 {
            text += "  key\(index): \"" + String(repeating: "x", count: 1000) + "\"\n"
            index += 1
        }
        let parsed = parse(text)
        #expect(parsed.failure == nil)
        #expect(parsed.documents.count == 1)
    }

    @Test func tenMegabytesOfGarbageFailsWithALocation() throws {
        var generator = SplitMix(seed: 7)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10 << 20)
        let alphabet = Array("{}[]:,-?&*!|>'\"%@`#\n abc123\t".utf8)
        while bytes.count < 10 << 20 { bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
        let parsed = DocumentParser.parse(bytes, source: "garbage.yaml")
        let failure = try #require(parsed.failure)
        #expect(failure.location != nil)
    }
}

/// A tiny deterministic PRNG for reproducible fuzz inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ListExpansionTests {
    @Test func kubectlListsStandForTheirItems() {
        let text = #"{"apiVersion": "v1", "kind": "List", "items": [{"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "a"}}, {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "b"}}]}"#
        let documents = DocumentParser.parse(Array(text.utf8), source: "list.json").documents.flatMap { $0.expandingLists() }
        #expect(documents.count == 2)
        #expect(documents.map { $0.root["metadata"]?["name"]?.string } == ["a", "b"])
        #expect(documents.allSatisfy { $0.index == 1 })
    }
}
