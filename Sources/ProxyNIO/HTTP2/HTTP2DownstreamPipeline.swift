import NIOCore
import NIOHTTP2
import ProxyCore

/// The server side of an HTTP/2 connection: NIOHTTP2's codec with its inline
/// stream multiplexer, and per stream a bridge in front of the HTTP/1.1
/// exchange handler.
enum HTTP2DownstreamPipeline {
    /// Envoy's default connection-level window (`initial_connection_window_size`).
    static let connectionWindow = 268_435_456

    static func configure(_ pipeline: ChannelPipeline.SynchronousOperations, channel: any Channel,
                          worker: WorkerRuntime, listener: ListenerRuntime, connection facts: ConnectionFacts = ConnectionFacts()) throws {
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        connection.initialSettings = listener.http.http2.settings(maxHeaderListSize: listener.http.maxRequestHeadersBytes)
        connection.targetWindowSize = connectionWindow
        var stream = NIOHTTP2Handler.StreamConfiguration()
        stream.targetWindowSize = listener.http.http2.initialStreamWindowSize
        let bound = NIOLoopBound((worker, listener), eventLoop: channel.eventLoop)
        _ = try pipeline.configureHTTP2Pipeline(mode: .server, connectionConfiguration: connection, streamConfiguration: stream) { stream in
            stream.eventLoop.makeCompletedFuture {
                let (worker, listener) = bound.value
                let exchange = DownstreamHTTP1Handler(worker: worker, listener: listener, connection: facts)
                try stream.pipeline.syncOperations.addHandler(DownstreamHTTP2StreamBridge(exchange: exchange))
                try stream.pipeline.syncOperations.addHandler(exchange)
            }
        }
        try pipeline.addHandler(HTTP2ConnectionErrorHandler())
    }
}

extension HTTP2Options {
    /// The SETTINGS frame announcing these options.
    func settings(maxHeaderListSize: Int) -> HTTP2Settings {
        [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: min(maxConcurrentStreams, Int(Int32.max))),
            HTTP2Setting(parameter: .initialWindowSize, value: min(initialStreamWindowSize, Int(Int32.max))),
            HTTP2Setting(parameter: .headerTableSize, value: hpackTableSize),
            HTTP2Setting(parameter: .maxHeaderListSize, value: maxHeaderListSize),
        ]
    }
}
