import Foundation
import MeshLocal
import Testing

@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct ResilienceIntegrationTests {
    typealias App = ReviewsMesh.App

    @Test(arguments: DataPlane.allCases) func mirrorSendsCopiesToTheShadowOnly(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3)], routing: ReviewsMesh.virtualService("""
          - route: [{destination: {host: reviews, subset: v1}}]
            mirror: {host: reviews, subset: v2}
            mirrorPercentage: {value: 100}
        """))
        defer { mesh.stop() }
        #expect(mesh.servedBy(50) == ["reviews-v1": 50], "the client sees only the primary")
        let shadow = "cluster.outbound|9080|v2|reviews.default.svc.cluster.local.upstream_rq_200"
        try mesh.harness.waitUntil("shadow copies", timeout: 5) { mesh.stat(shadow) >= 50 }
        print("mirror: shadow received \(mesh.stat(shadow)) copies of 50 requests")
    }

    @Test(arguments: DataPlane.allCases) func consistentHashKeepsAUserOnOneInstance(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3), App(version: "v3", host: 4)],
                                   routing: ReviewsMesh.virtualService("  - route: [{destination: {host: reviews}}]"),
                                   trafficPolicy: "{loadBalancer: {consistentHash: {httpHeaderName: x-user}}}")
        defer { mesh.stop() }
        var seen: Set<String> = []
        for user in 0..<12 {
            let tally = mesh.servedBy(10, headers: ["x-user": "user-\(user)"])
            #expect(tally.count == 1, "user-\(user) spread over \(tally)")
            seen.formUnion(tally.keys)
        }
        #expect(seen.count >= 2, "users should spread over instances: \(seen)")
    }

    @Test(arguments: DataPlane.allCases) func outlierDetectionEjectsAFailingEndpoint(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2), App(version: "v2", host: 3, extra: ["--fail-ratio", "1.0"])],
                                   routing: ReviewsMesh.virtualService("""
          - retries: {attempts: 0}
            route: [{destination: {host: reviews}}]
        """), trafficPolicy: "{outlierDetection: {consecutive5xxErrors: 2, interval: 1s, baseEjectionTime: 60s, maxEjectionPercent: 100}}")
        defer { mesh.stop() }
        var failures = 0
        for _ in 0..<20 where mesh.get()?.status != 200 { failures += 1 }
        let ejected = mesh.stat("cluster.outbound|9080||reviews.default.svc.cluster.local.outlier_detection.ejections_enforced_total")
        #expect(ejected >= 1)
        #expect(mesh.servedBy(50) == ["reviews-v1": 50], "after ejection only the healthy endpoint answers")
        print("outlier detection: \(failures) failures before ejection, \(ejected) ejection(s)")
    }

    @Test(arguments: DataPlane.allCases) func gatewayRoutesHTTPToTheMesh(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let harness = mesh.harness
        let port = try MeshHarness.freePort()
        try harness.write("gateway.yaml", """
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: public, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: \(port), name: http, protocol: HTTP}
            bind: \(harness.address(50))
            hosts: ["shop.example.com"]
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: public, namespace: default}
        spec:
          hosts: [shop.example.com]
          gateways: [public]
          http:
          - match: [{uri: {prefix: /reviews}}]
            rewrite: {uri: /}
            route: [{destination: {host: reviews, subset: v1, port: {number: 9080}}}]
        """)
        try harness.startProxy(plane, "gateway", nodeID: "router~\(harness.address(50))~gateway.default~default.svc.cluster.local",
                               labels: ["istio": "ingressgateway"], waitFor: ["\(harness.address(50))_\(port)"])
        var response: HTTPProbe.Response?
        try harness.waitUntil("gateway route", timeout: 10) {
            response = HTTPProbe.get(harness.address(50), port, path: "/reviews", headers: ["Host": "shop.example.com"])
            return response?.status == 200
        }
        #expect(response?.headers["x-served-by"] == "reviews-v1")
        #expect(HTTPProbe.get(harness.address(50), port, path: "/reviews", headers: ["Host": "other.example.com"])?.status == 404)
    }
}

