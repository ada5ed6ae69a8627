/// Who reports a listener's traffic and as whom: Istio's `reporter` label and the
/// proxy's own workload. Outbound sidecar listeners and gateways report as the
/// source, inbound sidecar listeners as the destination.
public struct TelemetryScope: Sendable, Hashable {
    public enum Reporter: String, Sendable, Hashable {
        case source
        case destination
    }

    public var reporter: Reporter
    public var local: WorkloadMetadata

    public init(reporter: Reporter, local: WorkloadMetadata) {
        self.reporter = reporter
        self.local = local
    }
}

/// What the proxy knows about itself for telemetry: its workload and its node id,
/// plus the metadata-exchange header lines it sends (built once).
public struct TelemetryIdentity: Sendable {
    public var local: WorkloadMetadata
    public var nodeID: String
    /// Gateways (`router~...` nodes) report as the source on every listener.
    public var isGateway: Bool
    /// `x-envoy-peer-metadata-id: ...\r\nx-envoy-peer-metadata: ...\r\n`.
    public let exchangeHeaderLines: [UInt8]

    public init(local: WorkloadMetadata, nodeID: String) {
        self.local = local
        self.nodeID = nodeID
        self.isGateway = nodeID.hasPrefix("router~")
        var lines = Array("x-envoy-peer-metadata-id: ".utf8)
        lines += Array(nodeID.utf8)
        lines += Array("\r\nx-envoy-peer-metadata: ".utf8)
        lines += local.exchangeHeaderValue
        lines += Array("\r\n".utf8)
        exchangeHeaderLines = nodeID.isEmpty ? [] : lines
    }

    /// A proxy that knows nothing about itself (static configs, tests): every
    /// workload label is `unknown`, and no exchange headers are sent.
    public static let anonymous = TelemetryIdentity(local: WorkloadMetadata(), nodeID: "")

    /// The scope of a listener with this traffic direction.
    public func scope(inbound: Bool) -> TelemetryScope {
        TelemetryScope(reporter: inbound && !isGateway ? .destination : .source, local: local)
    }
}
