import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import MeshProxy

/// tcp_proxy access logs through stock Envoy 1.40 and `swiftmesh proxy` with the
/// same bootstrap (TCPAccessLogBootstrap): Istio's text format and JSON labels,
/// one line per connection for a served connection, a refused connect, no
/// endpoint, no cluster, the maximum duration, the idle timeout, a TLS
/// connection matched by SNI and one network RBAC denies (and an HTTP request
/// to the refusing upstream, for the router's details), compared
/// field by field. Start times, durations (to the class: short or about 1 s)
/// and the ports that are each proxy's own are normalised. Skipped without an
/// Envoy binary.
@Suite(.serialized) struct TCPAccessLogDifferentialTests {
    typealias Scenario = TCPAccessLogBootstrap.Scenario

    static func connect(_ port: Int) throws -> Int32 {
        // The proxy may still be opening its other listeners: a refused connect logs nothing.
        for _ in 0..<40 {
            if let fd = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 4) { return fd }
            usleep(50_000)
        }
        throw POSIXError(.ECONNREFUSED)
    }

    /// One connection per scenario, in order, each until the proxy closes it.
    static func exchange(_ ports: [Scenario: Int]) throws -> [Scenario: String] {
        var seen: [Scenario: String] = [:]
        for scenario in Scenario.allCases {
            let fd = try connect(ports[scenario]!)
            defer { close(fd) }
            switch scenario {
            case .served:
                TCPSessionDifferentialTests.send(fd, "hello")
                shutdown(fd, Int32(SHUT_WR))
            case .maxDuration, .idle:
                TCPSessionDifferentialTests.send(fd, "x")
            case .sni:
                let hello = PassthroughDifferentialTests.clientHello("DB.Example.com")
                _ = hello.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                // With the FIN right behind the ClientHello, Envoy 1.40 neither proxied
                // nor logged the connection here (ours did): the FIN waits for the chain.
                usleep(300_000)
                shutdown(fd, Int32(SHUT_WR))
            case .refused, .noEndpoint, .noCluster:
                break
            case .httpRefused:
                TCPSessionDifferentialTests.send(fd, "GET /x HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n")
            case .denied:
                // Both connect upstream when the client connects; RBAC acts on the first bytes.
                usleep(200_000)
                TCPSessionDifferentialTests.send(fd, "hello")
            }
            seen[scenario] = TCPSessionDifferentialTests.readToEOF(fd)
        }
        return seen
    }

    /// The lines of both files once each has one per scenario, the served one
    /// last (lines are flushed within a second; Envoy's flush interval is set so).
    /// The readiness probe's connection (DifferentialRun) logs an earlier
    /// "served" line: the last line per scenario is kept (AccessLogLines).
    static func readLogs(_ bootstrap: TCPAccessLogBootstrap, port: Int, ports: [Scenario: Int]) -> (text: [String: [String]], json: [String: [String: String]]) {
        let names = Dictionary(uniqueKeysWithValues: ports.map { ($0.key.rawValue, $0.value) })
        var result: (text: [String: [String]], json: [String: [String: String]]) = ([:], [:])
        for _ in 0..<100 {
            result.text = AccessLogLines.text(AccessLogLines.lines(bootstrap.textLog(port)), names)
            result.json = AccessLogLines.json(AccessLogLines.objects(bootstrap.jsonLog(port)), names)
            if result.text.count == Scenario.allCases.count, result.json.count == Scenario.allCases.count, result.text["served"]?[9] == "5",
               result.json["served"]?["bytes_received"] == "number 5" {
                break
            }
            usleep(100_000)
        }
        return result
    }

    @Test func envoyAndSwiftMeshLogTCPConnectionsAlike() async throws {
        guard DifferentialRun.envoyBinary() != nil else { return }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let upstream = try await HalfCloseUpstream.start(group: group)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-tcp-access-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrap = TCPAccessLogBootstrap(directory: directory, upstreamPort: upstream.localAddress!.port!, closedPort: try DifferentialRun.freePort())
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("tcp-access-log", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { bootstrap.json(listenPort: $0) }, exchange: { port in
            let ports = bootstrap.ports[port]!
            let seen = try Self.exchange(ports)
            let logs = Self.readLogs(bootstrap, port: port, ports: ports)
            return (seen, logs.text, logs.json)
        }) else { return }
        for scenario in Scenario.allCases.map(\.rawValue) {
            print("tcp access log \(scenario) (Envoy): \(fromEnvoy.1[scenario]?.joined(separator: " ") ?? "none")")
            print("tcp access log \(scenario) (ours):  \(fromUs.1[scenario]?.joined(separator: " ") ?? "none")")
        }

        // What Envoy does, checked first so the comparison means something.
        #expect(fromEnvoy.0[.served] == "received 5 bytes: hello")
        let flags = fromEnvoy.1.mapValues { $0[5] }
        #expect(flags == ["served": "-", "refused": "UF,URX", "noEndpoint": "UH", "noCluster": "NC", "maxDuration": "DT", "idle": "-", "sni": "-",
                           "denied": "-", "httpRefused": "UF"])
        #expect(fromEnvoy.1["denied"]?[7] == "rbac_access_denied_matched_policy[ns[default]-policy[deny-all]-rule[0]]")
        #expect(fromEnvoy.1["served"]?[1...4].joined(separator: " ") == "\"- - -\" 0")
        #expect(fromEnvoy.1["refused"]?[8] == "\"delayed_connect_error:_Connection_refused\"")
        #expect(fromEnvoy.2.count == Scenario.allCases.count)

        #expect(fromUs.0[.served] == fromEnvoy.0[.served])
        for scenario in Scenario.allCases.map(\.rawValue) {
            let envoyText = fromEnvoy.1[scenario] ?? [], ourText = fromUs.1[scenario] ?? []
            #expect(ourText == envoyText, "\(scenario) text: ours \(ourText) vs Envoy \(envoyText)")
            let envoyJSON = fromEnvoy.2[scenario] ?? [:], ourJSON = fromUs.2[scenario] ?? [:]
            for key in Set(envoyJSON.keys).union(ourJSON.keys).sorted() {
                #expect(ourJSON[key] == envoyJSON[key], "\(scenario) JSON \(key): ours \(ourJSON[key] ?? "absent") vs Envoy \(envoyJSON[key] ?? "absent")")
            }
        }
        try await upstream.close()
        try await group.shutdownGracefully()
    }
}
