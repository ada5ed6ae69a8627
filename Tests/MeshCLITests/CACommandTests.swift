import Foundation
import Testing

/// `swiftmesh ca` and the CA flags of `control-plane` / `proxy`, as a user runs them.
@Suite struct CACommandTests {
    static func temporary() -> String {
        let path = NSTemporaryDirectory() + "ca-cli-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func tokenAndRotateRootWorkOnACADirectory() throws {
        let directory = Self.temporary()
        let token = try CommandRunner.run(["ca", "token", "--ca-dir", directory, "--namespace", "shop", "--service-account", "catalog", "--ttl", "1h"])
        #expect(token.status == 0, "\(token.stderr)")
        let parts = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
        #expect(parts.count == 3)
        // No CA files yet: rotate-root names what is missing.
        let missing = try CommandRunner.run(["ca", "rotate-root", "--ca-dir", directory, "--overlap", "0s"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("ca-cert.pem"), "\(missing.stderr)")
    }

    @Test func refusesBadCAFlags() throws {
        let config = Self.temporary()
        let noCA = try CommandRunner.run(["control-plane", "--config", config, "--workload-tokens", config])
        #expect(noCA.status != 0 && noCA.stderr.contains("--workload-tokens and --kube-jwks need --ca-dir"), "\(noCA.stderr)")
        let badTTL = try CommandRunner.run(["control-plane", "--config", config, "--ca-dir", config, "--workload-cert-ttl", "soon"])
        #expect(badTTL.status != 0 && badTTL.stderr.contains("--workload-cert-ttl"), "\(badTTL.stderr)")
        let badKey = try CommandRunner.run(["control-plane", "--config", config, "--ca-dir", config, "--ca-key-algorithm", "DSA"])
        #expect(badKey.status != 0 && badKey.stderr.contains("--ca-key-algorithm must be ECDSA or RSA"), "\(badKey.stderr)")
        let badJWKS = try CommandRunner.run(["control-plane", "--config", config, "--ca-dir", config, "--kube-jwks", "/nonexistent/jwks.json"])
        #expect(badJWKS.status != 0 && badJWKS.stderr.contains("--kube-jwks: cannot read /nonexistent/jwks.json"), "\(badJWKS.stderr)")
        let badPlane = try CommandRunner.run(["proxy", "--xds-address", "127.0.0.1:1", "--data-plane", "nginx"])
        #expect(badPlane.status != 0 && badPlane.stderr.contains("--data-plane must be swift or envoy"), "\(badPlane.stderr)")
        let noBootstrap = try CommandRunner.run(["proxy", "--xds-address", "127.0.0.1:1", "--data-plane", "envoy", "--token-file", "/dev/null"])
        #expect(noBootstrap.status != 0 && noBootstrap.stderr.contains("--data-plane envoy needs -c BOOTSTRAP"), "\(noBootstrap.stderr)")
    }
}
