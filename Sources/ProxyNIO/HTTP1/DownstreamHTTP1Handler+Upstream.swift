import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Leases an idle pooled connection to the chosen endpoint, or opens one, within
    /// the cluster's circuit breakers (DownstreamHTTP1Handler+Pool).
    func acquireUpstream(fresh: Bool = false) {
        guard let endpoint else { return }
        responsePhase = .head
        if !fresh, upstreamStartNanos == 0, trace != nil { upstreamStartNanos = NIODeadline.now().uptimeNanoseconds }
        if fresh {
            // The replay keeps its place: counted past the limits, as it was admitted once.
            endpoint.connectionOpened()
            startConnect(to: endpoint, stream: false)
            return
        }
        if let http2 = endpoint.http2 {
            // A stream on the endpoint's HTTP/2 connection: `max_requests` once it is up;
            // until then the request is pending (`max_pending_requests`), as in Envoy's pool.
            if http2.isReady {
                guard admitRequest(on: endpoint) else { return poolOverflow(pending: false) }
            } else {
                guard endpoint.resources.withBreaker({ $0.admit(.pendingRequests, priority: endpoint.gate.priority) }) else {
                    return poolOverflow(pending: true)
                }
                poolWait = .streamConnecting
            }
            endpoint.connectionOpened(stream: true)
            startConnect(to: endpoint, stream: true)
            return
        }
        if let pooled = endpoint.takeIdle() {
            guard admitRequest(on: endpoint) else {
                endpoint.putIdle(pooled)
                return poolOverflow(pending: false)
            }
            attach(pooled, countsRequest: true)
            return
        }
        requestConnectionFromGate(endpoint)
    }

    func startConnect(to endpoint: EndpointRuntime, stream: Bool) {
        waitingForConnection = true
        currentCluster?.counters.stats.upstreamConnectionTotal += 1
        let id = exchangeID
        let generation = endpoint.tlsGeneration
        worker.connect(to: endpoint, timeoutNanos: connectTimeoutNanos).assumeIsolated().whenComplete { result in
            self.connected(result, exchange: id, endpoint: endpoint, tlsGeneration: generation, stream: stream)
        }
    }

    private func connected(_ result: Result<any Channel, any Error>, exchange id: UInt64, endpoint: EndpointRuntime, tlsGeneration: Int,
                           stream: Bool) {
        // Whether this exchange still holds the pending slot the gate gave its connect
        // (or, for an HTTP/2 stream, the one it took while the connection came up).
        let gated = id == exchangeID && poolWait == .connecting
        let streamPending = id == exchangeID && poolWait == .streamConnecting
        if gated || streamPending { poolWait = .none }
        if streamPending { endpoint.resources.withBreaker { $0.release(.pendingRequests, priority: endpoint.gate.priority) } }
        switch result {
        case .success(let channel):
            guard let handler = try? channel.pipeline.syncOperations.handler(type: UpstreamHTTP1Handler.self) else {
                if gated { _ = endpoint.resources.withBreaker { endpoint.gate.connectFinished(self, succeeded: false, breaker: &$0) } }
                endpoint.connectionClosed(stream: stream)
                channel.close(promise: nil)
                return
            }
            handler.endpoint = endpoint
            handler.tlsGeneration = tlsGeneration
            if id == exchangeID, waitingForConnection, !downstreamClosed {
                currentCluster?.outlierResult(.localOriginConnectSuccess, endpoint: endpoint, worker: worker)
                waitingForConnection = false
                if gated {
                    guard endpoint.resources.withBreaker({ endpoint.gate.connectFinished(self, succeeded: true, breaker: &$0) }) else {
                        endpoint.putIdle(handler)
                        return poolOverflow(pending: false)
                    }
                    requestSlot = endpoint.resources
                } else if streamPending {
                    guard admitRequest(on: endpoint) else {
                        handler.close()
                        return poolOverflow(pending: false)
                    }
                } else if !stream {
                    // A replay: its request slot went with the connection it lost.
                    endpoint.resources.withBreaker { $0.forceAdmit(.requests, priority: endpoint.gate.priority) }
                    requestSlot = endpoint.resources
                }
                // A replay (neither gated nor a stream) was counted on its first connection.
                attach(handler, countsRequest: gated || stream)
                flushPending()
            } else {
                // The exchange is gone: the connection is still useful to the pool (a
                // stream is not).
                if stream { handler.close() } else { endpoint.putIdle(handler) }
            }
        case .failure(let error):
            if gated { _ = endpoint.resources.withBreaker { endpoint.gate.connectFinished(self, succeeded: false, breaker: &$0) } }
            // Envoy fails every request pending on the pool with it; taken before the
            // freed connection slot would let a waiter connect, and before this
            // exchange's retry can queue a new one.
            let purged = stream ? [] : endpoint.resources.withBreaker { endpoint.gate.connectFailed(breaker: &$0) }
            endpoint.connectionClosed(stream: stream)
            let reason = ConnectFailureReason.bytes(error)
            let timedOut = ConnectFailureReason.isTimeout(error)
            // This exchange still waits for a connection (its own connect's, or, after a
            // purge and a retry, another's): it fails once, here.
            let ownsFailure = id == exchangeID && waitingForConnection && !downstreamClosed
            if ownsFailure {
                let alsoPurged = purged.contains { $0 === self }
                if alsoPurged { poolWait = .none }
                if let cluster = currentCluster, gated || alsoPurged || streamPending { cluster.counters.stats.upstreamPendingFailureEject += 1 }
                upstreamFailed(.localOriginConnectFailed)
                failConnect(reason: reason, timedOut: timedOut)
            }
            for exchange in purged where !(ownsFailure && exchange === self) { exchange.poolConnectFailed(reason: reason, timedOut: timedOut) }
        }
    }

    /// This exchange's connect failed, or another of its pool's (`poolConnectFailed`):
    /// retried when the policy says so, else 503 UF.
    func failConnect(reason: [UInt8], timedOut: Bool) {
        waitingForConnection = false
        if retryAfterFailure(.reset(.connectFailure, requestStarted: false), unsent: true) { return }
        pendingUpstream = nil
        // Nothing of the request reached the upstream; an unread body makes the
        // connection unusable for a next request.
        if case .body = requestPhase { closeAfterResponse = true }
        if accessRecord != nil { noteConnectFailure(reason, timedOut: timedOut) }
        sendLocalReply((retryState?.attempts ?? 0) > 1 ? LocalReply.retriedConnectFailure : LocalReply.connectFailure)
    }

    /// Makes `connection` this exchange's upstream and sends what is ready. Envoy counts
    /// `upstream_rq_total` here, when a request gets its connection (`countsRequest`;
    /// a replay on a fresh connection is the pool's business, not a new request).
    func attach(_ connection: UpstreamHTTP1Handler, countsRequest: Bool) {
        if countsRequest, let cluster = currentCluster { cluster.counters.stats.upstreamRequestTotal += 1 }
        upstream = connection
        connection.owner = self
        if perTryTimeoutNanos > 0 { armPerTryTimeout() }
        if accessRecord != nil { accessRecord!.upstreamLocal = connection.localAddressBytes }
        if listener.reporter == .source {
            // Istio's source-side principals come from the upstream TLS session.
            if connection.securitySlot == nil {
                connection.securitySlot = worker.telemetry.slot(upstreamLocal: connection.tlsIdentities.local,
                                                                upstreamPeer: connection.tlsIdentities.peer)
            }
            upstreamSecuritySlot = connection.securitySlot ?? 0
        }
        connection.write(requestScratch)
        if let pending = pendingUpstream {
            pendingUpstream = nil
            connection.write(pending)
        }
        needsUpstreamFlush = true
        if context?.channel.isWritable == false { connection.pauseReading() }
        if !connection.isWritable { pauseDownstreamReads() }
    }

    /// Ends the lease: back to the pool when the exchange left it clean.
    func releaseUpstream() {
        releaseRequestSlot()
        guard let connection = upstream else { return }
        upstream = nil
        connection.owner = nil
        connection.resumeReading()
        connection.exchanges += 1
        if upstreamReusable, connection.isUsable, let endpoint = connection.endpoint {
            endpoint.putIdle(connection)
        } else {
            connection.close()
        }
    }

    // MARK: events from the upstream connection

    func upstreamRead(_ buffer: ByteBuffer) {
        var buffer = buffer
        responseStarted = true
        if upstreamInbound == nil {
            upstreamInbound = buffer
        } else {
            upstreamInbound!.writeBuffer(&buffer)
        }
        processUpstream()
    }

    func upstreamReadComplete() {
        flushPending()
    }

    func upstreamWritabilityChanged(writable: Bool) {
        if writable { resumeDownstreamReads() } else { pauseDownstreamReads() }
    }

    func upstreamClosed(_ connection: UpstreamHTTP1Handler) {
        guard connection === upstream else { return }
        upstream = nil
        releaseRequestSlot()
        upstreamReusable = false
        switch responsePhase {
        case .body(let tracker) where tracker.endsAtClose:
            responsePhase = .done
            responseComplete()
        case .head where !responseStarted:
            // A pooled connection the upstream had closed: replay a body-less
            // request once on a fresh connection, as Envoy's pool does.
            if connection.exchanges > 0, !replayedOnFreshConnection, case .done = requestPhase, requestHead.framing == .none {
                replayedOnFreshConnection = true
                acquireUpstream(fresh: true)
                return
            }
            upstreamFailed(.localOriginConnectFailed)
            if let refusal = connection.tlsRefusal, connection.exchanges == 0 {
                // The server refused the TLS peer right after the handshake (TLS 1.3
                // verifies client certificates then): Envoy counts a connect failure.
                if accessRecord != nil { accessRecord!.upstreamTransportFailureReason = Self.logged(refusal) }
                if retryAfterFailure(.reset(.connectFailure, requestStarted: false)) { return }
                if case .body = requestPhase { closeAfterResponse = true }
                sendLocalReply((retryState?.attempts ?? 0) > 1 ? LocalReply.retriedConnectFailure : LocalReply.connectFailure)
                return
            }
            if retryAfterFailure(.reset(.connectionTermination, requestStarted: true)) { return }
            if case .body = requestPhase { closeAfterResponse = true }
            sendLocalReply(LocalReply.upstreamReset)
        case .idle, .done:
            break
        default:
            // The response was cut short after it started: the client can only
            // learn that from the connection closing.
            responseFlags.insert(.upstreamConnectionTermination)
            flushPending()
            closeDownstreamAfterFlush()
        }
    }

    /// A transport failure reason as Envoy's access log prints it: spaces become `_`.
    /// Envoy's router: the reason in `%UPSTREAM_TRANSPORT_FAILURE_REASON%` and in
    /// the details, `upstream_reset_before_response_started{remote_connection_failure|REASON}`;
    /// a connect timeout has no reason and its own details.
    private func noteConnectFailure(_ reason: [UInt8], timedOut: Bool) {
        if timedOut { accessRecord!.dynamicResponseCodeDetails = Self.connectTimeoutDetails }
        guard !reason.isEmpty else { return }
        accessRecord!.upstreamTransportFailureReason = reason
        accessRecord!.dynamicResponseCodeDetails = Self.connectFailureDetails + reason + [UInt8(ascii: "}")]
    }

    static let connectFailureDetails = Array("upstream_reset_before_response_started{remote_connection_failure|".utf8)
    static let connectTimeoutDetails = Array("upstream_reset_before_response_started{connection_timeout}".utf8)

    static func logged(_ reason: String) -> [UInt8] {
        reason.utf8.map { $0 == UInt8(ascii: " ") ? UInt8(ascii: "_") : $0 }
    }
}
