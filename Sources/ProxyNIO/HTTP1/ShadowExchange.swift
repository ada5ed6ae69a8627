import NIOCore
import ProxyCore

/// One mirrored copy of a request (Envoy's `request_mirror_policies`): the
/// forwarded head with a `-shadow` authority and the body as it streams, sent to
/// an endpoint of the mirror cluster, fire-and-forget. The primary never waits
/// for it: bytes are held only until the connection is up, and a copy that falls
/// behind (more than `maxPendingBytes` held, or a connection that is not
/// writable) is dropped rather than slowing the client. Event-loop confined.
final class ShadowExchange {
    static let maxPendingBytes = 64 * 1024

    let cluster: ClusterRuntime
    let endpoint: EndpointRuntime
    private let requestWasHead: Bool
    private var connection: ShadowUpstreamHandler?
    private var pending: ByteBuffer?
    private var waiting = false
    private(set) var dropped = false
    private var requestComplete = false
    /// The connection's copy number when this copy started on it.
    private var generation = 0

    init(cluster: ClusterRuntime, endpoint: EndpointRuntime, requestWasHead: Bool) {
        self.cluster = cluster
        self.endpoint = endpoint
        self.requestWasHead = requestWasHead
    }

    /// Sends the head on a pooled connection or opens one; `timeoutNanos` (the
    /// route's) bounds the whole copy, as Envoy's shadow requests.
    func start(head: ByteBuffer, worker: WorkerRuntime, timeoutNanos: Int64) {
        cluster.counters.stats.upstreamRequestTotal += 1
        if timeoutNanos > 0 {
            // Holds the copy until it fires: a shadow whose upstream hangs is closed then.
            _ = worker.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeoutNanos)) { self.timedOut() }
        }
        if let pooled = endpoint.takeShadowIdle() {
            attach(pooled)
            send(head)
            return
        }
        pending = head
        waiting = true
        cluster.counters.stats.upstreamConnectionTotal += 1
        endpoint.connectionOpened()
        let endpoint = self.endpoint
        worker.connectShadow(to: endpoint, timeoutNanos: cluster.config.connectTimeoutNanos).assumeIsolated().whenComplete { result in
            self.waiting = false
            switch result {
            case .success(let channel):
                guard let handler = try? channel.pipeline.syncOperations.handler(type: ShadowUpstreamHandler.self) else {
                    endpoint.connectionClosed()
                    channel.close(promise: nil)
                    return
                }
                handler.endpoint = endpoint
                channel.closeFuture.assumeIsolated().whenComplete { _ in endpoint.connectionClosed() }
                guard !self.dropped else {
                    handler.close()
                    return
                }
                self.attach(handler)
                if let pending = self.pending {
                    self.pending = nil
                    self.send(pending)
                }
                if self.requestComplete { handler.requestComplete = true }
            case .failure:
                endpoint.connectionClosed()
                // Envoy charges the mirror cluster a 503 for a copy it could not connect.
                self.cluster.counters.stats.recordStatus(503)
                self.finish()
            }
        }
    }

    private func attach(_ handler: ShadowUpstreamHandler) {
        connection = handler
        handler.begin(counters: cluster.counters, requestWasHead: requestWasHead)
        generation = handler.generation
    }

    /// More of the request (body bytes as they pass to the primary).
    func send(_ buffer: ByteBuffer) {
        guard !dropped else { return }
        if let connection {
            guard connection.isUsable, connection.isWritable else { return drop() }
            connection.write(buffer)
        } else if waiting {
            var buffer = buffer
            if pending == nil { pending = buffer } else { pending!.writeBuffer(&buffer) }
            if pending!.readableBytes > Self.maxPendingBytes { drop() }
        }
    }

    /// The client's request ended; an incomplete one is not worth finishing.
    func requestEnded(complete: Bool) {
        guard complete else { return drop() }
        requestComplete = true
        connection?.requestComplete = true
    }

    /// Stops the copy: its connection closes (unless it is not connected yet, in
    /// which case it closes when it arrives) and nothing more is sent.
    func drop() {
        guard !dropped else { return }
        dropped = true
        pending = nil
        if let connection, connection.generation == generation { connection.abandon() }
        finish()
    }

    private func timedOut() {
        guard !dropped else { return }
        if let connection {
            // Already answered (and maybe carrying another copy now): nothing to do.
            guard connection.generation == generation, connection.awaitingResponse else { return }
            // No status within the route timeout: Envoy's shadow gives up with a 504.
            if connection.awaitingStatus { cluster.counters.stats.recordStatus(504) }
        }
        drop()
    }

    private func finish() {
        connection = nil
    }
}
