import NIOCore
import ProxyCore

extension TCPAccessLogFacts {
    /// The downstream side as Envoy prints it: the connection's facts (they carry
    /// the original destination of a redirected connection, Envoy's downstream
    /// local address), else the socket's addresses; the SNI and the URI SANs.
    mutating func setDownstream(_ connection: ConnectionFacts, channel: any Channel) {
        if let source = connection.sourceAddress {
            downstreamRemote = Array(source.description.utf8)
            downstreamRemotePort = connection.sourcePort
        } else if let remote = channel.remoteAddress {
            downstreamRemote = Array((remote.ipAddress ?? "").utf8)
            downstreamRemotePort = remote.port ?? 0
        }
        if let destination = connection.destinationAddress {
            downstreamLocal = SocketAddress.accessLogBytes(ip: destination.description, port: connection.destinationPort)
        } else if let local = channel.localAddress {
            downstreamLocal = local.accessLogBytes
        }
        requestedServerName = Array(connection.serverName.utf8)
        downstreamPeerURISAN = Array(connection.peerURISAN.utf8)
        downstreamLocalURISAN = Array(connection.localURISAN.utf8)
    }
}

extension AccessLogRuntime {
    /// One connection's line, when the log's filter admits it.
    func write(_ facts: TCPAccessLogFacts, worker: WorkerRuntime) {
        let record = facts.record(format: format)
        if let filter, !filter.admits(record, random: worker.random.next()) { return }
        AccessLogFormatter.write(record, format: format, into: &sink.pending)
        sink.lineAdded()
    }
}
