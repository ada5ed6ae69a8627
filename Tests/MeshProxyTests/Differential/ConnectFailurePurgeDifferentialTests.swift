import Foundation
import Testing
@testable import MeshProxy

/// A failed connect fails every request pending on the pool, through stock Envoy 1.40
/// and `swiftmesh proxy` with the same bootstrap: a cluster with max_connections 1 and a
/// 0.5 s connect timeout whose only endpoint never completes a handshake
/// (BlackholeListener). Three requests 100 ms apart: the first opens the connection,
/// the others queue for it. When its connect times out, Envoy's pool purges all three
/// (`upstream_rq_pending_failure_eject`), so each is answered 503 UF about 0.5 s after
/// the first, not one connect timeout after another. Compared: statuses, how long the
/// last answer took, the access-log lines and the counters. Skipped without Envoy.
@Suite(.serialized) struct ConnectFailurePurgeDifferentialTests {
    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS%\n"
    static let counterNames: Set<String> = ["upstream_rq_pending_failure_eject", "upstream_rq_503", "upstream_rq_total"]
        .reduce(into: []) { $0.insert("cluster.blackhole.\($1)") }

    static func bootstrap(listenPort: Int, adminPort: Int, endpointPort: Int, log: URL) -> String {
        var cluster = TCPAccessLogBootstrap.cluster("blackhole", ports: [endpointPort],
                                                    thresholds: ["max_connections": 1, "max_pending_requests": 10])
        cluster["connect_timeout"] = "0.5s"
        let root: [String: Any] = [
            "admin": CircuitBreakerBootstrap.admin(port: adminPort),
            "static_resources": [
                "listeners": [CircuitBreakerBootstrap.httpListener("in", port: listenPort, cluster: "blackhole", accessLogs: [
                    TCPAccessLogBootstrap.fileLog(log, ["text_format_source": ["inline_string": format]]),
                ])],
                "clusters": [cluster],
            ],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func aFailedConnectFailsTheQueuedRequestsWithIt() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let blackhole = try BlackholeListener()
        defer { blackhole.close() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-purge-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var admin: [Int: Int] = [:]
        func log(_ port: Int) -> URL { directory.appendingPathComponent("purge-\(port).log") }
        let clients = ["/a", "/b", "/c"].enumerated().map {
            CircuitBreakerDifferentialTests.Client(path: $0.element, atMs: $0.offset * 100)
        }
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("connect-purge", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { port in
            admin[port] = try! DifferentialRun.freePort()
            return Self.bootstrap(listenPort: port, adminPort: admin[port]!, endpointPort: blackhole.port, log: log(port))
        }, exchange: { port in
            let start = Date()
            let statuses = CircuitBreakerDifferentialTests.run(clients, port: port)
            let elapsed = Date().timeIntervalSince(start)
            let lines = CircuitBreakerDifferentialTests.logLines(log(port), expected: 3)
            return (statuses.mapValues { String($0.prefix(3)) }, elapsed, lines,
                    try AdminCounters.read(adminPort: admin[port]!, names: Self.counterNames))
        }) else { return }
        print("connect purge (Envoy): \(fromEnvoy)")
        print("connect purge (ours):  \(fromUs)")

        // Envoy: all three fail with the first connect, well before a second timeout.
        #expect(fromEnvoy.0 == ["/a": "503", "/b": "503", "/c": "503"])
        #expect(fromEnvoy.1 < 0.9)
        #expect(fromEnvoy.2 == ["/a 503 UF", "/b 503 UF", "/c 503 UF"])
        #expect(fromEnvoy.3["cluster.blackhole.upstream_rq_pending_failure_eject"] == "3")

        #expect(fromUs.0 == fromEnvoy.0)
        #expect(fromUs.1 < 0.9)
        #expect(fromUs.2 == fromEnvoy.2)
        #expect(fromUs.3 == fromEnvoy.3)
    }
}
