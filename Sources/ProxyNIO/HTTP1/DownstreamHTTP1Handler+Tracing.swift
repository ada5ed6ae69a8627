import NIOCore
import ProxyCore

/// Spans for traced connection managers. Untraced listeners pay one nil check
/// per exchange; traced but unsampled exchanges only parse the trace headers and
/// forward a fresh context; sampled ones copy the request facts and, at the
/// end, hand their spans to the worker's exporter (which batches and sends them
/// later, on their own tasks).
extension DownstreamHTTP1Handler {
    func beginTrace(_ bytes: UnsafeRawBufferPointer?) {
        trace = nil
        traceGeneratedRequestID = nil
        upstreamStartNanos = 0
        guard let config = listener.tracing, let bytes else { return }
        trace = ExchangeTrace.begin(config: config, bytes: bytes, head: requestHead) { worker.random.next() }
    }

    /// Copies a generated x-request-id out of the upstream head (sampled only).
    func noteTracedRequestID(_ offset: Int?) {
        guard let offset else { return }
        traceGeneratedRequestID = requestScratch.getString(at: requestScratch.readerIndex + offset, length: 36)
    }

    func endTrace(durationNanos: Int64) {
        guard let trace, let config = listener.tracing else { return }
        self.trace = nil
        guard trace.sampled, let exporter = listener.spanExporter else { return }
        let end = UInt64(Self.wallClockNanos())
        let start = end &- UInt64(max(durationNanos, 0))
        var upstreamStart: UInt64 = 0
        if upstreamStartNanos != 0 {
            upstreamStart = end &- (NIODeadline.now().uptimeNanoseconds &- upstreamStartNanos)
        }
        let outcome = ExchangeTrace.Outcome(
            operation: selection?.route.operation, protocolName: servesHTTP2Stream ? "HTTP/2" : "HTTP/1.1",
            peerAddress: context?.channel.remoteAddress.map { "\($0.ipAddress ?? ""):\($0.port ?? 0)" } ?? "",
            requestSize: requestBodyBytes, responseSize: responseBodyBytes, statusCode: responseCode,
            responseFlags: responseFlags.envoyString, upstreamCluster: currentCluster?.config.name,
            upstreamAddress: endpoint?.label, generatedRequestID: traceGeneratedRequestID,
            nodeID: worker.identity.nodeID, startUnixNanos: start, endUnixNanos: end, upstreamStartUnixNanos: upstreamStart)
        exporter.add(trace.spans(outcome, config: config))
    }
}
