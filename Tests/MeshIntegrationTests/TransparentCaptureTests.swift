import Foundation
import MeshLocal
import Testing

/// Istio's transparent capture in a network namespace: iptables REDIRECTs the
/// client's outbound TCP to the sidecar's 15001 (virtualOutbound, use_original_dst);
/// the sidecar runs as uid 1337, whose own connections are not captured, as with
/// istio-iptables. A request to a service VIP is handed to the port's listener and
/// routed to the workload; a request to an unknown address passes through to its
/// original destination (PassthroughCluster, ORIGINAL_DST). Both data planes.
/// Needs root, iproute2 and iptables (CI has them); skipped otherwise.
@Suite(.serialized)
struct TransparentCaptureTests {
    static let ip = "/usr/sbin/ip"
    static let iptables = "/usr/sbin/iptables"
    static let setpriv = "/usr/bin/setpriv"

    @discardableResult
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        guard (try? process.run()) != nil else { return (-1, "cannot run \(arguments[0])") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var available: Bool {
        getuid() == 0 && [ip, iptables, setpriv, "/usr/bin/curl"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(arguments: DataPlane.allCases) func outboundCaptureRoutesAndPassesThrough(_ plane: DataPlane) throws {
        guard Self.available else {
            print("skipping transparent capture: needs root, ip, iptables, setpriv and curl")
            return
        }
        let namespace = "smcap\(getpid() % 100_000)\(plane.rawValue.prefix(1))"
        let inNamespace = [Self.ip, "netns", "exec", namespace]
        try #require(Self.run([Self.ip, "netns", "add", namespace]).status == 0)
        defer { Self.run([Self.ip, "netns", "del", namespace]) }
        for command in [
            ["ip", "link", "set", "lo", "up"],
            ["ip", "addr", "add", "10.96.0.10/32", "dev", "lo"],
            ["ip", "addr", "add", "10.96.7.7/32", "dev", "lo"],
            ["iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-m", "owner", "--uid-owner", "1337", "-j", "RETURN"],
            ["iptables", "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "-d", "10.96.0.0/16", "-j", "REDIRECT", "--to-ports", "15001"],
        ] {
            let result = Self.run(inNamespace + ["/usr/sbin/" + command[0]] + command.dropFirst())
            try #require(result.status == 0, "\(command): \(result.output)")
        }

        let harness = try MeshHarness()
        harness.commandPrefix = inNamespace
        defer { harness.stopAll() }
        // The proxy (uid 1337) reads its bootstrap from here.
        _ = Self.run(["/usr/bin/chmod", "755", harness.directory.path])
        try harness.write("services.yaml", """
        apiVersion: networking.istio.io/v1
        kind: ServiceEntry
        metadata: {name: reviews, namespace: default}
        spec:
          hosts: [reviews.default.svc.cluster.local]
          addresses: [10.96.0.10]
          location: MESH_INTERNAL
          resolution: STATIC
          ports: [{name: http, number: 9080, protocol: HTTP, targetPort: 18080}]
          workloadSelector: {labels: {app: reviews}}
        ---
        apiVersion: networking.istio.io/v1
        kind: WorkloadEntry
        metadata: {name: reviews-v1, namespace: default}
        spec:
          address: 127.0.0.2
          labels: {app: reviews, version: v1}
        """)
        try harness.startControlPlane()
        try harness.launch("app-reviews", MeshHarness.swiftmesh, ["demo-app", "--service", "reviews", "--version", "v1", "--listen", "127.0.0.2:18080"])
        try harness.launch("app-outside", MeshHarness.swiftmesh, ["demo-app", "--service", "outside", "--version", "v1", "--listen", "10.96.7.7:18081"])

        let admin = try MeshHarness.freePort()
        let bootstrap = Self.run([MeshHarness.swiftmesh, "envoy-bootstrap", "--node", "sidecar~10.96.0.1~client.default~default.svc.cluster.local",
                                  "--control-plane", "127.0.0.1:\(harness.xdsPort)", "--admin-port", "\(admin)",
                                  "--metadata", #"{"NAMESPACE": "default", "LABELS": {"app": "client"}}"#])
        let file = harness.directory.appendingPathComponent("sidecar.json")
        try bootstrap.output.write(to: file, atomically: true, encoding: .utf8)
        _ = Self.run(["/usr/bin/chmod", "644", file.path])
        let asProxyUser = [Self.setpriv, "--reuid=1337", "--regid=1337", "--clear-groups"]
        switch plane {
        case .envoy:
            guard let envoy = MeshHarness.envoyBinary else { throw MeshHarness.HarnessError.noEnvoy }
            try harness.launch("sidecar", asProxyUser[0], Array(asProxyUser.dropFirst()) + [envoy, "-c", file.path, "--disable-hot-restart", "-l", "warning",
                                                                                      "--concurrency", "1", "--base-id", "\(getpid() % 1000 + 7)"], kill: SIGKILL)
        case .swift:
            try harness.launch("sidecar", asProxyUser[0], Array(asProxyUser.dropFirst()) + [MeshHarness.swiftmesh, "proxy", "-c", file.path, "--concurrency", "1"])
        }
        // The proxy (uid 1337) reopens /dev/stdout for its access log: the log file must be writable.
        _ = Self.run(["/usr/bin/chmod", "666", harness.directory.appendingPathComponent("sidecar.log").path])
        func curl(_ arguments: [String]) -> String {
            Self.run(inNamespace + ["/usr/bin/curl", "-s", "--max-time", "5"] + arguments).output
        }
        try harness.waitUntil("sidecar listeners", timeout: 30) {
            let listeners = curl(["http://127.0.0.1:\(admin)/listeners"])
            return listeners.contains("virtualOutbound") && listeners.contains("0.0.0.0_9080")
        }
        let served = "%{http_code} %header{x-served-by}"
        try harness.waitUntil("captured request routed", timeout: 20) {
            curl(["-o", "/dev/null", "-w", served, "-H", "Host: reviews.default.svc.cluster.local", "http://10.96.0.10:9080/"]) == "200 reviews-v1"
        }
        for _ in 0..<10 {
            #expect(curl(["-o", "/dev/null", "-w", served, "-H", "Host: reviews.default.svc.cluster.local", "http://10.96.0.10:9080/"]) == "200 reviews-v1")
        }
        // An address the mesh does not know: passed through to where the client meant.
        #expect(curl(["-o", "/dev/null", "-w", served, "http://10.96.7.7:18081/"]) == "200 outside-v1", "\(plane): \(harness.log("sidecar").suffix(1500))")
        // The client really went through the sidecar: it counted both clusters (Envoy's stat names).
        let stats = curl(["http://127.0.0.1:\(admin)/stats?filter=upstream_cx_total"])
        func counter(_ name: String) -> Int {
            stats.split(separator: "\n").first { $0.hasPrefix(name + ": ") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        }
        #expect(counter("cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_cx_total") >= 1, "\(plane): \(stats)")
        #expect(counter("cluster.PassthroughCluster.upstream_cx_total") >= 1, "\(plane): \(stats)")
    }
}
