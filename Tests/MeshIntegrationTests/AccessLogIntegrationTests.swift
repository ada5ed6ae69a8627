import Foundation
import MeshLocal
import Testing

/// Istio's Telemetry API access logging on both data planes with identical config:
/// an `envoyFileAccessLog` provider with JSON labels and a CEL filter
/// (`response.code >= 400`) writes exactly the failed exchanges, with the same
/// response flags (FI, UF, NR, URX+UF, UT) on stock Envoy and our proxy.
@Suite(.serialized)
struct AccessLogIntegrationTests {
    typealias App = ReviewsMesh.App

    @Test(arguments: DataPlane.allCases) func jsonProviderWithFilterLogsOnlyFailures(_ plane: DataPlane) throws {
        let logFile = FileManager.default.temporaryDirectory.appendingPathComponent("swiftmesh-json-\(plane)-\(UUID().uuidString.prefix(8)).log")
        defer { try? FileManager.default.removeItem(at: logFile) }
        let telemetry = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: istio, namespace: istio-system}
        data:
          mesh: |
            extensionProviders:
            - name: json-file
              envoyFileAccessLog:
                path: \(logFile.path)
                logFormat:
                  labels: {code: "%RESPONSE_CODE%", flags: "%RESPONSE_FLAGS%", method: "%REQ(:METHOD)%", path: "%REQ(:PATH)%", tag: "%REQ(X-TAG)%"}
        ---
        apiVersion: telemetry.istio.io/v1
        kind: Telemetry
        metadata: {name: failures, namespace: istio-system}
        spec:
          accessLogging:
          - providers: [{name: json-file}]
            filter: {expression: "response.code >= 400 && request.headers['x-tag'] != 'quiet'"}
        """
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v3", host: 3, extra: ["--delay", "1s"])], routing: ReviewsMesh.virtualService("""
          - match: [{uri: {prefix: /fault}}]
            fault: {abort: {httpStatus: 418, percentage: {value: 100}}}
            route: [{destination: {host: reviews, subset: v1}}]
          - match: [{uri: {prefix: /down}}]
            retries: {attempts: 0}
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {prefix: /retry}}]
            retries: {attempts: 2, retryOn: connect-failure}
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {prefix: /slow}}]
            timeout: 300ms
            route: [{destination: {host: reviews, subset: v3}}]
          - match: [{uri: {prefix: /ok}}, {uri: {exact: /}}]
            route: [{destination: {host: reviews, subset: v1}}]
        """), extraConfig: telemetry + "\n---\n" + MeshYAML.reviewsEntry("v2", address: "127.0.0.2"))
        defer { mesh.stop() }
        // The config arrives with the routes; wait until the logged-fault route is in force.
        try mesh.harness.waitUntil("fault route", timeout: 20) { mesh.get("/fault")?.status == 418 }
        // Logged requests show up once flushed (within a second, as Envoy flushes).
        try mesh.harness.waitUntil("log file", timeout: 10) {
            _ = mesh.get("/fault", headers: ["x-tag": "probe"])
            return ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").contains("probe")
        }
        let before = try String(contentsOf: logFile, encoding: .utf8).split(separator: "\n").count

        let cases: [(path: String, tag: String, status: Int)] = [
            ("/ok", "ok", 200), ("/fault/a", "fault", 418), ("/down", "down", 503), ("/missing", "missing", 404),
            ("/fault/b", "quiet", 418), ("/ok?x=1", "ok2", 200), ("/retry", "retry", 503), ("/slow", "slow", 504),
        ]
        for item in cases {
            let response = mesh.get(item.path, headers: ["x-tag": item.tag])
            #expect(response?.status == item.status, "\(item.path) on \(plane)")
        }
        var lines: [[String: Any]] = []
        try mesh.harness.waitUntil("log lines", timeout: 10) {
            let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            lines = text.split(separator: "\n").dropFirst(before).compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            return lines.count >= 5
        }
        Thread.sleep(forTimeInterval: 1.2)
        let text = try String(contentsOf: logFile, encoding: .utf8)
        let all = text.split(separator: "\n").dropFirst(before).map(String.init)
        lines = all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == all.count, "every line is JSON: \(all)")
        // Probe lines from the wait above may still be flushing.
        let seen = lines.filter { ($0["tag"] as? String) != "probe" }.map { "\($0["tag"] ?? "-") \($0["code"] ?? "-") \($0["flags"] ?? "-") \($0["method"] ?? "-") \($0["path"] ?? "-")" }
        #expect(seen == ["fault 418 FI GET /fault/a", "down 503 UF GET /down", "missing 404 NR GET /missing",
                         "retry 503 URX,UF GET /retry", "slow 504 UT GET /slow"], "\(plane): \(all)")
        // Numbers stay numbers.
        #expect(lines.allSatisfy { $0["code"] is NSNumber })
    }
}
