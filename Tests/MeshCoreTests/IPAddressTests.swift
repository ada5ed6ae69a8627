import Testing
@testable import MeshCore

@Suite struct IPAddressTests {
    @Test func families() {
        #expect(IPAddress.family(of: "10.1.2.3") == .v4)
        #expect(IPAddress.family(of: "2001:db8::1") == .v6)
        #expect(IPAddress.family(of: "fe80::1%eth0") == .v6)
        #expect(IPAddress.family(of: "10.1.2") == nil)
        #expect(IPAddress.family(of: "reviews") == nil)
        #expect(IPAddress.family(of: "fe80::1%") == nil)
    }

    @Test func cidrBlocks() {
        #expect(IPAddress.cidrProblem("10.0.0.0/8") == nil)
        #expect(IPAddress.cidrProblem("10.0.0.1") == nil)
        #expect(IPAddress.cidrProblem("2001:db8::/32") == nil)
        #expect(IPAddress.cidrProblem("10.0.0.0/33") != nil)
        #expect(IPAddress.cidrProblem("10.0.0.0/+8") != nil)
        #expect(IPAddress.cidrProblem("host/8") != nil)
    }
}

@Suite struct RegexPatternTests {
    @Test func re2SemanticsAndErrors() throws {
        let pattern = try RegexPattern("/api/v[0-9]+/.*")
        #expect(pattern.fullMatch("/api/v2/items"))
        #expect(!pattern.fullMatch("x/api/v2/items"))
        #expect(pattern.programSize > 0)
        #expect(throws: RegexPattern.CompileError.self) { try RegexPattern("(?!lookahead)") }
        #expect(throws: RegexPattern.CompileError.self) { try RegexPattern("(unclosed") }
        #expect(throws: RegexPattern.CompileError.self) { try RegexPattern("(a)\\1") }
    }
}

@Suite struct FieldPathTests {
    @Test func printsLikeIstio() {
        let path = FieldPath.root / "spec" / "http" / 0 / "route" / 1 / "weight"
        #expect(path.description == "spec.http[0].route[1].weight")
        var stack = FieldPath.root / "spec"
        stack.push(.key("hosts"))
        stack.push(.index(2))
        #expect(stack.description == "spec.hosts[2]")
        stack.pop()
        #expect(stack.description == "spec.hosts")
    }

    @Test func diagnosticsRender() {
        #expect(Diagnostic.error(FieldPath(parsing: "spec.host"), "required").description == "spec.host: required")
        #expect(Diagnostic.warning(FieldPath(parsing: "spec"), "odd").description == "spec: warning: odd")
    }
}
