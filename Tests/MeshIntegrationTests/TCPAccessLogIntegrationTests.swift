import Foundation
import MeshLocal
import Testing

/// MeshConfig `accessLogFile` reaches the tcp_proxy too (Istio's text format): on
/// both data planes a TCP connection through the client sidecar's bound 9090
/// listener writes one `"- - -" 0` line naming the TCP service's cluster, and a
/// TCP route to an endpoint that refuses writes `UF,URX` with the reason. HTTP
/// lines in the same file carry `%UPSTREAM_LOCAL_ADDRESS%` on both. A
/// DestinationRule's `connectionPool.tcp.maxConnections` is the TCP cluster's
/// circuit breaker on both: past it a connection is closed unconnected, `UO`.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct TCPAccessLogIntegrationTests {
    typealias App = ReviewsMesh.App

    /// The TCP lines naming `cluster` (the file also has the HTTP exchanges' lines).
    static func meshConfig(logFile: URL) -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            accessLogFile: \(logFile.path)
        """
    }

    static func lines(_ file: URL, cluster: String) -> [String] {
        ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            .filter { $0.contains("\"- - -\" 0 ") && $0.contains(" \(cluster) ") }
    }

    @Test(arguments: DataPlane.allCases) func meshAccessLogFileLogsTCPConnections(_ plane: DataPlane) throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-tcp-\(plane)-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: nil,
                                   extraConfig: MeshYAML.documents([Self.meshConfig(logFile: logFile), TCPRouteIntegrationTests.database,
                                                                    MeshYAML.reviewsEntry("v2", address: "127.0.0.2")]))
        defer { mesh.stop() }
        let client = mesh.harness.address(mesh.clientHost)
        try mesh.harness.waitUntil("tcp listener", timeout: 10) { HTTPProbe.get(client, 9090)?.headers["x-served-by"] == "reviews-v1" }
        let served = "outbound|9090||db.default.svc.cluster.local"
        var lines: [String] = []
        try mesh.harness.waitUntil("tcp log line", timeout: 20) {
            lines = Self.lines(logFile, cluster: served)
            return !lines.isEmpty
        }
        let line = try #require(lines.last)
        // `[START] "- - -" 0 - - - "-" RECEIVED SENT DURATION - "-" "-" "-" "-" "HOST" CLUSTER UPSTREAM_LOCAL LOCAL REMOTE - -`
        let fields = line.split(separator: " ").map(String.init)
        #expect(fields.count == 24, "\(plane): \(line)")
        if fields.count == 24 {
            #expect(fields[4...8] == ["0", "-", "-", "-", "\"-\""], "\(plane): \(line)")
            #expect((Int(fields[9]) ?? 0) > 0 && (Int(fields[10]) ?? 0) > 0, "bytes both ways: \(line)")
            #expect(fields[17] == "\"\(mesh.harness.address(2)):18080\"", "\(plane): \(line)")
            #expect(fields[19] != "-", "the upstream local address: \(line)")
            #expect(fields[20] == "\(client):9090", "\(plane): \(line)")
            #expect(fields[22...23] == ["-", "-"], "\(plane): \(line)")
        }

        // The HTTP lines in the same file (Istio's format) name the upstream connection's local address too.
        let http = ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.contains("outbound|9080||reviews.default.svc.cluster.local") && !$0.contains("\"-") }
        #expect(!http.isEmpty, "\(plane): HTTP lines")
        for fields in http {
            let cluster = fields.firstIndex(of: "outbound|9080||reviews.default.svc.cluster.local")!
            #expect(fields[cluster + 1].hasPrefix("127."), "\(plane): upstream local address in \(fields.joined(separator: " "))")
        }

        try mesh.harness.write("routing.yaml", """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: db, namespace: default}
        spec:
          hosts: [db.default.svc.cluster.local]
          tcp:
          - match: [{port: 9090}]
            route: [{destination: {host: reviews, subset: v2, port: {number: 9080}}}]
        """)
        let refused = "outbound|9080|v2|reviews.default.svc.cluster.local"
        try mesh.harness.waitUntil("refused tcp log line", timeout: 30) {
            _ = HTTPProbe.get(client, 9090, timeoutSeconds: 2)
            lines = Self.lines(logFile, cluster: refused)
            return !lines.isEmpty
        }
        let failed = try #require(lines.last)
        #expect(failed.contains("\"- - -\" 0 UF,URX - - \"delayed_connect_error:_Connection_refused\" 0 "), "\(plane): \(failed)")
        #expect(failed.contains("\"127.0.0.2:18080\" \(refused) - \(client):9090 "), "\(plane): \(failed)")
    }

    @Test(arguments: DataPlane.allCases) func destinationRuleMaxConnectionsOverflowsTCP(_ plane: DataPlane) throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-tcp-cb-\(plane)-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let limit = """
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: db, namespace: default}
        spec:
          host: db.default.svc.cluster.local
          trafficPolicy: {connectionPool: {tcp: {maxConnections: 1}}}
        """
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: nil,
                                   extraConfig: MeshYAML.documents([Self.meshConfig(logFile: logFile), TCPRouteIntegrationTests.database, limit]))
        defer { mesh.stop() }
        let client = mesh.harness.address(mesh.clientHost)
        try mesh.harness.waitUntil("tcp listener", timeout: 10) { HTTPProbe.get(client, 9090)?.headers["x-served-by"] == "reviews-v1" }
        // The probes' upstream connections close just after their responses.
        usleep(500_000)
        // A request whose body never comes holds the one connection for 4 s.
        let holder = Thread { _ = HTTPProbe.request("GET", client, 9090, headers: ["Content-Length": "100"], timeoutSeconds: 4) }
        holder.start()
        usleep(700_000)
        #expect(HTTPProbe.get(client, 9090, timeoutSeconds: 3) == nil, "\(plane): a second connection past maxConnections")
        let served = "outbound|9090||db.default.svc.cluster.local"
        var overflow: [String] = []
        try mesh.harness.waitUntil("UO log line", timeout: 20) {
            overflow = Self.lines(logFile, cluster: served).filter { $0.contains("\"- - -\" 0 UO ") }
            return !overflow.isEmpty
        }
        // No upstream host, nothing relayed.
        let fields = try #require(overflow.first).split(separator: " ").map(String.init)
        #expect(fields.count == 24 && fields[17] == "\"-\"" && fields[9...10] == ["0", "0"], "\(plane): \(overflow)")
    }
}
