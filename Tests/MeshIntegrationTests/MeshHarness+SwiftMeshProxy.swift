import Foundation

/// Our own proxy (`swiftmesh proxy`) on ADS from the harness's control plane.
extension MeshHarness {
    /// Starts `swiftmesh proxy` as `nodeID` and waits until it serves `listeners`
    /// (its "swiftmesh proxy listening NAME=ADDR" lines).
    func startSwiftMeshProxy(_ name: String, nodeID: String, namespace: String = "default", labels: [String: String], waitFor listeners: [String]) throws {
        let metadata = try String(decoding: JSONSerialization.data(withJSONObject: ["NAMESPACE": namespace, "LABELS": labels]), as: UTF8.self)
        try launch(name, Self.swiftmesh, ["proxy", "--xds-address", "127.0.0.1:\(xdsPort)", "--node", nodeID, "--metadata", metadata,
                                          "--admin-address", "127.0.0.1:\(try Self.freePort())"])
        try waitUntil("\(name) listeners \(listeners)", timeout: 30) {
            let text = self.log(name)
            return listeners.allSatisfy { text.contains("listening \($0)=") || text.contains(" \($0)=") }
        }
    }
}
