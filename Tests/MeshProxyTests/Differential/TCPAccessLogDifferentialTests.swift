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
/// to the refusing upstream, for the router's details), circuit breakers
/// (max_connections, max_pending_requests during a connect timeout) and
/// max_connect_attempts (retried on another host, used up), compared
/// field by field, and the clusters' overflow counters. Start times, durations
/// (to the class: short or about 1 s) and the ports that are each proxy's own
/// are normalised. Skipped without an Envoy binary.
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

    /// One connection per scenario, in order, each until the proxy closes it; a
    /// scenario that needs a full cluster runs while its `heldOpen` one is open.
    static func exchange(_ ports: [Scenario: Int]) throws -> [Scenario: String] {
        var seen: [Scenario: String] = [:]
        let holders = Set(Scenario.allCases.compactMap(\.heldOpen))
        for scenario in Scenario.allCases where !holders.contains(scenario) {
            var held: Int32?
            if let holder = scenario.heldOpen {
                held = try connect(ports[holder]!)
                if holder == .overflowHolder { TCPSessionDifferentialTests.send(held!, "x") }
                // Connected upstream (or connecting, to the blackhole) before the next one comes.
                usleep(300_000)
            }
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
            case .refused, .noEndpoint, .noCluster, .overflow, .pendingOverflow, .attemptsUsed, .overflowHolder, .timeout:
                break
            case .retryProbe:
                // The pair's round robin alternates between its refusing and its
                // serving host from a random start: probe with one attempt until a
                // probe is served, so that the retried connection's first pick refuses.
                shutdown(fd, Int32(SHUT_WR))
                var reply = TCPSessionDifferentialTests.readToEOF(fd)
                for _ in 0..<4 where reply.isEmpty {
                    let probe = try connect(ports[scenario]!)
                    shutdown(probe, Int32(SHUT_WR))
                    reply = TCPSessionDifferentialTests.readToEOF(probe)
                    close(probe)
                }
                seen[scenario] = reply
                continue
            case .clientLeft:
                // Gone while the connect hangs; its line comes when the connect times out.
                usleep(200_000)
                seen[scenario] = ""
                continue
            case .retried:
                TCPSessionDifferentialTests.send(fd, "again")
                shutdown(fd, Int32(SHUT_WR))
            case .httpRefused:
                TCPSessionDifferentialTests.send(fd, "GET /x HTTP/1.1\r\nHost: svc\r\nConnection: close\r\n\r\n")
            case .denied:
                // Both connect upstream when the client connects; RBAC acts on the first bytes.
                usleep(200_000)
                TCPSessionDifferentialTests.send(fd, "hello")
            }
            seen[scenario] = TCPSessionDifferentialTests.readToEOF(fd)
            if let held, let holder = scenario.heldOpen {
                if holder == .overflowHolder { shutdown(held, Int32(SHUT_WR)) }
                seen[holder] = TCPSessionDifferentialTests.readToEOF(held)
                close(held)
            }
        }
        return seen
    }

    /// The clusters' circuit-breaker and connect-attempt counters from the admin's `/stats`
    /// (not the pair's: how many probes failed depends on the round robin's random start).
    static let counterNames = [
        "cluster.limited.upstream_cx_overflow", "cluster.blackhole.upstream_rq_pending_overflow",
        "cluster.blackhole.upstream_cx_connect_attempts_exceeded", "cluster.closed.upstream_cx_connect_attempts_exceeded",
        "cluster.limited.upstream_cx_connect_attempts_exceeded",
    ]

    static func counters(adminPort: Int) throws -> [String: String] {
        try AdminCounters.read(adminPort: adminPort, names: Set(counterNames))
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
        let blackhole = try BlackholeListener()
        defer { blackhole.close() }
        let bootstrap = TCPAccessLogBootstrap(directory: directory, upstreamPort: upstream.localAddress!.port!, closedPort: try DifferentialRun.freePort(),
                                              blackholePort: blackhole.port)
        guard let (fromEnvoy, fromUs) = try await DifferentialRun.throughBoth("tcp-access-log", envoyArguments: ["--file-flush-interval-msec", "100"],
                                                                             bootstrap: { bootstrap.json(listenPort: $0) }, exchange: { port in
            let ports = bootstrap.ports[port]!
            let seen = try Self.exchange(ports)
            let logs = Self.readLogs(bootstrap, port: port, ports: ports)
            return (seen, logs.text, logs.json, try Self.counters(adminPort: bootstrap.adminPorts[port]!))
        }) else { return }
        for scenario in Scenario.allCases.map(\.rawValue) {
            print("tcp access log \(scenario) (Envoy): \(fromEnvoy.1[scenario]?.joined(separator: " ") ?? "none")")
            print("tcp access log \(scenario) (ours):  \(fromUs.1[scenario]?.joined(separator: " ") ?? "none")")
        }

        // What Envoy does, checked first so the comparison means something.
        #expect(fromEnvoy.0[.served] == "received 5 bytes: hello")
        let flags = fromEnvoy.1.mapValues { $0[5] }
        #expect(flags == ["served": "-", "refused": "UF,URX", "noEndpoint": "UH", "noCluster": "NC", "maxDuration": "DT", "idle": "-", "sni": "-",
                           "denied": "-", "httpRefused": "UF", "overflowHolder": "-", "overflow": "UO", "timeout": "UF,URX", "pendingOverflow": "URX",
                           "retryProbe": "-", "retried": "UF", "attemptsUsed": "UF,URX", "clientLeft": "UF,URX"])
        #expect(fromEnvoy.1["clientLeft"]?[11] == "~1s")
        #expect(fromEnvoy.0[.overflowHolder] == "received 1 bytes: x")
        #expect(fromEnvoy.0[.retried] == "received 5 bytes: again")
        // Envoy 1.40 gives a connect timeout no failure reason; a retry that succeeds
        // keeps the refused attempt's, and the host is the one that served.
        #expect(fromEnvoy.1["timeout"]?[8] == "\"-\"")
        #expect(fromEnvoy.1["timeout"]?[11] == "~1s")
        #expect(fromEnvoy.1["retried"]?[8] == "\"delayed_connect_error:_Connection_refused\"")
        #expect(fromEnvoy.1["retried"]?[17] == "\"127.0.0.1:\(bootstrap.upstreamPort)\"")
        #expect(fromEnvoy.1["overflow"]?[17...18].joined(separator: " ") == "\"-\" limited")
        #expect(fromEnvoy.1["pendingOverflow"]?[17] == "\"-\"")
        #expect(fromEnvoy.3 == ["cluster.limited.upstream_cx_overflow": "1", "cluster.blackhole.upstream_rq_pending_overflow": "1",
                                "cluster.blackhole.upstream_cx_connect_attempts_exceeded": "2", "cluster.closed.upstream_cx_connect_attempts_exceeded": "2",
                                "cluster.limited.upstream_cx_connect_attempts_exceeded": "0"])
        #expect(fromEnvoy.1["denied"]?[7] == "rbac_access_denied_matched_policy[ns[default]-policy[deny-all]-rule[0]]")
        #expect(fromEnvoy.1["served"]?[1...4].joined(separator: " ") == "\"- - -\" 0")
        #expect(fromEnvoy.1["refused"]?[8] == "\"delayed_connect_error:_Connection_refused\"")
        #expect(fromEnvoy.2.count == Scenario.allCases.count)

        for scenario: Scenario in [.served, .overflowHolder, .overflow, .timeout, .pendingOverflow, .retryProbe, .retried, .attemptsUsed] {
            #expect(fromUs.0[scenario] == fromEnvoy.0[scenario], "\(scenario) reply")
        }
        #expect(fromUs.3 == fromEnvoy.3)
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
