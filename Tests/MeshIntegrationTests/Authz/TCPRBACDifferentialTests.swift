import Foundation
import Testing

/// Network RBAC before tcp_proxy (Istio's TCP authorization) through stock
/// Envoy 1.40 and `swiftmesh proxy`: a denied connection is closed on its first
/// bytes and the upstream receives nothing; an allowed one is relayed.
@Suite(.serialized) struct TCPRBACDifferentialTests {
    /// `deny` refuses clients from 127.0.0.0/8 (everything here); `allow` admits
    /// only destination port `allowPort`, the listener's own.
    static func json(denyPort: Int, allowPort: Int, upstreamPort: Int) -> String {
        func listener(_ name: String, _ port: Int, _ rbac: String) -> String {
            """
            {"name": "\(name)", "address": {"socket_address": {"address": "127.0.0.1", "port_value": \(port)}},
             "filter_chains": [{"filters": [
               {"name": "envoy.filters.network.rbac", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC",
                 "stat_prefix": "tcp.", "rules": \(rbac)}},
               {"name": "envoy.filters.network.tcp_proxy", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                 "stat_prefix": "\(name)", "cluster": "upstream"}}]}]}
            """
        }
        let deny = #"{"action": "DENY", "policies": {"ns[default]-policy[deny-local]-rule[0]": {"permissions": [{"any": true}], "principals": [{"and_ids": {"ids": [{"or_ids": {"ids": [{"direct_remote_ip": {"address_prefix": "127.0.0.0", "prefix_len": 8}}]}}]}}]}}}"#
        let allow = #"{"action": "ALLOW", "policies": {"ns[default]-policy[allow-port]-rule[0]": {"permissions": [{"and_rules": {"rules": [{"or_rules": {"rules": [{"destination_port": \#(allowPort)}]}}]}}], "principals": [{"any": true}]}}}"#
        return """
        {
          "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
          "static_resources": {
            "listeners": [\(listener("deny", denyPort, deny)), \(listener("allow", allowPort, allow))],
            "clusters": [{"name": "upstream", "type": "STATIC", "connect_timeout": "1s",
              "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
                {"address": {"socket_address": {"address": "127.0.0.1", "port_value": \(upstreamPort)}}}}]}]}}]
          }
        }
        """
    }

    static func observe(denyPort: Int, allowPort: Int, upstream: RecordingUpstream) -> [(status: Int, reached: Bool)] {
        [denyPort, allowPort].map { port in
            _ = upstream.take()
            let status = RawHTTPClient.status(of: "GET /tcp HTTP/1.1\r\nHost: svc\r\n\r\n", port: port)
            return (status, !upstream.take().isEmpty)
        }
    }

    @Test func deniedConnectionsCloseAndNothingReachesTheUpstream() throws {
        let harness = try MeshHarness()
        defer { harness.stopAll() }
        let upstream = try RecordingUpstream()
        defer { upstream.close() }
        var planes: [(String, String, [String], Int32)] = [("swiftmesh", MeshHarness.swiftmesh, ["proxy", "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:0"], SIGTERM)]
        if let envoy = MeshHarness.envoyBinary { planes.append(("envoy", envoy, ["--disable-hot-restart", "-l", "warning", "--concurrency", "1"], SIGKILL)) }
        for (name, executable, arguments, signal) in planes {
            let ports = (try MeshHarness.freePort(), try MeshHarness.freePort())
            let file = harness.directory.appendingPathComponent("tcp-\(name).json")
            try Self.json(denyPort: ports.0, allowPort: ports.1, upstreamPort: upstream.port).write(to: file, atomically: true, encoding: .utf8)
            try AuthzBypassIntegrationTests.start(harness, name, executable, arguments: Array(arguments.prefix(1)) + ["-c", file.path] + arguments.dropFirst(),
                                                  ports: [ports.0, ports.1], kill: signal)
            let seen = Self.observe(denyPort: ports.0, allowPort: ports.1, upstream: upstream)
            #expect(seen[0].status == 0 && !seen[0].reached, "\(name): denied connection \(seen[0])")
            #expect(seen[1].status == 200 && seen[1].reached, "\(name): allowed connection \(seen[1])")
        }
    }
}
