import Crypto
import Foundation
import Testing

/// jwt_authn then RBAC through stock Envoy 1.40 and `swiftmesh proxy` from one
/// bootstrap (`JWTDifferentialBootstrap`), with ES256 tokens made here: status,
/// body, `www-authenticate` and what reaches the upstream must agree.
@Suite(.serialized) struct JWTDifferentialTests {
    static let key = P256.Signing.PrivateKey()
    static let now = Int(Date().timeIntervalSince1970)

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static var jwks: String {
        let raw = key.publicKey.rawRepresentation
        return #"{"keys": [{"kty": "EC", "crv": "P-256", "kid": "k1", "alg": "ES256", "x": "\#(base64URL(raw.prefix(32)))", "y": "\#(base64URL(raw.suffix(32)))"}]}"#
    }

    static func token(_ claims: [String: Any], signer: P256.Signing.PrivateKey = key) -> String {
        let head = base64URL(try! JSONSerialization.data(withJSONObject: ["alg": "ES256", "kid": "k1"], options: .sortedKeys))
        let body = base64URL(try! JSONSerialization.data(withJSONObject: claims, options: .sortedKeys))
        let signature = try! signer.signature(for: SHA256.hash(data: Data("\(head).\(body)".utf8))).rawRepresentation
        return "\(head).\(body).\(base64URL(signature))"
    }

    static func claims(iss: String = JWTDifferentialBootstrap.issuer, sub: String = "alice", exp: Int = now + 600, aud: Any = "svc.example", groups: [String] = []) -> [String: Any] {
        ["iss": iss, "sub": sub, "exp": exp, "aud": aud, "groups": groups]
    }

    static func request(_ path: String, _ token: String? = nil, header: String = "Authorization: Bearer ") -> String {
        "GET \(path) HTTP/1.1\r\nHost: svc\r\n" + (token.map { "\(header)\($0)\r\n" } ?? "") + "\r\n"
    }

    static var scenarios: [(name: String, request: String, status: Int)] {
        [
            ("open path without a token", request("/open"), 200),
            ("secure path without a token", request("/secure"), 403),
            ("secure path, valid token", request("/secure", token(claims())), 200),
            ("secure path, other subject", request("/secure", token(claims(sub: "bob"))), 403),
            ("expired token", request("/open", token(claims(exp: now - 3600))), 401),
            ("unknown issuer", request("/open", token(claims(iss: "https://other.example"))), 401),
            ("wrong audience", request("/open", token(claims(aud: ["other.example"]))), 403),
            ("audience with scheme and slash", request("/secure", token(claims(aud: "https://svc.example/"))), 200),
            ("signed by another key", request("/open", token(claims(), signer: P256.Signing.PrivateKey())), 401),
            ("not a JWT", request("/open", "abc"), 401),
            ("admin claim present", request("/admin", token(claims(groups: ["dev", "admin"]))), 200),
            ("admin claim absent", request("/admin", token(claims(groups: ["dev"]))), 403),
            ("token in access_token parameter", request("/secure?access_token=\(token(claims()))"), 200),
            ("token without the Bearer prefix", request("/secure", token(claims()), header: "Authorization: "), 403),
        ]
    }

    struct Seen: Equatable {
        var status: Int
        var body: String
        var authenticate: String?
        /// Lower-cased upstream header lines the filter controls.
        var upstream: [String]
    }

    static func observe(port: Int, upstream: RecordingUpstream, cases: [(name: String, request: String, status: Int)]) -> [Seen] {
        cases.map { item in
            _ = upstream.take()
            let response = RawHTTPClient.response(to: item.request, port: port)
            let lines = upstream.take().first?.components(separatedBy: "\r\n").dropFirst().map { $0.lowercased() } ?? []
            let controlled = lines.filter { $0.hasPrefix("authorization:") || $0.hasPrefix("x-sub:") || $0.hasPrefix("x-jwt-payload:") }
            let body = response.status == 200 ? "" : response.body
            return Seen(status: response.status, body: body, authenticate: response.headers["www-authenticate"], upstream: controlled.sorted())
        }
    }

    @Test func jwtAndRBACAgreeWithEnvoy() throws {
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        let upstream = try RecordingUpstream()
        defer { upstream.close() }
        let cases = Self.scenarios
        let ours = try MeshHarness.freePort()
        let file = harness.directory.appendingPathComponent("jwt-swift.json")
        let ourLog = harness.directory.appendingPathComponent("jwt-swift.log").path
        try JWTDifferentialBootstrap.json(port: ours, upstreamPort: upstream.port, jwks: Self.jwks, accessLog: ourLog).write(to: file, atomically: true, encoding: .utf8)
        try AuthzBypassIntegrationTests.start(harness, "swiftmesh", MeshHarness.swiftmesh,
                                              arguments: ["proxy", "-c", file.path, "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:0"], ports: [ours])
        let fromUs = Self.observe(port: ours, upstream: upstream, cases: cases)
        for (item, seen) in zip(cases, fromUs) {
            #expect(seen.status == item.status, "swift: \(item.name): \(seen)")
        }
        guard let envoy = MeshHarness.envoyBinary else { return }
        let theirs = try MeshHarness.freePort()
        let envoyFile = harness.directory.appendingPathComponent("jwt-envoy.json")
        let envoyLog = harness.directory.appendingPathComponent("jwt-envoy.log").path
        try JWTDifferentialBootstrap.json(port: theirs, upstreamPort: upstream.port, jwks: Self.jwks, accessLog: envoyLog).write(to: envoyFile, atomically: true, encoding: .utf8)
        try AuthzBypassIntegrationTests.start(harness, "envoy", envoy, arguments: ["-c", envoyFile.path, "--disable-hot-restart", "-l", "warning", "--concurrency", "1",
                                                                                   "--file-flush-interval-msec", "50"],
                                              ports: [theirs], kill: SIGKILL)
        let fromEnvoy = Self.observe(port: theirs, upstream: upstream, cases: cases)
        // Access logs: jwt_authn_access_denied{...} and rbac_access_denied_matched_policy[...] details agree.
        try harness.waitUntil("both access logs", timeout: 10) {
            AuthzBypassIntegrationTests.logLines(envoyLog).count >= cases.count && AuthzBypassIntegrationTests.logLines(ourLog).count >= cases.count
        }
        #expect(AuthzBypassIntegrationTests.logLines(ourLog) == AuthzBypassIntegrationTests.logLines(envoyLog))
        for (index, item) in cases.enumerated() {
            #expect(fromEnvoy[index].status == item.status, "envoy: \(item.name): \(fromEnvoy[index])")
            #expect(fromUs[index] == fromEnvoy[index], "\(item.name): swift \(fromUs[index]) vs envoy \(fromEnvoy[index])")
        }
    }
}
