import Foundation
import Testing

/// The authz bypass corpus (`AuthzBypassCorpus`) sent raw over sockets to stock
/// Envoy 1.40 and to `swiftmesh proxy`, both started from the same bootstrap
/// (`AuthzBypassBootstrap`). Each plane must give the status the table records
/// for Envoy, no refused request may reach the upstream, and what the upstream
/// receives for forwarded requests (the normalised request line) must be the
/// same from both planes.
@Suite(.serialized) struct AuthzBypassIntegrationTests {
    struct Observation: Equatable {
        var status: Int
        /// The request line the upstream received, nil when it received nothing.
        var upstreamLine: String?
    }

    /// Runs every case on both listeners of one proxy; keyed "listener name".
    static func observe(keepPort: Int, decodePort: Int, upstream: RecordingUpstream) -> [String: Observation] {
        var results: [String: Observation] = [:]
        for (listener, port) in [("keep", keepPort), ("decode", decodePort)] {
            for item in BypassCase.all {
                _ = upstream.take()
                let status = RawHTTPClient.status(of: item.request, port: port)
                let heads = upstream.take()
                results["\(listener) \(item.name)"] = Observation(status: status, upstreamLine: heads.first.flatMap { $0.components(separatedBy: "\r\n").first })
            }
        }
        return results
    }

    /// The corpus rows HTTP/2 can carry, over h2c: each plane's status and
    /// whether the upstream saw the request.
    static func observeHTTP2(keepPort: Int, decodePort: Int, upstream: RecordingUpstream) -> [String: Observation] {
        var results: [String: Observation] = [:]
        for (listener, port) in [("keep", keepPort), ("decode", decodePort)] {
            for item in BypassCase.all {
                guard let arguments = H2CurlClient.arguments(for: item.request, port: port) else { continue }
                _ = upstream.take()
                let status = H2CurlClient.status(arguments)
                let heads = upstream.take()
                results["\(listener) \(item.name)"] = Observation(status: status, upstreamLine: heads.first.flatMap { $0.components(separatedBy: "\r\n").first })
            }
        }
        return results
    }

    /// HTTP/2 must refuse whatever HTTP/1.1 refuses (its own answer may differ,
    /// e.g. a stream reset), and never let a refused request reach the upstream.
    static func checkHTTP2(_ results: [String: Observation], plane: String) {
        for item in BypassCase.all {
            for (listener, expected) in [("keep", item.keep), ("decode", item.decode)] {
                guard let seen = results["\(listener) \(item.name)"], expected != 200 else { continue }
                #expect(seen.upstreamLine == nil && seen.status != 200, "\(plane) h2 \(listener): \(item.name): BYPASS, \(seen)")
            }
        }
    }

    static func logLines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    static func start(_ harness: MeshHarness, _ name: String, _ executable: String, arguments: [String], ports: [Int], kill: Int32 = SIGTERM) throws {
        try harness.launch(name, executable, arguments, kill: kill)
        try harness.waitUntil("\(name) listening on \(ports)", timeout: 30) {
            ports.allSatisfy { RawHTTPClient.canConnect(port: $0) }
        }
    }

    static func check(_ results: [String: Observation], plane: String) {
        for item in BypassCase.all {
            for (listener, expected) in [("keep", item.keep), ("decode", item.decode)] {
                guard let seen = results["\(listener) \(item.name)"] else { continue }
                #expect(seen.status == expected, "\(plane) \(listener): \(item.name): status \(seen.status), expected \(expected)")
                if expected == 200 {
                    #expect(seen.upstreamLine != nil, "\(plane) \(listener): \(item.name): did not reach the upstream")
                } else {
                    #expect(seen.upstreamLine == nil, "\(plane) \(listener): \(item.name): BYPASS, the upstream received \(seen.upstreamLine ?? "")")
                }
            }
        }
    }

    @Test func corpusHasNoBypassAndBothPlanesAgree() throws {
        #expect(BypassCase.all.count * 2 >= 100)
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        let upstream = try RecordingUpstream()
        defer { upstream.close() }
        let ours = (try MeshHarness.freePort(), try MeshHarness.freePort())
        let bootstrap = harness.directory.appendingPathComponent("authz-swift.json")
        let ourLog = harness.directory.appendingPathComponent("swift-access.log").path
        try AuthzBypassBootstrap.json(keepPort: ours.0, decodePort: ours.1, upstreamPort: upstream.port, accessLog: ourLog).write(to: bootstrap, atomically: true, encoding: .utf8)
        try Self.start(harness, "swiftmesh", MeshHarness.swiftmesh,
                       arguments: ["proxy", "-c", bootstrap.path, "--concurrency", "1", "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:0"],
                       ports: [ours.0, ours.1])
        let fromUs = Self.observe(keepPort: ours.0, decodePort: ours.1, upstream: upstream)
        Self.check(fromUs, plane: "swift")
        let fromUsH2 = Self.observeHTTP2(keepPort: ours.0, decodePort: ours.1, upstream: upstream)
        #expect(fromUsH2.count >= 60)
        Self.checkHTTP2(fromUsH2, plane: "swift")

        guard let envoy = MeshHarness.envoyBinary else { return }
        let theirs = (try MeshHarness.freePort(), try MeshHarness.freePort())
        let envoyBootstrap = harness.directory.appendingPathComponent("authz-envoy.json")
        let envoyLog = harness.directory.appendingPathComponent("envoy-access.log").path
        try AuthzBypassBootstrap.json(keepPort: theirs.0, decodePort: theirs.1, upstreamPort: upstream.port, accessLog: envoyLog).write(to: envoyBootstrap, atomically: true, encoding: .utf8)
        try Self.start(harness, "envoy", envoy, arguments: ["-c", envoyBootstrap.path, "--disable-hot-restart", "-l", "warning", "--concurrency", "1",
                                                            "--file-flush-interval-msec", "50"],
                       ports: [theirs.0, theirs.1], kill: SIGKILL)
        let fromEnvoy = Self.observe(keepPort: theirs.0, decodePort: theirs.1, upstream: upstream)
        Self.check(fromEnvoy, plane: "envoy")
        let fromEnvoyH2 = Self.observeHTTP2(keepPort: theirs.0, decodePort: theirs.1, upstream: upstream)
        Self.checkHTTP2(fromEnvoyH2, plane: "envoy")
        for (key, envoySaw) in fromEnvoyH2.sorted(by: { $0.key < $1.key }) {
            #expect(fromUsH2[key] == envoySaw, "h2 \(key): swift \(fromUsH2[key].map { "\($0)" } ?? "-") vs envoy \(envoySaw)")
        }
        // The access logs agree line by line (status, flags, details, normalised path).
        // One line per request sent (HTTP/1.1 and HTTP/2) on each plane.
        let count = 2 * BypassCase.all.count + fromUsH2.count
        try harness.waitUntil("both access logs", timeout: 10) { Self.logLines(envoyLog).count >= count && Self.logLines(ourLog).count >= count }
        let ourLines = Self.logLines(ourLog), envoyLines = Self.logLines(envoyLog)
        #expect(ourLines.count == envoyLines.count)
        for (ours, theirs) in zip(ourLines, envoyLines) where ours != theirs {
            #expect(ours == theirs, "access log: swift \(ours) vs envoy \(theirs)")
        }
        for (key, envoySaw) in fromEnvoy.sorted(by: { $0.key < $1.key }) {
            #expect(fromUs[key] == envoySaw, "\(key): swift \(fromUs[key].map { "\($0)" } ?? "-") vs envoy \(envoySaw)")
        }
    }
}
