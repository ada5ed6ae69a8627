import XDSAPI

/// Where the server gets a proxy's resources: the control plane translates config;
/// tests can serve fixed resources. The server knows protobuf, not Istio.
public protocol XDSResourceProvider: Sendable {
    func resources(for node: Envoy_Config_Core_V3_Node) async throws -> NodeResources
}
