import NIOCore
import ProxyCore

/// A tcp_proxy connection's access-log line, as Envoy writes it: once, when the
/// downstream connection closes, from the counts and picks the handler noted on
/// the way (the forwarding path does no logging work).
extension TCPProxyHandler {
    func writeAccessLogs(_ channel: any Channel) {
        var facts = TCPAccessLogFacts()
        facts.durationNanos = max(0, now - startNanos)
        facts.startEpochNanos = DownstreamHTTP1Handler.wallClockNanos() - facts.durationNanos
        facts.flags = flags
        facts.bytesReceived = receivedBytes
        facts.bytesSent = sentBytes
        facts.upstreamCluster = upstreamClusterName
        facts.upstreamHost = upstreamHostLabel
        facts.upstreamLocal = upstreamLocal
        facts.upstreamTransportFailureReason = upstreamFailureReason
        facts.connectionTerminationDetails = terminationDetails
        facts.setDownstream(connection, channel: channel)
        for log in accessLogs { log.write(facts, worker: worker) }
    }
}
