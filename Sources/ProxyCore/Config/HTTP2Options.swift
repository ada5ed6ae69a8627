/// The parts of Envoy's `Http2ProtocolOptions` the proxy applies, on a connection
/// manager (downstream) or a cluster (upstream). They become the SETTINGS the
/// proxy announces; options it cannot honour are refused by the converter.
public struct HTTP2Options: Sendable, Equatable {
    /// SETTINGS_MAX_CONCURRENT_STREAMS (Envoy's default: 2147483647).
    public var maxConcurrentStreams: Int = 2_147_483_647
    /// SETTINGS_INITIAL_WINDOW_SIZE (Envoy's default: 256 MiB; capped at 2^31-1).
    public var initialStreamWindowSize: Int = 268_435_456
    /// SETTINGS_HEADER_TABLE_SIZE (Envoy's default: 4096).
    public var hpackTableSize: Int = 4096

    public init() {}
}
