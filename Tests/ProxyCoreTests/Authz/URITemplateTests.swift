import Testing
@testable import ProxyCore

/// Istio writes `{*}` / `{**}` as Envoy's `*` / `**` operators.
@Suite struct URITemplateTests {
    static func matches(_ template: String, _ path: String) throws -> Bool {
        let compiled = try URITemplate(template)
        return Array(path.utf8).withUnsafeBytes { compiled.matches($0) }
    }

    @Test func istioTemplates() throws {
        #expect(try Self.matches("/api/*/items", "/api/v1/items"))
        #expect(try !Self.matches("/api/*/items", "/api/v1/x/items"))
        #expect(try !Self.matches("/api/*/items", "/api//items"))
        #expect(try Self.matches("/api/**", "/api/a/b/c"))
        #expect(try Self.matches("/api/**", "/api/"))
        #expect(try Self.matches("/files/**/raw", "/files/a/b/raw?x=1"))
        #expect(try Self.matches("/v1/*.json", "/v1/report.json"))
        #expect(try !Self.matches("/v1/*.json", "/v1/reportxjson"))
        #expect(try Self.matches("/a/{id}/b", "/a/x/b"))
        #expect(try Self.matches("/a/{rest=**}", "/a/x/y"))
        #expect(try Self.matches("/a/", "/a/"))
        #expect(try Self.matches("/a/*x/b", "/a/yx/b"))
        #expect(try Self.matches("/api/*/delete", "/api/a;b=c@d/delete"))
    }

    @Test func envoysExpression() throws {
        #expect(try URITemplate("/api/*/x.y").expression == "/api/[a-zA-Z0-9-._~%!$&'()+,;:@=]+/x\\.y")
        #expect(try URITemplate("/a/**").expression == "/a/[a-zA-Z0-9-._~%!$&'()+,;:@=/]*")
        #expect(try URITemplate("/a/{id}").expression == "/a/(?P<id>[a-zA-Z0-9-._~%!$&'()+,;:@=]+)")
    }

    @Test func invalidTemplatesAreRefused() {
        for bad in ["api/*", "/a/**/*", "/a//b", "/a b", "/{1x}", "/a/{x}/{x}", "/a/{x=}", "/{*}", "/a/{x=*y}"] {
            #expect(throws: URITemplate.InvalidTemplate.self, "\(bad)") { try URITemplate(bad) }
        }
    }
}
