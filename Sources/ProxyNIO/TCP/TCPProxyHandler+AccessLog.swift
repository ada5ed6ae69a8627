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
        // The connection's facts carry the original destination of a redirected
        // connection (Envoy's downstream local address); else the socket's.
        if let source = connection.sourceAddress {
            facts.downstreamRemote = Array(source.description.utf8)
            facts.downstreamRemotePort = connection.sourcePort
        } else if let remote = channel.remoteAddress {
            facts.downstreamRemote = Array((remote.ipAddress ?? "").utf8)
            facts.downstreamRemotePort = remote.port ?? 0
        }
        if let destination = connection.destinationAddress {
            facts.downstreamLocal = SocketAddress.accessLogBytes(ip: destination.description, port: connection.destinationPort)
        } else if let local = channel.localAddress {
            facts.downstreamLocal = local.accessLogBytes
        }
        facts.requestedServerName = Array(connection.serverName.utf8)
        facts.downstreamPeerURISAN = Array(connection.peerURISAN.utf8)
        facts.downstreamLocalURISAN = Array(connection.localURISAN.utf8)
        for log in accessLogs {
            let record = facts.record(format: log.format)
            if let filter = log.filter, !filter.admits(record, random: worker.random.next()) { continue }
            AccessLogFormatter.write(record, format: log.format, into: &log.sink.pending)
            log.sink.lineAdded()
        }
    }
}
