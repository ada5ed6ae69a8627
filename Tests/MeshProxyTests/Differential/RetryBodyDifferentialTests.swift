import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// Requests with bodies under Istio's retry policy (retriable status 503) through
/// stock Envoy 1.40 and `swiftmesh proxy`, in front of an upstream that answers each
/// request's first attempt with 503: a small POST is retried with its whole body
/// and served; a body over the 1 MiB buffer limit is not kept, so its 503 reaches
/// the client; a POST to a cluster whose only endpoint refuses connections is
/// retried twice and gets 503 URX. Compared: statuses and bodies, the access-log
/// lines and the clusters' counters (a retried response counts under
/// `retry.upstream_rq_<code>`, only the final one under `upstream_rq_<code>`).
/// Skipped without an Envoy binary.
@Suite(.serialized) struct RetryBodyDifferentialTests {
    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %BYTES_RECEIVED%\n"
    static let counterNames: Set<String> = ["upstream_rq_retry", "upstream_rq_503", "upstream_rq_200", "retry.upstream_rq_503", "upstream_rq_total"]
        .reduce(into: []) { names, name in for cluster in ["flaky", "dead"] { names.insert("cluster.\(cluster).\(name)") } }

    static func bootstrap(listenPort: Int, adminPort: Int, upstreamPort: Int, deadPort: Int, log: URL) -> String {
        let retry: [String: Any] = ["retry_on": "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes",
                                    "num_retries": 2, "retriable_status_codes": [503]]
        let routes: [[String: Any]] = [
            ["match": ["prefix": "/dead"], "route": ["cluster": "dead", "timeout": "5s", "retry_policy": retry]],
            ["match": ["prefix": "/"], "route": ["cluster": "flaky", "timeout": "5s", "retry_policy": retry]],
        ]
        let clusters = [TCPAccessLogBootstrap.cluster("flaky", ports: [upstreamPort]), TCPAccessLogBootstrap.cluster("dead", ports: [deadPort])]
        return RouterBootstrap.json(listenPort: listenPort, adminPort: adminPort, log: log, format: format, routes: routes, clusters: clusters)
    }

    /// Each request on its own connection, one after another.
    static func requests(port: Int) throws -> [String] {
        let large = String(repeating: "x", count: (1 << 20) + 100)
        let sent: [(path: String, body: String)] = [("/small", "hello retry"), ("/empty-get", ""), ("/large", large), ("/dead", "lost")]
        return try sent.map { request in
            let method = request.body.isEmpty ? "GET" : "POST"
            let length = request.body.isEmpty ? "" : "Content-Length: \(request.body.utf8.count)\r\n"
            let text = "\(method) \(request.path) HTTP/1.1\r\nHost: svc\r\nx-key: \(port)\(request.path)\r\n\(length)Connection: close\r\n\r\n\(request.body)"
            let exchange = try RawExchange.send(text, port: port)
            return "\(request.path) \(exchange.status) \(exchange.body)"
        }
    }

    typealias Outcome = (responses: [String], lines: [String], counters: [String: String])

    @Test func bodiesAreRetriedWithinTheBufferLimitAlike() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await FlakyUpstream.start(group: group)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-retry-body-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var admin: [Int: Int] = [:]
        let deadPort = try DifferentialRun.freePort()
        func log(_ port: Int) -> URL { directory.appendingPathComponent("retry-body-\(port).log") }
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("retry-body", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { port in
            admin[port] = try! DifferentialRun.freePort()
            return Self.bootstrap(listenPort: port, adminPort: admin[port]!, upstreamPort: upstream.localAddress!.port!, deadPort: deadPort, log: log(port))
        }, exchange: { port -> Outcome in
            let responses = try Self.requests(port: port)
            let lines = CircuitBreakerDifferentialTests.logLines(log(port), expected: 4)
            return (responses, lines, try AdminCounters.read(adminPort: admin[port]!, names: Self.counterNames))
        }) else { return }
        print("retried bodies (Envoy): \(fromEnvoy)")
        print("retried bodies (ours):  \(fromUs)")

        // What Envoy does, checked first so the comparison means something.
        #expect(fromEnvoy.responses.prefix(3) == ["/small 200 got 11 bytes: hello retry", "/empty-get 200 got 0 bytes: ", "/large 503 busy"])
        #expect(fromEnvoy.responses.last?.hasPrefix("/dead 503 upstream connect error") == true)
        #expect(fromEnvoy.counters["cluster.flaky.upstream_rq_retry"] == "2")
        #expect(fromEnvoy.counters["cluster.dead.upstream_rq_retry"] == "2")

        #expect(fromUs.responses == fromEnvoy.responses)
        #expect(fromUs.lines == fromEnvoy.lines)
        #expect(fromUs.counters == fromEnvoy.counters)
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
