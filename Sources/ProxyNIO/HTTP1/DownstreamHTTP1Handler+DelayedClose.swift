import NIOCore

extension DownstreamHTTP1Handler {
    /// Envoy's delayed close (`delayed_close_timeout`, 1 s by default) after a
    /// response that ends the connection (`connection: close`): the response is
    /// flushed, the write side shut (FIN), and what the client still sends - the
    /// rest of a request body the proxy did not need, a pipelined request - is read
    /// and dropped until the client closes, for at most that long. Closing at once
    /// with unread bytes in the socket would send a reset instead, and the client
    /// could lose the response it was about to read. An HTTP/2 stream just ends.
    func closeDownstreamGracefully() {
        guard let context, !downstreamClosed else { return }
        guard !servesHTTP2Stream else { return closeDownstreamAfterFlush() }
        downstreamClosed = true
        draining = true
        needsDownstreamFlush = false
        inbound = nil
        let channel = context.channel
        let flushed = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0)), promise: flushed)
        flushed.futureResult.assumeIsolated().whenComplete { _ in
            let halfClosed = channel.eventLoop.makePromise(of: Void.self)
            channel.close(mode: .output, promise: halfClosed)
            // No half-close (a transport without it): close now.
            halfClosed.futureResult.whenFailure { _ in channel.close(promise: nil) }
            channel.eventLoop.assumeIsolated().scheduleTask(in: Self.delayedClose) { channel.close(promise: nil) }
        }
        // Reads go on (they may have been paused for backpressure) so the client's bytes drain.
        readPaused = false
        if readPending {
            readPending = false
            context.read()
        }
    }

    /// Envoy's default `delayed_close_timeout`.
    static let delayedClose = TimeAmount.seconds(1)
}
