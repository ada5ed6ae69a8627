import Foundation

/// Envoy's `/stats` text from an admin port (either proxy's), narrowed to the
/// counters a differential test compares.
enum AdminCounters {
    /// Asks again (five times, 0.2 s apart) while nothing came back: on a busy machine
    /// (tests in parallel) one read can time out before the admin answers.
    static func read(adminPort: Int, names: Set<String>) throws -> [String: String] {
        var attempt = 0
        while true {
            let result = try readOnce(adminPort: adminPort, names: names)
            attempt += 1
            if !result.isEmpty || attempt == 5 { return result }
            usleep(200_000)
        }
    }

    private static func readOnce(adminPort: Int, names: Set<String>) throws -> [String: String] {
        guard let fd = LoopbackSocket.connect(port: adminPort) else { throw POSIXError(.ECONNREFUSED) }
        defer { close(fd) }
        TCPSessionDifferentialTests.send(fd, "GET /stats HTTP/1.1\r\nHost: admin\r\nConnection: close\r\n\r\n")
        var result: [String: String] = [:]
        for line in TCPSessionDifferentialTests.readToEOF(fd).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if parts.count == 2, names.contains(parts[0]) { result[parts[0]] = parts[1] }
        }
        return result
    }
}
