import Foundation
import NIOCore
import NIOEmbedded
import ProxyCore
import Testing
@testable import ProxyNIO

/// A tcp_proxy connection's access-log line on an EmbeddedEventLoop: nothing
/// while bytes move, one line when the downstream connection ends, with the
/// picked upstream, bytes each way, the duration on the loop's clock, and the
/// flags of a failed connect, a missing cluster, no endpoint.
@Suite struct TCPAccessLogTests {
    static let format = "%PROTOCOL% %RESPONSE_CODE% %RESPONSE_FLAGS% \"%UPSTREAM_TRANSPORT_FAILURE_REASON%\" %BYTES_RECEIVED% %BYTES_SENT% %DURATION% "
        + "\"%UPSTREAM_HOST%\" %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS% %ROUTE_NAME%\n"

    final class Connection {
        let loop = EmbeddedEventLoop()
        let worker: WorkerRuntime
        let downstreamChannel: EmbeddedChannel
        let sink: AccessLogSink
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tcp-access-\(UUID().uuidString).log").path
        private(set) var upstream: EmbeddedChannel?

        /// `connectError`: the upstream connect fails so (nil: an EmbeddedChannel upstream).
        init(target: String = "backend", endpoints: [EndpointSet.Endpoint] = [EndpointSet.Endpoint(host: "127.0.0.1", port: 8080)],
             connectError: (any Error)? = nil) throws {
            worker = WorkerRuntime(eventLoop: loop, config: EmbeddedProxy.config(endpoints: endpoints))
            downstreamChannel = EmbeddedChannel(loop: loop)
            sink = try #require(AccessLogSink(path: path, eventLoop: loop))
            worker.handlerConnector = { [unowned self] endpoint, _, handler in
                if let connectError { return self.loop.makeFailedFuture(connectError) }
                let channel = EmbeddedChannel(loop: self.loop)
                channel.localAddress = try! SocketAddress(ipAddress: "127.0.0.1", port: 50_000)
                try! channel.pipeline.syncOperations.addHandler(handler)
                _ = channel.connect(to: endpoint.address)
                self.upstream = channel
                return self.loop.makeSucceededFuture(channel)
            }
            let log = AccessLogRuntime(format: try AccessLogFormat(TCPAccessLogTests.format), filter: nil, sink: sink)
            let downstream = downstreamChannel
            downstream.localAddress = try SocketAddress(ipAddress: "127.0.0.1", port: 15_001)
            try downstream.pipeline.syncOperations.addHandler(TCPProxyHandler(worker: worker, config: TCPProxyConfig(statPrefix: "tcp", target: .cluster(target)),
                                                                            accessLogs: [log]))
            _ = downstream.connect(to: try SocketAddress(ipAddress: "10.0.0.7", port: 40_000))
        }

        var lines: String { String(decoding: sink.pending, as: UTF8.self) }

        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func oneLineWhenTheConnectionEnds() throws {
        let connection = try Connection()
        let upstream = try #require(connection.upstream)
        try connection.downstreamChannel.writeInbound(ByteBuffer(string: "ping"))
        connection.loop.advanceTime(by: .milliseconds(120))
        try upstream.writeInbound(ByteBuffer(string: "pong!"))
        connection.loop.advanceTime(by: .milliseconds(130))
        #expect(connection.lines.isEmpty, "nothing is logged while the connection lives")
        _ = connection.downstreamChannel.close()
        connection.loop.run()
        #expect(connection.lines == "- 0 - \"-\" 4 5 250 \"127.0.0.1:8080\" backend 127.0.0.1:50000 127.0.0.1:15001 10.0.0.7:40000 -\n")
        _ = connection.downstreamChannel.close()
        connection.loop.run()
        #expect(connection.lines.split(separator: "\n").count == 1, "one line per connection")
    }

    @Test func aRefusedConnectLogsUFAndURXWithTheReason() throws {
        let connection = try Connection(connectError: IOError(errnoCode: ECONNREFUSED, reason: "connect"))
        connection.loop.run()
        #expect(!connection.downstreamChannel.isActive)
        #expect(connection.lines == "- 0 UF,URX \"delayed_connect_error:_Connection_refused\" 0 0 0 \"127.0.0.1:8080\" backend - 127.0.0.1:15001 10.0.0.7:40000 -\n")
    }

    @Test func noClusterAndNoEndpoint() throws {
        let missing = try Connection(target: "nothere")
        missing.loop.run()
        #expect(missing.lines == "- 0 NC \"-\" 0 0 0 \"-\" - - 127.0.0.1:15001 10.0.0.7:40000 -\n")
        let empty = try Connection(endpoints: [])
        empty.loop.run()
        #expect(empty.lines == "- 0 UH \"-\" 0 0 0 \"-\" backend - 127.0.0.1:15001 10.0.0.7:40000 -\n")
    }
}
