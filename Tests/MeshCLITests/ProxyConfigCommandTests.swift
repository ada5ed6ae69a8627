import Testing

/// `swiftmesh proxy-config` reads a config dump as istioctl reads Envoy's: one row
/// per cluster, listener chain, route and endpoint.
struct ProxyConfigCommandTests {
    let dump = "Tests/XDSTranslatorTests/Golden/shop-v1-sidecar.json"

    func lines(_ arguments: [String]) throws -> [String] {
        let result = try CommandRunner.run(["proxy-config"] + arguments + ["--file", dump])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
    }

    @Test func clustersListenersRoutesEndpoints() throws {
        let clusters = try lines(["clusters"])
        #expect(clusters.first == "SERVICE FQDN PORT SUBSET DIRECTION TYPE DESTINATION RULE")
        #expect(clusters.contains("catalog.shop.svc.cluster.local 9080 v1 outbound EDS -"))
        #expect(clusters.contains("19080 - inbound STATIC -"), "inbound clusters have no FQDN: \(clusters)")
        let listeners = try lines(["listeners"])
        #expect(listeners.contains("127.0.10.1 9080 ALL Route: 9080"))
        #expect(try lines(["routes"]).contains { $0.hasPrefix("9080 stock.shop.svc.cluster.local:9080") })
        #expect(try lines(["endpoints"]).contains("127.0.10.2:19080 HEALTHY OK outbound|9080|v1|catalog.shop.svc.cluster.local"))
    }

    @Test func jsonOutputAndErrors() throws {
        let json = try CommandRunner.run(["proxy-config", "routes", "--file", dump, "-o", "json"])
        #expect(json.stdout.hasPrefix("["))
        let missing = try CommandRunner.run(["proxy-config", "routes"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("name the proxy"))
    }
}
