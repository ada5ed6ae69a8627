import ArgumentParser
import Foundation

struct ProxyStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-status",
        abstract: "Show each connected proxy's sync state per xDS type, like istioctl proxy-status.",
        discussion: """
        Asks the control plane's HTTP port (/debug/syncz). Per proxy and type: SYNCED (the
        last version sent was ACKed), STALE (sent, not yet ACKed), NACKED (rejected; the
        proxy's error is shown below the table) or NOT SENT.
        """
    )

    @Option(name: .customLong("control-plane"), help: ArgumentHelp("The control plane's HTTP address.", valueName: "host:port"))
    var controlPlane = "127.0.0.1:15014"

    func run() throws {
        let parts = controlPlane.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--control-plane must be HOST:PORT") }
        guard let body = PlainHTTP.get(host: String(parts[0]), port: port, path: "/debug/syncz"),
              let proxies = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else {
            throw ValidationError("cannot reach the control plane at \(controlPlane)")
        }
        let columns = ["CDS", "LDS", "EDS", "RDS", "SDS"]
        var rows = [["NAME", "CLUSTER"] + columns]
        var errors: [String] = []
        for proxy in proxies {
            let name = proxy["proxy"] as? String ?? ""
            let types = proxy["types"] as? [String: [String: String]] ?? [:]
            rows.append([name, proxy["cluster"] as? String ?? ""] + columns.map { types[$0]?["state"] ?? "NOT SENT" })
            for (type, value) in types where !(value["error"] ?? "").isEmpty {
                errors.append("\(name) \(type): \(value["error"]!)")
            }
        }
        let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(zip(row, widths).map { $0.padding(toLength: $1 + 3, withPad: " ", startingAt: 0) }.joined().trimmingCharacters(in: .whitespaces))
        }
        for error in errors { print("NACK " + error) }
    }
}

/// One GET over a socket, for talking to our own HTTP endpoints.
enum PlainHTTP {
    static func get(host: String, port: Int, path: String) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n"), text.hasPrefix("HTTP/1.1 200") else { return nil }
        return String(text[split.upperBound...])
    }
}
