import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// A retry policy's `per_try_timeout` through stock Envoy 1.40 and `swiftmesh proxy`
/// with the same bootstrap, in front of an upstream that answers after 500 ms:
/// `/retried` (retry_on 5xx, one retry, 0.2 s per try) times out twice and gets 504;
/// `/once` (retry_on connect-failure: a timeout is not retried) times out once;
/// `/fits` (1 s per try) is served. Compared: statuses and bodies, the access-log
/// lines (path, status, flags, details), how long each took (to the class) and the
/// cluster's counters. Skipped without an Envoy binary.
@Suite(.serialized) struct PerTryTimeoutDifferentialTests {
    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS%\n"
    static let counterNames: Set<String> = ["upstream_rq_per_try_timeout", "upstream_rq_retry", "upstream_rq_504", "upstream_rq_200"]
        .reduce(into: []) { $0.insert("cluster.slow.\($1)") }

    static func route(_ path: String, retryOn: String, perTry: String) -> [String: Any] {
        ["match": ["path": path],
         "route": ["cluster": "slow", "timeout": "5s",
                   "retry_policy": ["retry_on": retryOn, "num_retries": 1, "per_try_timeout": perTry]]]
    }

    static func bootstrap(listenPort: Int, adminPort: Int, upstreamPort: Int, log: URL) -> String {
        let routes = [route("/retried", retryOn: "5xx", perTry: "0.2s"), route("/once", retryOn: "connect-failure", perTry: "0.2s"),
                      route("/fits", retryOn: "5xx", perTry: "1s")]
        return RouterBootstrap.json(listenPort: listenPort, adminPort: adminPort, log: log, format: format, routes: routes,
                                    clusters: [TCPAccessLogBootstrap.cluster("slow", ports: [upstreamPort])])
    }

    typealias Outcome = (statuses: [String: String], lines: [String], counters: [String: String])

    @Test func perTryTimeoutsResetRetryAndAnswer504Alike() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await SlowUpstream.start(group: group, delay: .milliseconds(500))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-per-try-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var admin: [Int: Int] = [:]
        func log(_ port: Int) -> URL { directory.appendingPathComponent("per-try-\(port).log") }
        let clients = ["/retried", "/once", "/fits"].map { CircuitBreakerDifferentialTests.Client(path: $0, atMs: 0) }
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("per-try", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { port in
            admin[port] = try! DifferentialRun.freePort()
            return Self.bootstrap(listenPort: port, adminPort: admin[port]!, upstreamPort: upstream.localAddress!.port!, log: log(port))
        }, exchange: { port -> Outcome in
            let statuses = CircuitBreakerDifferentialTests.run(clients, port: port)
            let lines = CircuitBreakerDifferentialTests.logLines(log(port), expected: 3)
            return (statuses, lines, try AdminCounters.read(adminPort: admin[port]!, names: Self.counterNames))
        }) else { return }
        print("per-try timeout (Envoy): \(fromEnvoy)")
        print("per-try timeout (ours):  \(fromUs)")

        // What Envoy does, checked first so the comparison means something.
        #expect(fromEnvoy.statuses["/retried"] == "504 upstream request timeout")
        #expect(fromEnvoy.statuses["/fits"] == "200 served /fits")
        #expect(fromEnvoy.lines == ["/fits 200 - via_upstream", "/once 504 UT upstream_per_try_timeout",
                                    "/retried 504 URX,UT upstream_per_try_timeout"])
        // Three attempts timed out; only the two 504s the clients got count as 504s.
        #expect(fromEnvoy.counters["cluster.slow.upstream_rq_per_try_timeout"] == "3")
        #expect(fromEnvoy.counters["cluster.slow.upstream_rq_504"] == "2")

        #expect(fromUs.statuses == fromEnvoy.statuses)
        #expect(fromUs.lines == fromEnvoy.lines)
        #expect(fromUs.counters == fromEnvoy.counters)
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
