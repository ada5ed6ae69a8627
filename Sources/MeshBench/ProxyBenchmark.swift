import Foundation

/// `swiftmesh-bench proxy`: our proxy next to stock Envoy (and nginx), one worker
/// each on one pinned core, same nginx upstream, wrk on loopback, through the
/// shared reference harness (`proxy-bench.sh`), so both numbers come from one run
/// made the same way. Prints the harness's report, the peak memory of each proxy
/// during the run split into private and file-backed pages (sampled here, since
/// the harness reads memory only between runs), and a second phase
/// (`scripts/proxy-latency-bench.sh`): latency at equal, moderate load, where the
/// load core is not saturated.
struct ProxyBenchmark {
    /// Path of proxy-bench.sh (default: ../shared/bench/proxy-bench.sh).
    var harness: String
    var quick: Bool
    var targets: String

    func run() throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let binary = here.appendingPathComponent("swiftmesh").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BenchError("\(binary) not found: build it first (scripts/build-release.sh)")
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
        var arguments = [harness, "--candidate", "exec \(candidate)", "--candidate-name", "swiftmesh",
                         "--targets", targets, "--no-h2", "-o", out]
        if quick { arguments.append("--quick") }
        var environment = ProcessInfo.processInfo.environment
        environment["SWIFTMESH_BIN"] = binary
        // The harness's progress goes on to stderr; its "NAME up (pid N)" lines tell
        // the sampler which processes to watch. It also prints its report on stdout;
        // ours prints report.md once, below.
        let sampler = MemorySampler()
        let process = try ChildProcess("/bin/bash", arguments, environment: environment, standardOutput: .discard, standardError: .pipe)
        sampler.start()
        var pending = Data()
        while let stderr = process.standardError {
            let chunk = stderr.availableData
            if chunk.isEmpty { break }
            FileHandle.standardError.write(chunk)
            pending.append(chunk)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                sampler.observe(line: Substring(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
        let status = process.waitForExit()
        let peaks = sampler.stop()
        guard status == 0 else { throw BenchError("proxy-bench.sh failed (\(status)); see \(out)") }
        print(try String(contentsOfFile: out + "/report.md", encoding: .utf8))
        print(Self.memoryReport(peaks))
        fflush(nil)  // flush stdout: the latency phase writes to the same file
        // Second phase: p99 at equal moderate load, from the configs the harness left.
        let latencyScript = candidate.replacingOccurrences(of: "proxy-bench-candidate.sh", with: "proxy-latency-bench.sh")
        let latency = try ChildProcess("/bin/bash", [latencyScript, out, "swiftmesh"], environment: environment)
        let latencyStatus = latency.waitForExit()
        guard latencyStatus == 0 else { throw BenchError("proxy-latency-bench.sh failed (\(latencyStatus)); see \(out)/raw/latency") }
    }

    /// Peak memory during the whole run (idle, warm-up and every load run), split
    /// into private (anonymous) pages and file-backed pages (binary and shared
    /// libraries, shared with every process mapping the same files).
    static func memoryReport(_ peaks: [(name: String, peak: MemorySampler.Peak)]) -> String {
        func mib(_ kib: Int) -> String { String(format: "%.1f", Double(kib) / 1024) }
        let envoy = peaks.first { $0.name == "envoy" }?.peak
        func ratio(_ value: Int, _ base: Int?) -> String {
            guard let base, base > 0 else { return "-" }
            return String(format: "%.2fx", Double(value) / Double(base))
        }
        var lines = ["## Memory under load (sampled by swiftmesh-bench every 0.2 s during the whole run)", "",
                     "| target | peak RSS MiB | peak private (anon) MiB | peak file-backed MiB | samples | RSS vs envoy | private vs envoy |",
                     "|---|---:|---:|---:|---:|---:|---:|"]
        for (name, peak) in peaks {
            lines.append("| \(name) | \(mib(peak.rssKiB)) | \(mib(peak.anonKiB)) | \(mib(peak.fileKiB)) | \(peak.samples) "
                         + "| \(ratio(peak.rssKiB, envoy?.rssKiB)) | \(ratio(peak.anonKiB, envoy?.anonKiB)) |")
        }
        lines.append("")
        lines.append("Private memory is what each extra sidecar costs; file-backed pages (the binary, the Swift runtime, libc) are shared page cache.")
        return lines.joined(separator: "\n")
    }
}
