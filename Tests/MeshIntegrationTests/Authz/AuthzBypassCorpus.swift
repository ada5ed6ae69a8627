/// The bypass corpus: raw requests against the DENY / ALLOW policies of
/// `AuthzBypassBootstrap`, with the status stock Envoy 1.40 gives on each
/// listener (`keep`: escaped slashes kept; `decode`: `%2F` / `%5C` decoded).
/// 200 means the request reached the upstream; anything else means the proxy
/// answered and the upstream must have seen nothing. A 200 on a path the policy
/// names is Envoy's documented semantics (case-sensitive paths, `%2F` kept
/// opaque, a trailing dot in Host), and both planes must agree on it.
struct BypassCase: Sendable, CustomStringConvertible {
    let name: String
    let request: String
    let keep: Int
    let decode: Int

    var description: String { name }

    init(_ name: String, _ request: String, _ keep: Int, decode: Int? = nil) {
        self.name = name
        self.request = request
        self.keep = keep
        self.decode = decode ?? keep
    }

    static func req(_ target: String, method: String = "GET", host: String = "svc", _ headers: String = "", version: String = "HTTP/1.1") -> String {
        "\(method) \(target) \(version)\r\nHost: \(host)\r\n\(headers)\r\n"
    }

    static let all: [BypassCase] = paths + escapes + headers + methods + hosts + addresses + allowPolicy + templates

    /// Dot segments, slashes, case and `;` against `/admin*` and `/secret`.
    static let paths: [BypassCase] = [
        BypassCase("plain denied path", req("/admin"), 403),
        BypassCase("denied path, trailing slash", req("/admin/"), 403),
        BypassCase("denied path with query", req("/admin?x=1"), 403),
        BypassCase("path case differs", req("/ADMIN"), 200),
        BypassCase("path case differs below", req("/Admin/x"), 200),
        BypassCase("double slash", req("//admin"), 403),
        BypassCase("many slashes", req("///admin//x"), 403),
        BypassCase("dot segment", req("/./admin"), 403),
        BypassCase("dot-dot segment", req("/x/../admin"), 403),
        BypassCase("dot-dot then double slash", req("/x/..//admin"), 403),
        BypassCase("climbing above the root", req("/../admin"), 403),
        BypassCase("two levels up", req("/a/b/../../admin"), 403),
        BypassCase("trailing dot segment", req("/admin/."), 403),
        BypassCase("dot-dot leaves the denied prefix", req("/admin/../public"), 200),
        BypassCase("semicolon parameter", req("/admin;jsessionid=1"), 403),
        BypassCase("semicolon segment then dot-dot", req("/x;/../admin"), 403),
        BypassCase("raw backslashes", req("/x\\..\\admin"), 403),
        BypassCase("fragment", req("/admin#frag"), 400),
        BypassCase("fragment hiding dot-dot", req("/x#/../admin"), 400),
        BypassCase("query is not the path", req("/public?next=/admin"), 200),
        BypassCase("dot-dot in the query", req("/public?x=/../admin"), 200),
        BypassCase("absolute-form target", req("http://svc/admin"), 403),
        BypassCase("absolute-form double slash", req("http://svc//admin"), 403),
        BypassCase("asterisk form", req("*", method: "OPTIONS"), 404),
        BypassCase("asterisk form with GET", req("*"), 400),
        BypassCase("HTTP/1.0", req("/admin", version: "HTTP/1.0"), 426),
        BypassCase("exact path", req("/secret"), 403),
        BypassCase("exact path with query", req("/secret?x"), 403),
        BypassCase("exact path, trailing slash", req("/secret/"), 200),
        BypassCase("exact path, trailing dot segment", req("/secret/."), 200),
        BypassCase("control: public path", req("/public"), 200),
    ]

    /// Percent-encoded letters, dots and slashes.
    static let escapes: [BypassCase] = [
        BypassCase("encoded letter", req("/%61dmin"), 403),
        BypassCase("encoded letter inside", req("/adm%69n"), 403),
        BypassCase("encoded upper-case letters", req("/%41DMIN"), 200),
        BypassCase("encoded exact path", req("/sec%72et"), 403),
        BypassCase("encoded dot segment", req("/%2e/admin"), 403),
        BypassCase("encoded dot-dot, upper case", req("/x/%2E%2E/admin"), 403),
        BypassCase("encoded dot-dot at the root", req("/%2e%2e/admin"), 403),
        BypassCase("encoded slash after prefix", req("/admin%2Fx"), 403),
        BypassCase("encoded slash before the name", req("/%2Fadmin"), 200, decode: 403),
        BypassCase("encoded slashes around dot-dot", req("/x%2F..%2Fadmin"), 200, decode: 403),
        BypassCase("lower-case encoded slashes", req("/x%2f..%2fadmin"), 200, decode: 403),
        BypassCase("encoded backslashes", req("/x%5C..%5Cadmin"), 200, decode: 403),
        BypassCase("lower-case encoded backslashes", req("/x%5c..%5cadmin"), 200, decode: 403),
        BypassCase("dot-dot before an encoded slash", req("/public/..%2fadmin"), 200, decode: 403),
        BypassCase("encoded dots and slash", req("/%2e%2e%2fadmin"), 200, decode: 403),
        BypassCase("encoded question mark", req("/secret%3Fx"), 200),
        BypassCase("encoded NUL", req("/%00admin"), 400),
        BypassCase("malformed escapes", req("/admin%zz%4"), 403),
    ]

