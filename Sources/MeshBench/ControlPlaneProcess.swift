import Foundation
import MeshLocal

/// `swiftmesh control-plane` started as a child process (the binary next to this
/// benchmark), with its xDS and HTTP ports read from its first line, its memory and
/// CPU read from /proc, stopped by PID.
final class ControlPlaneProcess {
    struct Usage {
        var rssMiB: Int
        var peakMiB: Int
        var cpuSeconds: Double
    }

    private let processes = ChildProcesses()
    private let child: ChildProcesses.Child
    private(set) var xdsPort = 0
    private(set) var httpPort = 0
    var pid: Int32 { child.pid }

    init(config: String, log: URL) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("swiftmesh")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchError("\(binary.path) not found: build it in the same configuration first (scripts/build-release.sh)")
        }
        FileManager.default.createFile(atPath: log.path, contents: nil)
        // MeshLocal's spawn: a clean signal mask (the control plane stops on TERM), output to the log.
        child = try processes.spawn("control-plane", binary.path, ["control-plane", "--config", config, "--xds-port", "0", "--http-port", "0", "--log-level", "warning"], log: log.path)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let xds = text.range(of: "xDS on 127.0.0.1:"), let http = text.range(of: "HTTP on 127.0.0.1:") {
                xdsPort = Int(text[xds.upperBound...].prefix { $0.isNumber }) ?? 0
                httpPort = Int(text[http.upperBound...].prefix { $0.isNumber }) ?? 0
                return
            }
            guard processes.exitStatus(child) == nil else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw BenchError("the control plane did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func usage() -> Usage {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func kib(_ key: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        // /proc/PID/stat fields 14 and 15 (after the command in parentheses): utime, stime in clock ticks.
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        let ticks = fields.count > 12 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
        return Usage(rssMiB: kib("VmRSS:") / 1024, peakMiB: kib("VmHWM:") / 1024, cpuSeconds: ticks / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Counters from the control plane's /metrics (name without labels -> value).
    func metrics() -> [String: Double] {
        guard let body = HTTPProbe.get("127.0.0.1", httpPort, path: "/metrics", timeoutSeconds: 10)?.body else { return [:] }
        var values: [String: Double] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
        }
        return values
    }

    func stop() {
        processes.stopAll()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
