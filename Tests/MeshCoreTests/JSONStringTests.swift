import Testing
@testable import MeshCore

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("spiffe://cluster.local/ns/a/sa/b", #""spiffe://cluster.local/ns/a/sa/b""#),
        ("say \"hi\"\\", #""say \"hi\"\\""#),
        ("a\nb\tc\r", #""a\nb\tc\r""#),
        ("\u{01}\u{1f}", #""\u0001\u001f""#),
        ("héllo ✓", "\"héllo ✓\""),
    ])
    func writesEscapedLiterals(_ input: String, _ expected: String) {
        var out: [UInt8] = Array("x=".utf8)
        JSONString.write(input.utf8, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=" + expected)
    }
}
