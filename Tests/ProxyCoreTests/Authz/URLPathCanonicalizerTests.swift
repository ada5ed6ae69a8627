import Testing
@testable import ProxyCore

/// Expected outputs were taken from stock Envoy 1.40 with `normalize_path: true`
/// (what the upstream received) where noted, else from googleurl's rules.
@Suite struct URLPathCanonicalizerTests {
    static func canonical(_ path: String) -> String? {
        Array(path.utf8).withUnsafeBytes { URLPathCanonicalizer.canonicalize($0) }.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        // Seen through Envoy 1.40.
        ("/%61bc/%41%7e%2d%5f%2e%25%2F", "/abc/A~-_.%25%2F"),
        ("/a/b\\c/./d/..", "/a/b/c/"),
        ("/x/../Admin", "/Admin"),
        ("/x/%2e%2E/admin", "/admin"),
        ("/a;b/../admin", "/admin"),
        ("/a|b{c}\"d`^<>", "/a%7Cb%7Bc%7D%22d%60%5E%3C%3E"),
        ("/a%zz%4", "/a%zz%4"),
        // Dot segments never climb above the root; a dot inside a name stays.
        ("/../../etc", "/etc"),
        ("/a/..", "/"),
        ("/a/.", "/a/"),
        ("/a/.b/..c/...", "/a/.b/..c/..."),
        ("/a.b/c.", "/a.b/c."),
        ("/%2e%2e/%2E/x", "/x"),
        ("/a/%2e%2", "/a/.%2"),
        // Escapes keep their hex case unless decoded; %5C is not a separator.
        ("/a%2fb%5cc", "/a%2fb%5cc"),
        ("/%7a%7A", "/zz"),
        ("", "/"),
        ("a/b", "/a/b"),
        ("/\u{e9}", "/%C3%A9"),
        ("/a b", "/a%20b"),
        ("/[x]:@!$&'()*+,;=", "/[x]:@!$&'()*+,;="),
    ])
    func canonicalises(_ input: String, _ expected: String) {
        #expect(Self.canonical(input) == expected, "\(input)")
    }

    @Test func anEscapedNulIsInvalid() {
        #expect(Self.canonical("/a%00b") == nil)
        // A raw NUL cannot come from the HTTP parsers; googleurl escapes and refuses it too.
        #expect(Self.canonical("/a\u{0}b") == nil)
    }
}
