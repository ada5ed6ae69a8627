import Foundation
import MeshLocal
import Testing

/// Control plane + stock Envoy + demo apps on loopback: what a client sees.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct RoutingIntegrationTests {
    typealias App = ReviewsMesh.App

    @Test(arguments: DataPlane.allCases) func weightedSplitEightyTwenty(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)], routing: ReviewsMesh.virtualService("""
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 80
            - destination: {host: reviews, subset: v2}
              weight: 20
        """))
        defer { mesh.stop() }
        let tally = mesh.servedBy(1_000)
        print("weighted 80/20 over 1000 requests: \(tally)")
        #expect((760...840).contains(tally["reviews-v1"] ?? 0), "\(tally)")
        #expect((160...240).contains(tally["reviews-v2"] ?? 0), "\(tally)")
    }

    @Test(arguments: DataPlane.allCases) func headerMatchRoutesJasonToV2(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)], routing: ReviewsMesh.virtualService("""
          - match: [{headers: {end-user: {exact: jason}}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        #expect(mesh.servedBy(20, headers: ["end-user": "jason"]) == ["reviews-v2": 20])
        #expect(mesh.servedBy(20, headers: ["end-user": "alice"]) == ["reviews-v1": 20])
        #expect(mesh.servedBy(20) == ["reviews-v1": 20])
    }

    @Test(arguments: DataPlane.allCases) func uriPrefixExactRegexAndQueryMatches(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3), App(version: "v3", host: 4)], routing: ReviewsMesh.virtualService("""
          - match: [{uri: {exact: /exact}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - match: [{uri: {regex: "/items/[0-9]+"}}]
            route: [{destination: {host: reviews, subset: v3}}]
          - match: [{uri: {prefix: /api}, queryParams: {beta: {exact: "1"}}}]
            route: [{destination: {host: reviews, subset: v3}}]
          - match: [{uri: {prefix: /api}}]
            route: [{destination: {host: reviews, subset: v2}}]
          - route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        func version(_ path: String) -> String? { mesh.get(path)?.headers["x-served-by"] }
        #expect(version("/exact") == "reviews-v2")
        #expect(version("/exact/more") == "reviews-v1")
        #expect(version("/items/42") == "reviews-v3")
        #expect(version("/items/abc") == "reviews-v1")
        #expect(version("/api/list?beta=1") == "reviews-v3")
        #expect(version("/api/list") == "reviews-v2")
        #expect(version("/other") == "reviews-v1")
    }

    @Test(arguments: DataPlane.allCases) func faultAbortHalfAndDelayOneSecond(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: ReviewsMesh.virtualService("""
          - match: [{uri: {prefix: /slow}}]
            fault: {delay: {fixedDelay: 1s, percentage: {value: 100}}}
            route: [{destination: {host: reviews, subset: v1}}]
          - fault: {abort: {httpStatus: 503, percentage: {value: 50}}}
            retries: {attempts: 0}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        var aborted = 0
        var abortBody: String?
        for _ in 0..<1_000 {
            guard let response = mesh.get(), response.status == 503 else { continue }
            aborted += 1
            abortBody = response.body
        }
        print("fault abort 50% (\(plane)): \(aborted) of 1000 aborted")
        #expect((450...550).contains(aborted))
        #expect(abortBody == "fault filter abort")
        let start = Date()
        let slow = mesh.get("/slow")
        let elapsed = Date().timeIntervalSince(start)
        print("fault delay 1s: answered \(slow?.status ?? 0) after \(Int(elapsed * 1000)) ms")
        #expect(slow?.status == 200)
        #expect(elapsed >= 0.95 && elapsed < 3, "delay took \(elapsed)s")
    }

    @Test(arguments: DataPlane.allCases) func timeoutGives504(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2, extra: ["--delay", "1s"])], routing: ReviewsMesh.virtualService("""
          - timeout: 500ms
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        let start = Date()
        let response = mesh.get()
        let elapsed = Date().timeIntervalSince(start)
        #expect(response?.status == 504)
        #expect(elapsed >= 0.45 && elapsed < 0.95, "timed out after \(elapsed)s")
    }

    @Test(arguments: DataPlane.allCases) func retriesMaskAThirtyPercentFailingUpstream(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2, extra: ["--fail-ratio", "0.3", "--fail-status", "503"])],
                                   routing: ReviewsMesh.virtualService("""
          - match: [{headers: {x-no-retry: {exact: "1"}}}]
            retries: {attempts: 0}
            route: [{destination: {host: reviews, subset: v1}}]
          - retries: {attempts: 3, retryOn: 5xx}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        var failedWithout = 0
        for _ in 0..<300 where mesh.get(headers: ["x-no-retry": "1"])?.status != 200 { failedWithout += 1 }
        var succeeded = 0
        for _ in 0..<1_000 where mesh.get()?.status == 200 { succeeded += 1 }
        print("30% failing upstream: without retries \(failedWithout)/300 failed; with 3 retries \(succeeded)/1000 succeeded")
        #expect(failedWithout > 45)
        // Four tries all failing: 0.3^4 = 0.8 % expected, so about 99.2 % succeed.
        #expect(succeeded >= 985)
    }

    @Test(arguments: DataPlane.allCases) func redirectRewriteDirectResponseAndHeaders(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: ReviewsMesh.virtualService("""
          - match: [{uri: {exact: /old}}]
            redirect: {uri: /new, redirectCode: 301}
          - match: [{uri: {prefix: /v1/}}]
            rewrite: {uri: /internal/}
            route: [{destination: {host: reviews, subset: v1}}]
          - match: [{uri: {exact: /ping}}]
            directResponse: {status: 418, body: {string: teapot}}
          - headers:
              request: {set: {x-mesh: swift}, remove: [x-secret]}
              response: {set: {x-route: default}, remove: [x-served-by]}
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        let redirect = mesh.get("/old")
        #expect(redirect?.status == 301)
        #expect(redirect?.headers["location"]?.hasSuffix("/new") == true)
        #expect(mesh.get("/v1/items")?.body.contains("\"path\":\"/internal/items\"") == true)
        let teapot = mesh.get("/ping")
        #expect(teapot?.status == 418)
        #expect(teapot?.body == "teapot")
        let plain = mesh.get("/x", headers: ["x-secret": "hide"])
        #expect(plain?.body.contains("\"x-mesh\":\"swift\"") == true)
        #expect(plain?.body.contains("x-secret") == false)
        #expect(plain?.headers["x-route"] == "default")
        #expect(plain?.headers["x-served-by"] == nil)
    }

    @Test(arguments: DataPlane.allCases) func corsPreflightAndResponseHeaders(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: ReviewsMesh.virtualService("""
          - corsPolicy:
              allowOrigins: [{exact: "https://shop.example.com"}]
              allowMethods: [GET, POST]
              allowHeaders: [x-custom]
              exposeHeaders: [x-served-by]
              maxAge: 24h
              allowCredentials: true
            route: [{destination: {host: reviews, subset: v1}}]
        """))
        defer { mesh.stop() }
        let preflight = HTTPProbe.request("OPTIONS", mesh.harness.address(mesh.clientHost), 9080, path: "/",
                                          headers: ["Host": "reviews", "Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST"])
        #expect(preflight?.status == 200)
        #expect(preflight?.headers["access-control-allow-origin"] == "https://shop.example.com")
        #expect(preflight?.headers["access-control-allow-methods"] == "GET,POST")
        #expect(preflight?.headers["access-control-allow-headers"] == "x-custom")
        #expect(preflight?.headers["access-control-max-age"] == "86400")
        #expect(preflight?.headers["access-control-allow-credentials"] == "true")
        #expect(preflight?.headers["x-served-by"] == nil, "answered by the proxy, not the app")
        let actual = mesh.get(headers: ["Origin": "https://shop.example.com"])
        #expect(actual?.status == 200)
        #expect(actual?.headers["access-control-allow-origin"] == "https://shop.example.com")
        #expect(actual?.headers["access-control-expose-headers"] == "x-served-by")
        let other = mesh.get(headers: ["Origin": "https://evil.example.com"])
        #expect(other?.status == 200)
        #expect(other?.headers["access-control-allow-origin"] == nil)
    }

    @Test(arguments: DataPlane.allCases) func registryOnlyBlocksUnknownHosts(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        #expect(mesh.get()?.status == 200)
        #expect(mesh.get(host: "unknown.example.com")?.status == 502)
    }

    @Test(arguments: DataPlane.allCases) func liveChangeTakesEffectAndInvalidConfigKeepsTheLastGood(_ plane: DataPlane) throws {
        let toV1 = ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]")
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)], routing: toV1)
        defer { mesh.stop() }
        #expect(mesh.servedBy(10) == ["reviews-v1": 10])
        let start = Date()
        try mesh.harness.write("routing.yaml", ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v2}}]"))
        try mesh.harness.waitUntil("v2 serving", timeout: 10) { mesh.get()?.headers["x-served-by"] == "reviews-v2" }
        let elapsed = Date().timeIntervalSince(start)
        print("live change: VirtualService edit to effect in \(Int(elapsed * 1000)) ms (target < 1000 ms, debounce 100 ms)")
        // The control plane measured it too (istiod's pilot_proxy_convergence_time).
        let metrics = HTTPProbe.get("127.0.0.1", mesh.harness.httpPort, path: "/metrics")?.body ?? ""
        let converged = metrics.split(separator: "\n").first { $0.hasPrefix("pilot_proxy_convergence_time_count ") }
        #expect((converged.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0) >= 1, "\(converged ?? "no convergence count")")
        #expect(elapsed < 3)
        try mesh.harness.write("routing.yaml", ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]\n    timeout: forever"))
        try mesh.harness.waitUntil("rejection logged", timeout: 10) { mesh.harness.log("control-plane").contains("config rejected") }
        Thread.sleep(forTimeInterval: 0.5)
        #expect(mesh.servedBy(10) == ["reviews-v2": 10], "the last good config stays in force")
        #expect(mesh.harness.log("control-plane").contains("spec.http[0].timeout"))
    }
}

