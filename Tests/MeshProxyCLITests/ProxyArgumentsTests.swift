import ArgumentParser
import MeshProxy
import Testing
@testable import MeshProxyCLI

@Suite struct ProxyArgumentsTests {
    @Test func addressesAndAgentOptionsAreParsed() throws {
        let arguments = try ProxyArguments.parse([
            "-c", "b.json", "--xds-address", "127.0.0.1:15010", "--node", "sidecar~1.2.3.4~a.ns~ns.svc.cluster.local",
            "--admin-address", "[::1]:15000", "--prometheus-address", "127.0.0.1:0", "--health-address", "127.0.0.1:15021",
            "--token-file", "t", "--ca-address", "ca:15012", "--workload-cert-ttl", "1h30m", "--workload-key", "rsa",
        ])
        let options = try arguments.proxyOptions()
        #expect(options.bootstrapPath == "b.json")
        #expect(options.xdsHost == "127.0.0.1" && options.xdsPort == 15010)
        #expect(options.nodeID == "sidecar~1.2.3.4~a.ns~ns.svc.cluster.local")
        #expect(options.adminHost == "::1" && options.adminPort == 15000)
        #expect(options.prometheusHost == "127.0.0.1" && options.prometheusPort == 0)
        #expect(options.healthPort == 15021)
        #expect(options.agent?.caHost == "ca" && options.agent?.caPort == 15012)
        #expect(options.agent?.validitySeconds == 5400)
        #expect(options.agent?.rsaKey == true)
        #expect(options.dataPlane == .swift)
    }

    @Test(arguments: [
        (["--xds-address", "nohost"], "--xds-address must be ADDR:PORT"),
        (["-c", "b.json", "--admin-address", "127.0.0.1"], "--admin-address must be ADDR:PORT"),
        (["-c", "b.json", "--data-plane", "nginx"], "--data-plane must be swift or envoy"),
        (["-c", "b.json", "--log-level", "loud"], "--log-level must be one of"),
        (["-c", "b.json", "--token-file", "t", "--workload-key", "DSA"], "--workload-key must be ECDSA or RSA"),
        (["-c", "b.json", "--token-file", "t", "--workload-cert-ttl", "soon"], "--workload-cert-ttl:"),
        ([], "give -c BOOTSTRAP"),
    ])
    func badFlagsAreNamed(_ flags: [String], _ message: String) throws {
        let arguments = try ProxyArguments.parse(flags)
        do {
            _ = try arguments.proxyOptions()
            Issue.record("expected an error for \(flags)")
        } catch let error as ValidationError {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}
