import ArgumentParser
import Foundation
import MeshLocal

struct ProxyConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-config",
        abstract: "Show a proxy's clusters, listeners, routes or endpoints, like istioctl proxy-config.",
        discussion: """
        Reads what the control plane sends the proxy (its /debug/config_dump?proxyID=),
        or a dump written by `swiftmesh generate --type all -o json` (--file).
          swiftmesh proxy-config routes shop-v1.shop
          swiftmesh proxy-config clusters shop-v1.shop -o json
        """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case clusters, listeners, routes, endpoints, all
    }

    enum Output: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Argument(help: "clusters, listeners, routes, endpoints or all.")
    var kind: Kind

    @Argument(help: ArgumentHelp("The proxy: NAME.NAMESPACE (as proxy-status lists it) or its full node id.", valueName: "proxy"))
    var proxy: String?

    @Option(name: .customLong("control-plane"), help: ArgumentHelp("The control plane's HTTP address.", valueName: "host:port"))
    var controlPlane = "127.0.0.1:15014"

    @Option(help: ArgumentHelp("Read this config dump instead of asking the control plane.", valueName: "file"))
    var file: String?

    @Option(name: .shortAndLong, help: "table or json.")
    var output: Output = .table

    func run() throws {
        let body: String
        if let file {
            body = try String(contentsOfFile: file, encoding: .utf8)
        } else {
            guard let proxy else { throw ValidationError("name the proxy (NAME.NAMESPACE, see `swiftmesh proxy-status`) or give --file") }
            let parts = controlPlane.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--control-plane must be HOST:PORT") }
            let query = proxy.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._"))) ?? proxy
            guard let answer = HTTPProbe.get(String(parts[0]), port, path: "/debug/config_dump?proxyID=\(query)").flatMap({ $0.status == 200 ? $0.body : nil }) else {
                throw ValidationError("cannot reach the control plane at \(controlPlane)")
            }
            body = answer
        }
        guard let dump = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw ValidationError(body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let kinds: [Kind] = kind == .all ? [.clusters, .listeners, .routes, .endpoints] : [kind]
        if output == .json {
            var selected: [String: Any] = [:]
            for kind in kinds { selected[kind.rawValue] = dump[kind.rawValue] ?? [] }
            let data = try JSONSerialization.data(withJSONObject: kind == .all ? selected : selected[kind.rawValue]!, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for (index, kind) in kinds.enumerated() {
            if index > 0 { print() }
            let rows: [[String]] = switch kind {
            case .clusters: ProxyConfigTables.clusters(dump)
            case .listeners: ProxyConfigTables.listeners(dump)
            case .routes: ProxyConfigTables.routes(dump)
            case .endpoints, .all: ProxyConfigTables.endpoints(dump)
            }
            print(ProxyConfigTables.render(rows), terminator: "")
        }
    }
}
