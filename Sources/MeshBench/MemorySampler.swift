import Foundation

/// Samples the memory of the proxies proxy-bench.sh starts while it runs, because
/// the harness reports total RSS only after each run: this keeps, per target, the
/// peak total RSS and the peak private (anonymous) memory seen during the load
/// runs. Targets are learnt from the harness's "NAME up (pid N)" log lines; a
/// target's memory is summed over its process tree, as the harness does.
final class MemorySampler: @unchecked Sendable {
    struct Peak {
        var rssKiB = 0
        var anonKiB = 0
        var fileKiB = 0
        var samples = 0
    }

    private let lock = NSLock()
    private var pids: [String: Int32] = [:]
    private var order: [String] = []
    private var peaks: [String: Peak] = [:]
    private var running = true

    /// Feeds the harness's stderr through, picking up target pids.
    func observe(line: Substring) {
        guard let up = line.range(of: " up (pid "), let close = line[up.upperBound...].firstIndex(of: ")"),
              let pid = Int32(line[up.upperBound..<close]) else { return }
        let name = line[..<up.lowerBound].split(separator: " ").last.map(String.init) ?? ""
        guard !name.isEmpty, name != "upstream" else { return }
        lock.withLock {
            if pids[name] == nil { order.append(name) }
            pids[name] = pid
        }
    }

    func start(interval: TimeInterval = 0.2) {
        Thread.detachNewThread { [self] in
            while lock.withLock({ running }) {
                sampleOnce()
                Thread.sleep(forTimeInterval: interval)
            }
        }
    }

    func stop() -> [(name: String, peak: Peak)] {
        lock.withLock {
            running = false
            return order.map { ($0, peaks[$0] ?? Peak()) }
        }
    }

    private func sampleOnce() {
        let targets = lock.withLock { pids }
        for (name, pid) in targets {
            var total = Peak()
            for member in Self.tree(pid) {
                let status = Self.status(member)
                total.rssKiB += status["VmRSS:"] ?? 0
                total.anonKiB += status["RssAnon:"] ?? 0
                total.fileKiB += status["RssFile:"] ?? 0
            }
            guard total.rssKiB > 0 else { continue }
            lock.withLock {
                var peak = peaks[name] ?? Peak()
                peak.rssKiB = max(peak.rssKiB, total.rssKiB)
                peak.anonKiB = max(peak.anonKiB, total.anonKiB)
                peak.fileKiB = max(peak.fileKiB, total.fileKiB)
                peak.samples += 1
                peaks[name] = peak
            }
        }
    }

    static func status(_ pid: Int32) -> [String: Int] {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return [:] }
        var values: [String: Int] = [:]
        for line in text.split(separator: "\n") where line.hasSuffix(" kB") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })  // "VmRSS:\t  37484 kB"
            if fields.count >= 2, let value = Int(fields[1]) { values[String(fields[0])] = value }
        }
        return values
    }

    /// The process and its descendants (nginx: master and workers).
    static func tree(_ root: Int32) -> [Int32] {
        var result = [root]
        var index = 0
        while index < result.count {
            let parent = result[index]
            index += 1
            let children = (try? String(contentsOfFile: "/proc/\(parent)/task/\(parent)/children", encoding: .utf8)) ?? ""
            result += children.split(separator: " ").compactMap { Int32($0) }
        }
        return result
    }
}
