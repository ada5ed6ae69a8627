import Foundation

/// `swiftmesh-bench proxy`: our proxy next to stock Envoy (and nginx), one worker
/// each on one pinned core, same nginx upstream, wrk on loopback, through the
/// shared reference harness (`proxy-bench.sh`), so both numbers come from one run
/// made the same way. Prints the harness's report.
struct ProxyBenchmark {
    /// Path of proxy-bench.sh (default: ../shared/bench/proxy-bench.sh).
    var harness: String
    var quick: Bool
    var targets: String

    func run() throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = here.appendingPathComponent("swiftmesh").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("\(binary) not found: build it first (swift build -c release --product swiftmesh)")
        }
        guard FileManager.default.fileExists(atPath: harness) else {
            throw BenchError("\(harness) not found: pass --harness PATH to proxy-bench.sh")
        }
        let candidate = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent("scripts/proxy-bench-candidate.sh").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw BenchError("\(candidate) not found: run from the repository root")
        }
        let out = "/tmp/bench/swiftmesh-proxy-\(Int(Date().timeIntervalSince1970))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        var arguments = [harness, "--candidate", "exec \(candidate)", "--candidate-name", "swiftmesh",
                         "--targets", targets, "--no-h2", "-o", out]
        if quick { arguments.append("--quick") }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFTMESH_BIN"] = binary
        process.environment = environment
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchError("proxy-bench.sh failed (\(process.terminationStatus)); see \(out)") }
        print(try String(contentsOfFile: out + "/report.md", encoding: .utf8))
    }
}