    /// Header names in any case, repeated, empty.
    static let headers: [BypassCase] = [
        BypassCase("denied header", req("/x", "X-Evil: 1\r\n"), 403),
        BypassCase("denied header, lower case", req("/x", "x-evil: 1\r\n"), 403),
        BypassCase("denied header, upper case", req("/x", "X-EVIL: 1\r\n"), 403),
        BypassCase("denied header, empty value", req("/x", "X-Evil: \r\n"), 403),
        BypassCase("denied header, no space", req("/x", "X-Evil:1\r\n"), 403),
        BypassCase("denied header, tab", req("/x", "X-Evil:\t1\r\n"), 403),
        BypassCase("denied header twice", req("/x", "X-Evil: a\r\nx-evil: b\r\n"), 403),
        BypassCase("denied header after others", req("/x", "A: 1\r\nB: 2\r\nX-Evil: 1\r\n"), 403),
        BypassCase("space before the colon", req("/x", "X-Evil : 1\r\n"), 400),
        BypassCase("similar header name", req("/x", "X-Evil-Not: 1\r\n"), 200),
    ]

    /// Method spellings.
    static let methods: [BypassCase] = [
        BypassCase("denied method", req("/x", method: "DELETE"), 403),
        BypassCase("denied method, absolute form", req("http://svc/x", method: "DELETE"), 403),
        BypassCase("method in lower case", req("/x", method: "delete"), 400),
        BypassCase("method in mixed case", req("/x", method: "DELete"), 400),
        BypassCase("unknown method", req("/x", method: "FOO"), 400),
        BypassCase("method override header", req("/x", method: "POST", "X-HTTP-Method-Override: DELETE\r\nContent-Length: 0\r\n"), 200),
    ]

    /// Host spellings against `blocked.example`.
    static let hosts: [BypassCase] = [
        BypassCase("denied host", req("/x", host: "blocked.example"), 403),
        BypassCase("denied host, upper case", req("/x", host: "BLOCKED.EXAMPLE"), 403),
        BypassCase("denied host with port", req("/x", host: "blocked.example:8080"), 403),
        BypassCase("denied host, trailing dot", req("/x", host: "blocked.example."), 200),
        BypassCase("denied host, trailing dot and port", req("/x", host: "blocked.example.:80"), 200),
        BypassCase("absolute form names the denied host", req("http://blocked.example/x"), 403),
        BypassCase("absolute form overrides a denied Host", req("http://svc/x", host: "blocked.example"), 200),
        BypassCase("two Host fields", req("/x", "Host: blocked.example\r\n"), 200),
        BypassCase("two Host fields, denied first", req("/x", host: "blocked.example", "Host: svc\r\n"), 200),
    ]

    /// remoteIpBlocks: the last x-forwarded-for hop (sidecars do not use the peer address).
    static let addresses: [BypassCase] = [
        BypassCase("forwarded from a denied block", req("/x", "X-Forwarded-For: 10.66.1.1\r\n"), 403),
        BypassCase("denied block is not the last hop", req("/x", "X-Forwarded-For: 10.66.1.1, 127.0.0.1\r\n"), 200),
        BypassCase("denied block is the last hop", req("/x", "X-Forwarded-For: 127.0.0.1, 10.66.1.1\r\n"), 403),
        BypassCase("two forwarded-for fields", req("/x", "X-Forwarded-For: 127.0.0.1\r\nx-forwarded-for: 10.66.1.1\r\n"), 403),
        BypassCase("last hop with a port is not an address", req("/x", "X-Forwarded-For: 10.66.1.1:1234\r\n"), 200),
    ]

    /// The ALLOW filter: everything but `/private*`.
    static let allowPolicy: [BypassCase] = [
        BypassCase("not allowed path", req("/private"), 403),
        BypassCase("not allowed path, encoded", req("/%70rivate/x"), 403),
        BypassCase("not allowed path via dot-dot", req("/public/../private"), 403),
        BypassCase("not allowed path via double slash", req("//private"), 403),
        BypassCase("not allowed path, case differs", req("/PRIVATE"), 200),
        BypassCase("not allowed path behind an encoded slash", req("/%2Fprivate"), 200, decode: 403),
    ]

    /// Path templates (`/api/{*}/delete`, `/files/{**}/raw`).
    static let templates: [BypassCase] = [
        BypassCase("one-segment template", req("/api/v1/delete"), 403),
        BypassCase("one-segment template with query", req("/api/v1/delete?x=1"), 403),
        BypassCase("one-segment template, two segments", req("/api/v1/x/delete"), 200),
        BypassCase("one-segment template, empty segment", req("/api//delete"), 200),
        BypassCase("one-segment template via dot-dot", req("/api/v1/x/../delete"), 403),
        BypassCase("one-segment template, encoded letter", req("/api/v1/%64elete"), 403),
        BypassCase("one-segment template, odd characters", req("/api/a;b=c@d/delete"), 403),
        BypassCase("one-segment template, encoded slash", req("/api/a%2Fb/delete"), 403, decode: 200),
        BypassCase("multi-segment template", req("/files/a/b/c/raw"), 403),
        BypassCase("multi-segment template, no segment", req("/files/raw"), 200),
        BypassCase("multi-segment template, empty segment", req("/files//raw"), 200),
        BypassCase("multi-segment template, suffix differs", req("/files/a/raw2"), 200),
    ]
}
