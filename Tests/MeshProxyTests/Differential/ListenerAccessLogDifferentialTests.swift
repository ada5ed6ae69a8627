import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// The listener-level access log through stock Envoy 1.40 and `swiftmesh proxy`
/// with the same bootstrap (ListenerAccessLogBootstrap): connections no filter
/// chain takes - a ClientHello for another name, plaintext where only a TLS name
/// matches, a destination port no chain has - are closed and logged with NR and
/// `filter_chain_not_found` in Istio's text format and JSON labels (behind
/// istiod's NR filter); one the listener filter timeout closes and one a chain
/// serves appear only in the unfiltered log. What the client sees (closed or
/// reset) and the lines are compared field by field; start times, durations (to
/// their class) and ports each proxy has of its own are normalised (AccessLogLines).
/// Skipped without an Envoy binary.
@Suite(.serialized) struct ListenerAccessLogDifferentialTests {
    typealias Match = ListenerAccessLogBootstrap.Match

    struct Scenario {
        let name: String
        let match: Match
        /// What the client sends before it waits for the proxy to close.
        let send: [UInt8]
        /// Envoy's flags in the unfiltered log; NR ones also in the filtered logs.
        let flags: String
    }

    static let scenarios: [Scenario] = [
        // First: the listen port DifferentialRun probes (its probe logs an NR line first).
        Scenario(name: "otherPort", match: .otherPort, send: [], flags: "NR"),
        Scenario(name: "otherName", match: .serverName, send: PassthroughDifferentialTests.clientHello("Bar.Example.com"), flags: "NR"),
        Scenario(name: "plaintext", match: .serverName, send: Array("hello\r\n".utf8), flags: "NR"),
        Scenario(name: "served", match: .serverName, send: PassthroughDifferentialTests.clientHello("foo.example.com"), flags: "UF,URX"),
        Scenario(name: "stalled", match: .serverNameWithTimeout, send: Array(PassthroughDifferentialTests.clientHello("foo.example.com").prefix(10)),
                 flags: "-"),
    ]

    /// "closed" (EOF), "reset", or what came back before either.
    static func outcome(port: Int, send bytes: [UInt8]) throws -> String {
        guard let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 4) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        if !bytes.isEmpty { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        var chunk = [UInt8](repeating: 0, count: 256)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count == 0 { return "closed" }
        if count < 0 { return errno == ECONNRESET ? "reset" : "no close (errno \(errno))" }
        return "received \(count) bytes"
    }

    struct Logs {
        var text: [String: [String]] = [:]
        var json: [String: [String: String]] = [:]
        var all: [String: [String]] = [:]
    }

    /// The three files once each has its scenarios' lines (flushed within a
    /// second; Envoy's flush interval is set so).
    static func readLogs(_ bootstrap: ListenerAccessLogBootstrap, port: Int) -> Logs {
        let ports = bootstrap.ports[port]!
        let noChain = scenarios.filter { $0.flags == "NR" }.count
        var logs = Logs()
        for _ in 0..<60 {
            logs.text = AccessLogLines.text(AccessLogLines.lines(bootstrap.textLog(port)), ports)
            logs.json = AccessLogLines.json(AccessLogLines.objects(bootstrap.jsonLog(port)), ports)
            logs.all = AccessLogLines.text(AccessLogLines.lines(bootstrap.allLog(port)), ports)
            if logs.text.count >= noChain, logs.json.count >= noChain, logs.all.count >= scenarios.count { break }
            usleep(100_000)
        }
        return logs
    }

    @Test func envoyAndSwiftMeshLogConnectionsNoChainTakesAlike() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-listener-access-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrap = ListenerAccessLogBootstrap(directory: directory, closedPort: try DifferentialRun.freePort())
        let table = Self.scenarios.map { ($0.name, $0.match) }
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("listener-access-log", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { bootstrap.json(listenPort: $0, scenarios: table) }, exchange: { port in
            let ports = bootstrap.ports[port]!
            let seen = try Self.scenarios.map { try Self.outcome(port: ports[$0.name]!, send: $0.send) }
            return (seen, Self.readLogs(bootstrap, port: port))
        }) else { return }
        for (index, scenario) in Self.scenarios.enumerated() {
            print("listener access log \(scenario.name) (Envoy): \(fromEnvoy.0[index]) \(fromEnvoy.1.all[scenario.name]?.joined(separator: " ") ?? "none")")
            print("listener access log \(scenario.name) (ours):  \(fromUs.0[index]) \(fromUs.1.all[scenario.name]?.joined(separator: " ") ?? "none")")
        }

        // What Envoy does, checked first so the comparison means something.
        let noChain = Set(Self.scenarios.filter { $0.flags == "NR" }.map(\.name))
        #expect(Set(fromEnvoy.1.text.keys) == noChain, "istiod's NR filter keeps only connections no chain took")
        #expect(Set(fromEnvoy.1.json.keys) == noChain)
        #expect(fromEnvoy.1.all.mapValues { $0[5] } == Dictionary(uniqueKeysWithValues: Self.scenarios.map { ($0.name, $0.flags) }))
        #expect(fromEnvoy.1.text["otherName"]?[6] == "filter_chain_not_found")
        #expect(fromEnvoy.1.text["otherName"]?[22] == "bar.example.com")
        #expect(fromEnvoy.1.json["plaintext"]?["requested_server_name"] == "null")
        #expect(fromEnvoy.0[Self.scenarios.firstIndex { $0.name == "otherPort" }!] == "closed")

        for (index, scenario) in Self.scenarios.enumerated() {
            #expect(fromUs.0[index] == fromEnvoy.0[index], "\(scenario.name): client saw \(fromUs.0[index]) vs Envoy's \(fromEnvoy.0[index])")
            for (log, envoyLines, ourLines) in [("text", fromEnvoy.1.text, fromUs.1.text), ("all", fromEnvoy.1.all, fromUs.1.all)] {
                let envoyLine = envoyLines[scenario.name] ?? [], ourLine = ourLines[scenario.name] ?? []
                #expect(ourLine == envoyLine, "\(scenario.name) \(log): ours \(ourLine) vs Envoy \(envoyLine)")
            }
            let envoyJSON = fromEnvoy.1.json[scenario.name] ?? [:], ourJSON = fromUs.1.json[scenario.name] ?? [:]
            for key in Set(envoyJSON.keys).union(ourJSON.keys).sorted() {
                #expect(ourJSON[key] == envoyJSON[key], "\(scenario.name) JSON \(key): ours \(ourJSON[key] ?? "absent") vs Envoy \(envoyJSON[key] ?? "absent")")
            }
        }
        #expect(Set(fromUs.1.text.keys) == Set(fromEnvoy.1.text.keys))
    }
}
