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
/// last answer took, the access-log lines (flags, details: `{connection_timeout}`) and
/// the counters. The same for an HTTP/2
/// cluster with max_pending_requests 1: its requests are pending while its one
/// connection comes up, so the second and third overflow (503 UO) at once and the
/// first fails with the connect. Skipped without Envoy.
@Suite(.serialized) struct ConnectFailurePurgeDifferentialTests {
    static let format = "%REQ(:PATH)% %RESPONSE_CODE% %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %UPSTREAM_TRANSPORT_FAILURE_REASON%\n"
    static let counterNames: Set<String> = ["upstream_rq_pending_failure_eject", "upstream_rq_pending_overflow", "upstream_rq_active_overflow",
                                            "upstream_rq_503", "upstream_rq_total"]
        .reduce(into: []) { $0.insert("cluster.blackhole.\($1)") }

    static func bootstrap(listenPort: Int, adminPort: Int, endpointPort: Int, log: URL, http2: Bool) -> String {
        var cluster = TCPAccessLogBootstrap.cluster("blackhole", ports: [endpointPort],
                                                    thresholds: http2 ? ["max_pending_requests": 1] : ["max_connections": 1, "max_pending_requests": 10])
        cluster["connect_timeout"] = "0.5s"
        if http2 {
            cluster["typed_extension_protocol_options"] = ["envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                "explicit_http_config": ["http2_protocol_options": [String: Any]()],
            ]]
        }
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

    /// The details and transport failure reason Envoy 1.40 logs for a connect timeout
    /// (no reason) and for an overflow.
    static let timeout = "upstream_reset_before_response_started{connection_timeout} -"
    static let overflow = "upstream_reset_before_response_started{overflow} -"

    typealias Outcome = (statuses: [String: String], elapsed: TimeInterval, lines: [String], counters: [String: String])

    /// Three requests 100 ms apart through both data planes to the blackholed cluster.
    static func run(_ name: String, http2: Bool) async throws -> (envoy: Outcome, ours: Outcome)? {
        let blackhole = try BlackholeListener()
        defer { blackhole.close() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-\(name)-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var admin: [Int: Int] = [:]
        func log(_ port: Int) -> URL { directory.appendingPathComponent("purge-\(port).log") }
        let clients = ["/a", "/b", "/c"].enumerated().map {
            CircuitBreakerDifferentialTests.Client(path: $0.element, atMs: $0.offset * 100)
        }
        return try await DifferentialRun.throughBoth(name, envoyArguments: ["--file-flush-interval-msec", "100"], bootstrap: { port in
            admin[port] = try! DifferentialRun.freePort()
            return Self.bootstrap(listenPort: port, adminPort: admin[port]!, endpointPort: blackhole.port, log: log(port), http2: http2)
        }, exchange: { port -> Outcome in
            let start = Date()
            let statuses = CircuitBreakerDifferentialTests.run(clients, port: port)
            let elapsed = Date().timeIntervalSince(start)
            let lines = CircuitBreakerDifferentialTests.logLines(log(port), expected: 3)
            return (statuses.mapValues { String($0.prefix(3)) }, elapsed, lines,
                    try AdminCounters.read(adminPort: admin[port]!, names: Self.counterNames))
        })
    }

    @Test func aFailedConnectFailsTheQueuedRequestsWithIt() async throws {
        guard DifferentialRun.envoyBinary() != nil, let (fromEnvoy, fromUs) = try await Self.run("connect-purge", http2: false) else { return }
        print("connect purge (Envoy): \(fromEnvoy)")
        print("connect purge (ours):  \(fromUs)")

        // Envoy: all three fail with the first connect, well before a second timeout.
        #expect(fromEnvoy.statuses == ["/a": "503", "/b": "503", "/c": "503"])
        #expect(fromEnvoy.elapsed < 0.9)
        #expect(fromEnvoy.lines == ["/a 503 UF \(Self.timeout)", "/b 503 UF \(Self.timeout)", "/c 503 UF \(Self.timeout)"])
        #expect(fromEnvoy.counters["cluster.blackhole.upstream_rq_pending_failure_eject"] == "3")

        #expect(fromUs.statuses == fromEnvoy.statuses)
        #expect(fromUs.elapsed < 0.9)
        #expect(fromUs.lines == fromEnvoy.lines)
        #expect(fromUs.counters == fromEnvoy.counters)
    }

    @Test func anHTTP2ConnectionHoldsItsRequestsPendingUntilItIsUp() async throws {
        guard DifferentialRun.envoyBinary() != nil, let (fromEnvoy, fromUs) = try await Self.run("h2-pending", http2: true) else { return }
        print("h2 pending (Envoy): \(fromEnvoy)")
        print("h2 pending (ours):  \(fromUs)")

        // Envoy: one pending request while the connection connects; the others overflow.
        #expect(fromEnvoy.statuses == ["/a": "503", "/b": "503", "/c": "503"])
        #expect(fromEnvoy.lines == ["/a 503 UF \(Self.timeout)", "/b 503 UO \(Self.overflow)", "/c 503 UO \(Self.overflow)"])
        #expect(fromEnvoy.counters["cluster.blackhole.upstream_rq_pending_overflow"] == "2")

        #expect(fromUs.statuses == fromEnvoy.statuses)
        #expect(fromUs.lines == fromEnvoy.lines)
        #expect(fromUs.counters == fromEnvoy.counters)
    }
}
