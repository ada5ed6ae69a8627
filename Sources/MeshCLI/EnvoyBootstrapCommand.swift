import ArgumentParser
import Foundation
import MeshControlPlane
import MeshLocal

struct EnvoyBootstrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envoy-bootstrap",
        abstract: "Print a bootstrap with which stock Envoy joins the mesh.",
        discussion: """
        The bootstrap names the proxy (--node, Istio's TYPE~IP~ID~DOMAIN), carries its
        metadata (namespace, labels) and points ADS at the control plane:
          swiftmesh envoy-bootstrap --node sidecar~127.0.10.2~catalog-v1.shop~shop.svc.cluster.local \\
            --control-plane 127.0.0.1:15010 --metadata '{"NAMESPACE":"shop","LABELS":{"app":"catalog"}}' > envoy.json
          envoy -c envoy.json
        """
    )

    @Option(name: .long, help: ArgumentHelp("The proxy's node id (TYPE~IP~ID~DOMAIN).", valueName: "id"))
    var node: String

    @Option(name: .customLong("control-plane"), help: ArgumentHelp("The control plane's xDS address.", valueName: "host:port"))
    var controlPlane = "127.0.0.1:15010"

    @Option(name: .long, help: ArgumentHelp("Node metadata as a JSON object (NAMESPACE, LABELS, ...).", valueName: "json"))
    var metadata: String?

    @Option(name: .customLong("admin-port"), help: "Envoy's admin port (on 127.0.0.1); Istio's is 15000.")
    var adminPort = 15000

    @Option(name: .long, help: "The node's cluster (Istio: the service name).")
    var cluster: String?

    @Flag(name: .long, help: "Use incremental (delta) xDS instead of state of the world.")
    var delta = false

    func run() throws {
        let parts = controlPlane.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--control-plane must be HOST:PORT") }
        var meta: [String: Any] = [:]
        if let metadata {
            guard let object = try? JSONSerialization.jsonObject(with: Data(metadata.utf8)) as? [String: Any] else {
                throw ValidationError("--metadata must be a JSON object")
            }
            meta = object
        }
        let bootstrap = EnvoyBootstrap.make(nodeID: node, cluster: cluster ?? Self.defaultCluster(node), metadata: meta,
                                            controlPlaneHost: String(parts[0]), controlPlanePort: port, adminAddress: "127.0.0.1", adminPort: adminPort, delta: delta)
        let data = try JSONSerialization.data(withJSONObject: bootstrap, options: [.prettyPrinted, .sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// `catalog-v1.shop` -> `catalog-v1`.
    static func defaultCluster(_ nodeID: String) -> String {
        let parts = nodeID.split(separator: "~")
        guard parts.count == 4 else { return "swiftmesh" }
        return String(parts[2].split(separator: ".").first ?? parts[2])
    }
}
