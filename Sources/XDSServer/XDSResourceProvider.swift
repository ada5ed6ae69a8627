import XDSAPI

/// Where the server gets a proxy's resources: the control plane translates config;
/// tests can serve fixed resources. The server knows protobuf, not Istio.
public protocol XDSResourceProvider: Sendable {
    func resources(for node: Envoy_Config_Core_V3_Node) async throws -> NodeResources
    /// A stream identified itself (first request with its node).
    func streamOpened(node: Envoy_Config_Core_V3_Node) async
    /// That stream ended, however it ended.
    func streamClosed(node: Envoy_Config_Core_V3_Node) async
}

extension XDSResourceProvider {
    public func streamOpened(node: Envoy_Config_Core_V3_Node) async {}
    public func streamClosed(node: Envoy_Config_Core_V3_Node) async {}
}
