/// What a tcp_proxy connection reports in its one access-log line, gathered when
/// the connection ends (as Envoy logs TCP: at close, never per byte). Byte arrays
/// are the values as printed (`ip:port`, names), empty when there is none.
public struct TCPAccessLogFacts: Sendable {
    /// Wall clock of the downstream connection's start.
    public var startEpochNanos: Int64 = 0
    public var durationNanos: Int64 = 0
    /// UF (with URX: its one connect attempt used), UH, NC, DT; an idle timeout sets none.
    public var flags: ResponseFlags = []
    /// From the client, and to it.
    public var bytesReceived = 0
    public var bytesSent = 0
    /// The endpoint picked, also when connecting to it failed.
    public var upstreamHost: [UInt8] = []
    /// The cluster picked; empty when it does not exist (NC).
    public var upstreamCluster: [UInt8] = []
    /// The proxy's end of the upstream connection, once connected.
    public var upstreamLocal: [UInt8] = []
    /// Envoy's words for a failed connect (`delayed_connect_error:_Connection_refused`).
    public var upstreamTransportFailureReason: [UInt8] = []
    public var downstreamRemote: [UInt8] = []
    public var downstreamRemotePort = 0
    /// `ip:port` the client connected to (the original destination when redirected).
    public var downstreamLocal: [UInt8] = []
    public var requestedServerName: [UInt8] = []
    public var downstreamPeerURISAN: [UInt8] = []
    public var downstreamLocalURISAN: [UInt8] = []
    /// Network RBAC's denial (`rbac_access_denied_matched_policy[NAME]`).
    public var connectionTerminationDetails: [UInt8] = []
    /// `%RESPONSE_CODE_DETAILS%` of a connection that has some (Envoy's
    /// `filter_chain_not_found`); empty: none, as for every tcp_proxy connection.
    public var responseCodeDetails: [UInt8] = []

    public init() {}

    /// Envoy's details of a connection no filter chain matched (flag NR).
    public static let filterChainNotFound = Array("filter_chain_not_found".utf8)

    /// The record a format writes: no request or response (method, path and
    /// protocol `-`, response code 0, no details), the connection's facts.
    public func record(format: AccessLogFormat) -> AccessLogRecord {
        var record = AccessLogRecord()
        record.reset(format: format)
        record.isTCP = true
        record.startEpochNanos = startEpochNanos
        record.durationNanos = durationNanos
        record.flags = flags
        record.bytesReceived = bytesReceived
        record.bytesSent = bytesSent
        record.upstreamHost = upstreamHost
        record.upstreamCluster = upstreamCluster
        record.upstreamLocal = upstreamLocal
        record.upstreamTransportFailureReason = upstreamTransportFailureReason
        record.downstreamRemote = downstreamRemote
        record.downstreamRemotePort = downstreamRemotePort
        record.downstreamLocal = downstreamLocal
        record.requestedServerName = requestedServerName
        record.downstreamPeerURISAN = downstreamPeerURISAN
        record.downstreamLocalURISAN = downstreamLocalURISAN
        record.connectionTerminationDetails = connectionTerminationDetails
        if !responseCodeDetails.isEmpty { record.dynamicResponseCodeDetails = responseCodeDetails }
        return record
    }

    /// Envoy's `%UPSTREAM_TRANSPORT_FAILURE_REASON%` for a connect that failed with
    /// a system error (`strerror` text): spaces become underscores, as Envoy prints.
    public static func connectFailureReason(_ description: String) -> [UInt8] {
        Array("delayed connect error: \(description)".utf8).map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "_") : $0 }
    }
}
