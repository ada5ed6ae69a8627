import Foundation
import MeshLocal
import Testing

/// One YAML bootstrap, written as Envoy users write it (`!ignore` section with
/// anchors, aliases, a block-string body, unquoted durations and ports), starts
/// stock Envoy and `swiftmesh proxy` from the very same file; each serves the same
/// requests with the same status and body.
@Suite(.serialized, .enabled(if: MeshHarness.envoyBinary != nil, "needs stock Envoy"))
struct YAMLBootstrapIntegrationTests {
    static let directBody = "short and stout\nhere is my handle\n"

    static func bootstrap(listen: String, port: Int, admin: Int, upstream: String) -> String {
        """
        # The same file for `envoy -c` and `swiftmesh proxy -c`.
        !ignore shared:
          upstream_address: &upstream
            socket_address: {address: \(upstream), port_value: 18080}
          connect_timeout: &connect_timeout 0.25s
        admin:
          address:
            socket_address: {address: 127.0.0.1, port_value: \(admin)}
        static_resources:
          listeners:
          - name: ingress
            address:
              socket_address:
                address: \(listen)
                port_value: \(port)
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  codec_type: AUTO
                  route_config:
                    name: local
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {path: /direct}
                        direct_response:
                          status: 418
                          body:
                            inline_string: |
                              short and stout
                              here is my handle
                      - match: {prefix: /healthz}
                        route: {cluster: upstream, timeout: 5s}
                      - match: {prefix: /status/}
                        route: {cluster: upstream, timeout: 5s}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: upstream
            type: STATIC
            connect_timeout: *connect_timeout
            load_assignment:
              cluster_name: upstream
              endpoints:
              - lb_endpoints:
                - endpoint:
                    address: *upstream
        """
    }

    struct Observed: Equatable, CustomStringConvertible {
        var status: Int
        var body: String
        var servedBy: String?
        var description: String { "\(status) \(servedBy ?? "-") \(body.debugDescription)" }
    }

    static let paths = ["/healthz", "/status/abc", "/direct", "/nowhere"]

    @Test func oneYAMLFileStartsEnvoyAndSwiftMeshProxy() throws {
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        try harness.startApp("shop", version: "v1", host: 2)
        let port = try MeshHarness.freePort()
        let admin = try MeshHarness.freePort()
        let file = harness.directory.appendingPathComponent("bootstrap.yaml")
        try Self.bootstrap(listen: harness.address(1), port: port, admin: admin, upstream: harness.address(2))
            .write(to: file, atomically: true, encoding: .utf8)

        var observed: [DataPlane: [Observed]] = [:]
        for plane in DataPlane.allCases {
            let name = "\(plane)-proxy"
            switch plane {
            case .envoy:
                guard let envoy = MeshHarness.envoyBinary else { throw MeshHarness.HarnessError.noEnvoy }
                // Envoy started from a test runner may ignore SIGTERM: stop it with SIGKILL.
                try harness.launch(name, envoy, ["-c", file.path, "--disable-hot-restart", "-l", "warning", "--concurrency", "1"], kill: SIGKILL)
            case .swift:
                // Istio's extra ports ephemeral: the default 15090/15021 may be another test's.
                try harness.launch(name, MeshHarness.swiftmesh, ["proxy", "-c", file.path, "--concurrency", "1",
                                                                 "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:0"])
            }
            // The admin address comes from the same file: both read it.
            try harness.waitUntil("\(plane) admin lists the ingress listener", timeout: 30) {
                HTTPProbe.get("127.0.0.1", admin, path: "/listeners", timeoutSeconds: 2)?.body.contains("ingress") == true
            }
            try harness.waitUntil("\(plane) serves the listener", timeout: 10) {
                HTTPProbe.get(harness.address(1), port, path: "/healthz", timeoutSeconds: 2)?.status == 200
            }
            observed[plane] = Self.paths.map { path in
                let response = HTTPProbe.get(harness.address(1), port, path: path, timeoutSeconds: 5)
                return Observed(status: response?.status ?? 0, body: response?.body ?? "", servedBy: response?.headers["x-served-by"])
            }
            harness.stop(name)
        }

        let envoy = try #require(observed[.envoy])
        #expect(observed[.swift] == envoy)
        // And what both must be: the upstream through the static cluster, the
        // block string verbatim, Envoy's 404 for no route.
        #expect(envoy[0] == Observed(status: 200, body: "ok", servedBy: "shop-v1"))
        #expect(envoy[1].status == 400 && envoy[1].servedBy == "shop-v1")
        #expect(envoy[2] == Observed(status: 418, body: Self.directBody, servedBy: nil))
        #expect(envoy[3] == Observed(status: 404, body: "", servedBy: nil))
    }
}