@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct ControlPlaneHTTPTests {
    @Test func proxyStatusMetricsAndDebugEndpoints() throws {
        let mesh = try ReviewsMesh(apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let port = mesh.harness.httpPort
        #expect(port > 0)
        #expect(HTTPProbe.get("127.0.0.1", port, path: "/ready")?.status == 200)
        let metrics = HTTPProbe.get("127.0.0.1", port, path: "/metrics")?.body ?? ""
        #expect(metrics.contains("pilot_xds{version=\"swiftmesh\"} 1"))
        #expect(metrics.contains("pilot_xds_pushes{type=\"cds\"}"))
        #expect(metrics.contains("pilot_total_xds_rejects 0"))
        #expect(metrics.contains("pilot_xds_push_time_bucket{type=\"cds\",le=\"0.01\"}"))
        #expect(metrics.contains("pilot_proxy_convergence_time_bucket{le=\"+Inf\"}"))
        let registry = HTTPProbe.get("127.0.0.1", port, path: "/debug/registryz")?.body ?? ""
        #expect(registry.contains("reviews.default.svc.cluster.local"))
        let dump = HTTPProbe.get("127.0.0.1", port, path: "/debug/config_dump?proxyID=client.default")
        #expect(dump?.status == 200)
        #expect(dump?.body.contains("outbound|9080|v1|reviews.default.svc.cluster.local") == true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MeshHarness.swiftmesh)
        process.arguments = ["proxy-status", "--control-plane", "127.0.0.1:\(port)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("NAME"))
        #expect(output.contains("client.default"))
        #expect(output.contains("SYNCED"), "\(output)")
    }
}

@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct DeltaXDSIntegrationTests {
    @Test(arguments: DataPlane.allCases) func deltaClientRoutesAndFollowsChanges(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [ReviewsMesh.App(version: "v1", host: 2), ReviewsMesh.App(version: "v2", host: 3)],
                                   routing: ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v1}}]"), delta: true)
        defer { mesh.stop() }
        #expect(mesh.servedBy(10) == ["reviews-v1": 10])
        try mesh.harness.write("routing.yaml", ReviewsMesh.virtualService("  - route: [{destination: {host: reviews, subset: v2}}]"))
        try mesh.harness.waitUntil("v2 over delta xDS", timeout: 10) { mesh.get()?.headers["x-served-by"] == "reviews-v2" }
        #expect(mesh.stat("cluster_manager.cds.update_rejected") == 0)
    }
}
