import Foundation

/// Sends a corpus request over cleartext HTTP/2 (prior knowledge) with curl,
/// the path as is, and returns the status (0 when curl got no response).
enum H2CurlClient {
    /// curl arguments for a corpus request that HTTP/2 can carry unchanged: a
    /// GET in origin form without fragment to host `svc`, plain header fields.
    static func arguments(for request: String, port: Int) -> [String]? {
        var lines = request.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3, requestLine[0] == "GET", requestLine[2] == "HTTP/1.1",
              requestLine[1].hasPrefix("/"), !requestLine[1].contains("#") else { return nil }
        var arguments = ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--http2-prior-knowledge", "--path-as-is", "--max-time", "5"]
        var hosts = 0
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), !line[..<colon].contains(" ") else { return nil }
            if line[..<colon].lowercased() == "host" {
                hosts += 1
                guard line.dropFirst(5).trimmingCharacters(in: .whitespaces) == "svc" else { return nil }
                continue
            }
            // curl drops `Name:` without a value; `Name;` sends it empty.
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            arguments += ["-H", value.isEmpty ? "\(line[..<colon]);" : line]
        }
        guard hosts == 1 else { return nil }
        return arguments + ["http://svc:\(port)\(requestLine[1])", "--connect-to", "svc:\(port):127.0.0.1:\(port)"]
    }

    static func status(_ arguments: [String]) -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: output, as: UTF8.self)) ?? 0
    }
}
