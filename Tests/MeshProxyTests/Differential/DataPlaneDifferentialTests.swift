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
        ("wildcard host", "GET / HTTP/1.1\r\nHost: a.wild.example\r\n\r\n", []),
        ("no route", "GET / HTTP/1.1\r\nHost: other\r\n\r\n", []),
        ("direct response", "GET /direct HTTP/1.1\r\nHost: svc\r\n\r\n", ["content-type"]),
        ("exact path with query", "GET /direct?q=1 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("redirect", "GET /redirect/page?q=1 HTTP/1.1\r\nHost: svc:8080\r\n\r\n", ["location"]),
        ("rewrite and headers", "GET /rewrite/a/b HTTP/1.1\r\nHost: svc\r\nX-Added: old\r\nX-Removed: 1\r\n\r\n", ["x-resp", "x-drop-me", "x-upstream"]),
        ("header match", "GET /header HTTP/1.1\r\nHost: svc\r\nX-User: jason\r\n\r\n", []),
        ("header mismatch", "GET /header HTTP/1.1\r\nHost: svc\r\nX-User: Jason\r\n\r\n", []),
        ("query match", "GET /query?a=1&v=2 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("query mismatch", "GET /query?v=3 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("regex", "GET /users/42 HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("regex mismatch", "GET /users/42/x HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("case-insensitive prefix", "GET /caseless/x HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("unknown cluster", "GET /nocluster HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("no endpoints", "GET /empty HTTP/1.1\r\nHost: svc\r\n\r\n", []),
        ("HTTP/1.0 with host", "GET /ten HTTP/1.0\r\nHost: svc\r\n\r\n", []),
        ("chunked request body", "POST /body HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n", []),
        ("content-length and chunked", "POST / HTTP/1.1\r\nHost: svc\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", []),
        ("bad header name", "GET / HTTP/1.1\r\nHost: svc\r\nBad Header: x\r\n\r\n", []),
        ("missing host", "GET / HTTP/1.1\r\n\r\n", []),
        ("absolute-form target", "GET http://svc/abs HTTP/1.1\r\nHost: other\r\n\r\n", []),
        ("unsupported transfer coding", "POST / HTTP/1.1\r\nHost: svc\r\nTransfer-Encoding: gzip\r\n\r\n", []),
        ("headers too large", "GET / HTTP/1.1\r\nHost: svc\r\nX-Big: " + String(repeating: "a", count: 70 * 1024) + "\r\n\r\n", []),
    ]

    static func envoyBinary() -> String? {
        if let path = ProcessInfo.processInfo.environment["ENVOY_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let lib = root.appendingPathComponent(".venv/lib")
        for version in (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? [] {
            let candidate = lib.appendingPathComponent("\(version)/site-packages/envoy/_bin/envoy").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForListener(_ port: Int) async throws {
        for _ in 0..<200 {
            if (try? RawExchange.probe(port: port)) == true { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }

    func run(_ port: Int) throws -> [RawExchange] {
        try Self.scenarios.map { try RawExchange.send($0.request, port: port) }
    }

    @Test func envoyAndSwiftMeshAgree() async throws {
        guard let envoy = Self.envoyBinary() else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await EchoUpstream.start(group: group)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-differential-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // Stock Envoy.
        let envoyPort = try Self.freePort()
        let envoyConfig = directory.appendingPathComponent("envoy.json")
        try DifferentialBootstrap.json(listenPort: envoyPort, upstreamPort: upstream.localAddress!.port!).write(to: envoyConfig, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: envoy)
        process.arguments = ["-c", envoyConfig.path, "--concurrency", "1", "--disable-hot-restart", "--log-level", "critical"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            // SIGKILL: a child spawned from a test thread inherits a signal mask that
            // can block SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try await Self.waitForListener(envoyPort)
        let fromEnvoy = try run(envoyPort)

        // swiftmesh proxy, in process, on the same bootstrap.
        let ourPort = try Self.freePort()
        let ourConfig = directory.appendingPathComponent("swiftmesh.json")
        try DifferentialBootstrap.json(listenPort: ourPort, upstreamPort: upstream.localAddress!.port!).write(to: ourConfig, atomically: true, encoding: .utf8)
        let proxy = Task { try await ProxyProcess.run(ProxyOptions(bootstrapPath: ourConfig.path)) { _ in } }
        try await Self.waitForListener(ourPort)
        let fromUs = try run(ourPort)
        proxy.cancel()
        _ = await proxy.result

        for (index, scenario) in Self.scenarios.enumerated() {
            let envoy = fromEnvoy[index], ours = fromUs[index]
            #expect(ours.status == envoy.status, "\(scenario.name): status \(ours.status) vs Envoy's \(envoy.status)")
            // Bodies: the upstream's echo (what it received) and local replies' text.
            #expect(ours.body == envoy.body, "\(scenario.name): body \(ours.body) vs Envoy's \(envoy.body)")
            for header in scenario.headers {
                #expect(ours.headers[header] == envoy.headers[header], "\(scenario.name): \(header) \(ours.headers[header] ?? "-") vs Envoy's \(envoy.headers[header] ?? "-")")
            }
        }
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}

extension RawExchange {
    /// Whether something accepts connections on the port.
    static func probe(port: Int) throws -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
