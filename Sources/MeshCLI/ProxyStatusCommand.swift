import ArgumentParser
import Foundation
import MeshLocal

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
        guard let body = HTTPProbe.get(String(parts[0]), port, path: "/debug/syncz").flatMap({ $0.status == 200 ? $0.body : nil }),
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
