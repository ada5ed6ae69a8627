import Testing
@testable import ProxyCore

@Suite struct PathNormalizationTests {
    static func apply(_ options: PathNormalization, _ path: String) -> PathNormalization.Outcome {
        Array(path.utf8).withUnsafeBytes { options.apply($0) }
    }

    static func rewritten(_ text: String) -> PathNormalization.Outcome { .rewritten(Array(text.utf8)) }

    static let istio = PathNormalization(normalizePath: true, mergeSlashes: true)

    @Test func canonicalPathsStayUnchanged() {
        for path in ["/", "/a/b.html", "/api/v1/items?x=/../y", "/a/b/", "/a.b.c/d"] {
            #expect(Self.apply(Self.istio, path) == .unchanged, "\(path)")
        }
    }

    @Test func dotSegmentsAndSlashesAreResolvedBeforeTheQuery() {
        #expect(Self.apply(Self.istio, "/a/../admin?q=/../x") == Self.rewritten("/admin?q=/../x"))
        #expect(Self.apply(Self.istio, "//admin//x/") == Self.rewritten("/admin/x/"))
        #expect(Self.apply(Self.istio, "/a\\..\\admin") == Self.rewritten("/admin"))
        // merge_slashes runs after normalisation, as Envoy does.
        #expect(Self.apply(Self.istio, "/a/.//b") == Self.rewritten("/a/b"))
        // Without normalize_path, only slashes merge.
        #expect(Self.apply(PathNormalization(mergeSlashes: true), "/a//../b") == Self.rewritten("/a/../b"))
        #expect(Self.apply(PathNormalization(), "/a/../b") == .unchanged)
    }

    @Test func mergeSlashesKeepsEnvoysEdgeCases() {
        #expect(PathNormalization.mergeSlashes(Array("//".utf8)) == Array("//".utf8))
        #expect(PathNormalization.mergeSlashes(Array("/a//b?x//y".utf8)) == Array("/a/b?x//y".utf8))
    }

    @Test func fragmentsAreRejectedWhateverTheOptions() {
        #expect(Self.apply(PathNormalization(), "/admin#x") == .reject)
        #expect(Self.apply(Self.istio, "/x?a#b") == .reject)
    }

    @Test func escapedSlashActions() {
        let path = "/admin%2Fx%5cy%2f?q=%2F"
        #expect(Self.apply(PathNormalization(escapedSlashes: .keepUnchanged), path) == .unchanged)
        #expect(Self.apply(PathNormalization(escapedSlashes: .reject), path) == .reject)
        #expect(Self.apply(PathNormalization(escapedSlashes: .unescapeAndForward), path) == Self.rewritten("/admin/x\\y/?q=%2F"))
        var options = Self.istio
        options.escapedSlashes = .unescapeAndForward
        #expect(Self.apply(options, path) == Self.rewritten("/admin/x/y/?q=%2F"))
        options.escapedSlashes = .unescapeAndRedirect
        #expect(Self.apply(options, path) == .redirect(Array("/admin/x/y/?q=%2F".utf8)))
        // Only an actual escaped slash redirects or rejects.
        #expect(Self.apply(options, "/a%41") == Self.rewritten("/aA"))
        #expect(Self.apply(PathNormalization(escapedSlashes: .reject), "/a%20b") == .unchanged)
    }

    @Test func invalidPathsAreRejected() {
        #expect(Self.apply(Self.istio, "/a%00") == .reject)
    }
}
