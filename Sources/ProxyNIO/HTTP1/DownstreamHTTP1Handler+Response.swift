import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    /// Handles buffered upstream bytes: the response head (rewritten for the
    /// downstream), then the body streamed through as received.
    func processUpstream() {
        while var buffer = upstreamInbound, buffer.readableBytes > 0 {
            upstreamInbound = nil
            switch responsePhase {
            case .head:
                let outcome: Result<Bool, HTTPParseError> = buffer.withUnsafeReadableBytes { bytes in
                    do throws(HTTPParseError) {
                        return .success(try responseParser.parse(bytes, requestWasHead: requestWasHead, into: &responseHead))
                    } catch {
                        return .failure(error)
                    }
                }
                let switching = upgrading && responseHead.status == 101
                if case .success(true) = outcome, !responseHead.isInformational || switching {
                    upstreamAnswered(status: responseHead.status)
                    // A retriable status is dropped (with its connection) for another attempt.
                    if policyMayRetry(status: responseHead.status), retryAfterFailure(.response(status: responseHead.status)) { return }
                    chargeForwarded(status: responseHead.status)
                    buffer.withUnsafeReadableBytes { writeResponseHead($0) }
                }
                switch outcome {
                case .failure:
                    upstreamProtocolError()
                    return
                case .success(false):
                    upstreamInbound = buffer
                    return
                case .success(true):
                    buffer.moveReaderIndex(forwardBy: responseHead.length)
                    // 100 Continue and friends: the proxy answered Expect itself.
                    if switching {
                        // The upgrade went through: bytes flow both ways until either side closes.
                        upstreamReusable = false
                        exchangeDeadline = nil
                        responsePhase = .body(BodyTracker(.untilClose))
                        break
                    }
                    if responseHead.isInformational {
                        if responseHead.status == 101 { upstreamProtocolError(); return }
                        break
                    }
                    if responseHead.willClose { upstreamReusable = false }
                    let tracker = BodyTracker(responseHead.framing)
                    responsePhase = tracker.isDone ? .done : .body(tracker)
                }
            case .body(var tracker):
                let count: Int
                do {
                    count = try buffer.withUnsafeReadableBytes { bytes throws(HTTPParseError) in try tracker.consume(bytes) }
                } catch {
                    upstreamProtocolError()
                    return
                }
                responseBodyBytes += count
                writeDownstream(buffer.readSlice(length: count)!)
                responsePhase = tracker.isDone ? .done : .body(tracker)
            case .idle, .done:
                // Bytes nobody asked for: the connection is out of step.
                upstreamReusable = false
                upstream?.close()
                return
            }
            if case .done = responsePhase {
                if buffer.readableBytes > 0 { upstreamReusable = false }
                responseComplete()
                return
            }
            if buffer.readableBytes > 0 { upstreamInbound = buffer }
        }
    }

    private func writeResponseHead(_ bytes: UnsafeRawBufferPointer) {
        if case .untilClose = responseHead.framing { closeAfterResponse = true }
        noteResponseHead(bytes)
        responseScratch.clear()
        let reportsDestination = listener.reporter == .destination
        var writer = DownstreamResponseWriter(
            bytes: bytes, head: responseHead, selection: selection, weighted: weightedEntry,
            close: closeAfterResponse, upgrade: upgrading && responseHead.status == 101, downstreamVersion: requestHead.version,
            stripPeerMetadata: !reportsDestination,
            exchangeLines: withCORS(reportsDestination && requestCarriedPeerMetadata ? worker.identity.exchangeHeaderLines : Self.noLines))
        if !responseHead.isInformational || responseHead.status == 101 {
            // What Envoy's connection manager and router add to a final response head.
            let http = listener.http
            let now = NIODeadline.now().uptimeNanoseconds
            writer.serverTransformation = http.serverHeaderTransformation
            writer.serverLine = http.serverLine
            writer.dateLine = worker.dateLine(now: now)
            if !http.suppressEnvoyHeaders {
                writer.upstreamServiceMillis = requestDoneNanos == 0 || requestDoneNanos > now ? 0 : Int((now &- requestDoneNanos) / 1_000_000)
            }
        }
        writer.write(into: &responseScratch)
        responseHeadBytes = responseScratch.readableBytes
        writeDownstream(responseScratch)
    }

    /// The exchange lines plus this response's CORS lines (no copy when there are none).
    @inline(__always) private func withCORS(_ lines: [UInt8]) -> [UInt8] {
        corsLines.isEmpty ? lines : lines + corsLines
    }

    /// The response is through: release the upstream, then continue with the
    /// next pipelined request or close.
    func responseComplete() {
        if case .done = requestPhase {} else {
            // The upstream answered before the whole request arrived: neither
            // connection is in a known state for another request.
            upstreamReusable = false
            closeAfterResponse = true
        }
        finishExchange()
    }

    func finishExchange() {
        // Copies whose request is not complete by now never will be.
        endMirrors(complete: false)
        recordExchange()
        // Flush now: the upstream's read-complete will not reach a released lease.
        flushPending()
        releaseUpstream()
        leavePool()
        cancelPerTryTimeout()
        endRetryBody()
        upstreamInbound = nil
        pendingUpstream = nil
        selection = nil
        weightedEntry = nil
        if let endpoint {
            endpoint.activeRequests -= 1
            self.endpoint = nil
        }
        if retryState != nil, let cluster = currentCluster {
            cluster.resources.withBreaker { retryState!.finish(breaker: &$0) }
            retryState = nil
        }
        currentCluster = nil
        retryPolicy = nil
        perTryTimeoutNanos = 0
        waitingForConnection = false
        exchangeDeadline = nil
        faultDelaying = false
        faultDeferredReply = nil
        inExchange = false
        requestPhase = .head
        responsePhase = .idle
        if closeAfterResponse {
            closeDownstreamGracefully()
            return
        }
        resumeDownstreamReads()
        if inbound != nil { processInbound() }
    }

    private func upstreamProtocolError() {
        upstreamReusable = false
        upstreamInbound = nil
        if case .head = responsePhase {
            if case .body = requestPhase { closeAfterResponse = true }
            releaseUpstream()
            sendLocalReply(LocalReply.upstreamProtocolError)
        } else {
            releaseUpstream()
            flushPending()
            closeDownstreamAfterFlush()
        }
    }

    /// A broken request body (bad chunk framing): nothing sensible can follow.
    func abortExchange(downstreamProtocolError error: HTTPParseError) {
        upstreamReusable = false
        releaseUpstream()
        closeAfterResponse = true
        if case .head = responsePhase, !responseStarted {
            sendLocalReply(LocalReply.protocolError(error))
        } else {
            closeDownstreamAfterFlush()
        }
    }
}