@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "stock Envoy not installed (scripts/install-deps.sh)"))
struct TCPRouteIntegrationTests {
    static let database = """
    apiVersion: networking.istio.io/v1
    kind: ServiceEntry
    metadata: {name: db, namespace: default}
    spec:
      hosts: [db.default.svc.cluster.local]
      location: MESH_INTERNAL
      resolution: STATIC
      ports: [{name: tcp, number: 9090, protocol: TCP, targetPort: 18080}]
      workloadSelector: {labels: {app: reviews, version: v1}}
    """

    @Test(arguments: DataPlane.allCases) func tcpTrafficFollowsTheServiceThenTheTCPRoute(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [ReviewsMesh.App(version: "v1", host: 2), ReviewsMesh.App(version: "v2", host: 3)], routing: nil, extraConfig: Self.database)
        defer { mesh.stop() }
        let client = mesh.harness.address(mesh.clientHost)
        try mesh.harness.waitUntil("tcp listener", timeout: 10) { HTTPProbe.get(client, 9090)?.headers["x-served-by"] == "reviews-v1" }
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
        try mesh.harness.waitUntil("tcp route to v2", timeout: 10) { HTTPProbe.get(client, 9090)?.headers["x-served-by"] == "reviews-v2" }
        #expect((0..<10).allSatisfy { _ in HTTPProbe.get(client, 9090)?.headers["x-served-by"] == "reviews-v2" })
    }
}

extension GatewayTLSIntegrationTests {
    @Test(arguments: DataPlane.allCases) func sniPassthroughReachesATLSBackend(_ plane: DataPlane) throws {
        let mesh = try ReviewsMesh(dataPlane: plane, apps: [ReviewsMesh.App(version: "v1", host: 2)], routing: nil)
        defer { mesh.stop() }
        let harness = mesh.harness
        let certificate = harness.directory.appendingPathComponent("db-cert.pem").path
        let key = harness.directory.appendingPathComponent("db-key.pem").path
        try harness.launch("openssl-cert", "/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                                                                "-subj", "/CN=db.example.com", "-keyout", key, "-out", certificate]).waitUntilExit()
        let backendPort = try MeshHarness.freePort()
        // A TLS server that answers any request with a status page: the gateway must not
        // terminate TLS, only route by SNI.
        try harness.launch("tls-backend", "/usr/bin/openssl", ["s_server", "-accept", "\(harness.address(60)):\(backendPort)", "-cert", certificate, "-key", key, "-www", "-quiet"])
        let port = try MeshHarness.freePort()
        try harness.write("gateway.yaml", """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: db, namespace: default}
        spec:
          hosts: [db.example.com]
          location: MESH_EXTERNAL
          resolution: STATIC
          ports: [{name: tls, number: 443, protocol: TLS, targetPort: \(backendPort)}]
          endpoints: [{address: \(harness.address(60))}]
        ---
        apiVersion: networking.istio.io/v1
        kind: Gateway
        metadata: {name: passthrough, namespace: default}
        spec:
          selector: {istio: ingressgateway}
          servers:
          - port: {number: \(port), name: tls, protocol: TLS}
            bind: \(harness.address(52))
            hosts: ["db.example.com"]
            tls: {mode: PASSTHROUGH}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: db, namespace: default}
        spec:
          hosts: [db.example.com]
          gateways: [passthrough]
          tls:
          - match: [{sniHosts: [db.example.com], port: \(port)}]
            route: [{destination: {host: db.example.com, port: {number: 443}}}]
        """)
        try harness.startProxy(plane, "gateway", nodeID: "router~\(harness.address(52))~gateway.default~default.svc.cluster.local",
                               labels: ["istio": "ingressgateway"], waitFor: ["\(harness.address(52))_\(port)"])
        var output = ""
        try harness.waitUntil("TLS passthrough", timeout: 15) {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-sk", "--resolve", "db.example.com:\(port):\(harness.address(52))", "https://db.example.com:\(port)/"]
            let pipe = Pipe()
            curl.standardOutput = pipe
            try curl.run()
            output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            curl.waitUntilExit()
            return output.contains("CN=db.example.com") || output.contains("s_server")
        }
        #expect(output.contains("s_server") || output.contains("CN"), "\(output.prefix(300))")
    }
}
