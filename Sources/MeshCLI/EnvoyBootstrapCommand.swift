import ArgumentParser
import Foundation
import MeshControlPlane

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
                                            controlPlaneHost: String(parts[0]), controlPlanePort: port, adminPort: adminPort, delta: delta)
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

/// Envoy's bootstrap for a mesh proxy: node, admin, ADS over gRPC to the control plane.
enum EnvoyBootstrap {
    static func make(nodeID: String, cluster: String, metadata: [String: Any], controlPlaneHost: String,
                     controlPlanePort: Int, adminPort: Int, delta: Bool = false) -> [String: Any] {
        let ads: [String: Any] = ["ads": [String: Any](), "resource_api_version": "V3"]
        return [
            "node": ["id": nodeID, "cluster": cluster, "metadata": metadata],
            "admin": ["address": ["socket_address": ["address": "127.0.0.1", "port_value": adminPort]]],
            "dynamic_resources": [
                "ads_config": [
                    "api_type": delta ? "DELTA_GRPC" : "GRPC",
                    "transport_api_version": "V3",
                    "set_node_on_first_message_only": true,
                    "grpc_services": [["envoy_grpc": ["cluster_name": "xds-grpc"]]],
                ],
                "cds_config": ads,
                "lds_config": ads,
            ],
            "static_resources": [
                "clusters": [[
                    "name": "xds-grpc",
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "typed_extension_protocol_options": [
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                            "explicit_http_config": ["http2_protocol_options": [String: Any]()],
                        ],
                    ],
                    "load_assignment": [
                        "cluster_name": "xds-grpc",
                        "endpoints": [["lb_endpoints": [["endpoint": ["address": ["socket_address": ["address": controlPlaneHost, "port_value": controlPlanePort]]]]]]],
                    ],
                ]],
            ],
        ]
    }
}
