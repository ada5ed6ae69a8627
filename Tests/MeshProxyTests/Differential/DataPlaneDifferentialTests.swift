import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// The same bootstrap through stock Envoy 1.40 and through `swiftmesh proxy`: what
/// a client sees must agree (status, body of local replies, the headers the
/// config sets, what the upstream received). Skipped when no Envoy binary is
/// found (ENVOY_BIN, or the repository's .venv from TOOLCHAIN.md).
@Suite(.serialized) struct DataPlaneDifferentialTests {
    /// Requests and the response headers compared for each. Known, deliberate
    /// difference (not listed): a folded header line (obs-fold) is refused with 400
    /// where Envoy's parser unfolds it; RFC 9112 §5.2 allows both.
    static let scenarios: [(name: String, request: String, headers: [String])] = [
        ("upstream", "GET /plain?x=1 HTTP/1.1\r\nHost: svc\r\n\r\n", ["x-upstream", "x-drop-me"]),
        ("host with port", "GET / HTTP/1.1\r\nHost: svc:8080\r\n\r\n", []),
        // Envoy's internal-only headers from a caller: removed and ignored.
        ("caller's timeouts", "GET /plain HTTP/1.1\r\nHost: svc\r\nx-envoy-upstream-rq-timeout-ms: 1234\r\nx-envoy-retry-on: 5xx\r\nX-Forwarded-Client-Cert: By=x\r\n\r\n", []),
        ("caller's per-try timeout", "GET /plain HTTP/1.1\r\nHost: svc\r\nx-envoy-upstream-rq-per-try-timeout-ms: 700\r\nx-envoy-expected-rq-timeout-ms: 5\r\n\r\n", []),
        ("wildcard host", "GET / HTTP/1.1\r\nHost: a.wild.example\r\n\r\n", []),
        ("no route", "GET / HTTP/1.1\r\nHost: other\r\n\r\n", []),
        ("direct response", "GET /direct HTTP/1.1\r\nHost: svc\r\n\r\n", ["content-type", "x-resp"]),
        ("exact path with query", "GET /direct?q=1 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("redirect", "GET /redirect/page?q=1 HTTP/1.1\r\nHost: svc:8080\r\n\r\n", ["location", "x-resp"]),
        ("rewrite and headers", "GET /rewrite/a/b HTTP/1.1\r\nHost: svc\r\nX-Added: old\r\nX-Removed: 1\r\n\r\n", ["x-resp", "x-drop-me", "x-upstream"]),
        ("header match", "GET /header HTTP/1.1\r\nHost: svc\r\nX-User: jason\r\n\r\n", []),
        ("header mismatch", "GET /header HTTP/1.1\r\nHost: svc\r\nX-User: Jason\r\n\r\n", []),
        ("query match", "GET /query?a=1&v=2 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("query mismatch", "GET /query?v=3 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("regex", "GET /users/42 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("regex mismatch", "GET /users/42/x HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("case-insensitive prefix", "GET /caseless/x HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("unknown cluster", "GET /nocluster HTTP/1.1\r\nHost: svc\r\n\r\n", ["x-resp"]),
        ("no endpoints", "GET /empty HTTP/1.1\r\nHost: svc\r\n\r\n", ["x-resp"]),
        // A route's `server` header: the connection manager's OVERWRITE (the default) replaces it.
        ("route's server, direct response", "GET /server-direct HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("route's server, upstream", "GET /server-upstream HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("HTTP/1.0 with host", "GET /ten HTTP/1.0\r\nHost: svc\r\n\r\n", []),
        ("chunked request body", "POST /body HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", []),
        ("content-length and chunked", "POST / HTTP/1.1\r\nHost: svc\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", []),
        ("bad header name", "GET / HTTP/1.1\r\nHost: svc\r\nBad Header: x\r\n\r\n", []),
        ("missing host", "GET / HTTP/1.1\r\n\r\n", []),
        ("absolute-form target", "GET http://svc/abs HTTP/1.1\r\nHost: other\r\n\r\n", []),
        ("unsupported transfer coding", "POST / HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: gzip\r\n\r\n", []),
        ("headers too large", "GET / HTTP/1.1\r\nHost: svc\r\nX-Big: " + String(repeating: "a", count: 70 * 1024) + "\r\n\r\n", []),
    ]

    func run(_ port: Int) throws -> [RawExchange] {
        try Self.scenarios.map { try RawExchange.send($0.request, port: port) }
    }

    /// The access log's lines once they stop growing: both proxies write a file log
    /// within a second of a line (Envoy every 100 ms here), so 1.5 s without growth is the end.
    static func logLines(_ url: URL) -> [String] {
        var lines: [String] = []
        var quiet = 0
        for _ in 0..<40 {
            usleep(150_000)
            let now = AccessLogLines.lines(url)
            if now.count >= scenarios.count { return now }
            quiet = now.count == lines.count ? quiet + 1 : 0
            if quiet >= 10 { return now }
            lines = now
        }
        return lines
    }

    @Test func envoyAndSwiftMeshAgree() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await EchoUpstream.start(group: group)
        let upstreamPort = upstream.localAddress!.port!
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-differential-logs-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func log(_ port: Int) -> URL { directory.appendingPathComponent("access-\(port).log") }
        guard let (envoyRun, ourRun) = try await DifferentialRun.throughBoth("differential", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                           bootstrap: {
            DifferentialBootstrap.json(listenPort: $0, upstreamPort: upstreamPort, accessLog: log($0).path)
        }, exchange: { port in (try run(port), Self.logLines(log(port))) }) else { return }
        let (fromEnvoy, fromUs) = (envoyRun.0, ourRun.0)
        print("differential access log (Envoy):\n" + envoyRun.1.joined(separator: "\n"))
        print("differential access log (ours):\n" + ourRun.1.joined(separator: "\n"))
        // Path, status, flags and details (Istio's default format logs all four), line by line.
        #expect(envoyRun.1.count >= Self.scenarios.count - 4)
        #expect(ourRun.1.count == envoyRun.1.count)
        for (index, line) in envoyRun.1.enumerated() where index < ourRun.1.count {
            #expect(ourRun.1[index] == line, "access log line \(index): \(ourRun.1[index]) vs Envoy's \(line)")
        }

        for (index, scenario) in Self.scenarios.enumerated() {
            let envoy = fromEnvoy[index], ours = fromUs[index]
            #expect(ours.status == envoy.status, "\(scenario.name): status \(ours.status) vs Envoy's \(envoy.status)")
            // Bodies: the upstream's echo (what it received) and local replies' text.
            #expect(ours.body == envoy.body, "\(scenario.name): body \(ours.body) vs Envoy's \(envoy.body)")
            // What the connection manager and router stamp on every response: the
            // same server, a date, and the upstream service time on forwarded ones.
            #expect(ours.headers["server"] == envoy.headers["server"], "\(scenario.name): server \(ours.headers["server"] ?? "-") vs Envoy's \(envoy.headers["server"] ?? "-")")
            #expect(ours.serverLines == envoy.serverLines, "\(scenario.name): \(ours.serverLines) server lines vs Envoy's \(envoy.serverLines)")
            for stamped in ["date", "x-envoy-upstream-service-time"] {
                #expect((ours.headers[stamped] == nil) == (envoy.headers[stamped] == nil), "\(scenario.name): \(stamped) \(ours.headers[stamped] ?? "-") vs Envoy's \(envoy.headers[stamped] ?? "-")")
            }
            if let date = ours.headers["date"] { #expect(date.count == 29 && date.hasSuffix(" GMT"), "\(scenario.name): date \(date)") }
            for header in scenario.headers {
                #expect(ours.headers[header] == envoy.headers[header], "\(scenario.name): \(header) \(ours.headers[header] ?? "-") vs Envoy's \(envoy.headers[header] ?? "-")")
            }
        }
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
