#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import ProxyCore

/// Istio metrics and access logs for each exchange. The per-request work is a
/// clock read at the start, byte counts, and at the end one lookup and a few
/// increments in the worker's TelemetryStore; peer metadata is decoded once
/// per peer. The access-log line is formatted only when the listener has a log.
extension DownstreamHTTP1Handler {
    /// A new exchange: reset its counters and note what the request says.
    func beginTelemetry(_ bytes: UnsafeRawBufferPointer?) {
        exchangeStartNanos = NIODeadline.now().uptimeNanoseconds
        upstreamSecuritySlot = 0
        responseFlags = []
        responseCode = 0
        requestHeadBytes = requestHead.length
        requestBodyBytes = 0
        responseHeadBytes = 0
        responseBodyBytes = 0
        peerSlot = 0
        requestCarriedPeerMetadata = false
        telemetryService = 0
        if listener.traces {
            beginTrace(bytes)
        } else if trace != nil {
            trace = nil
        }
        guard let bytes else {
            if !listener.accessLogs.isEmpty { prepareAccessRecord(nil) }
            return
        }
        if listener.reporter == .destination { readPeerMetadata(bytes, fields: requestHead.fields, fromRequest: true) }
        if !listener.accessLogs.isEmpty { prepareAccessRecord(bytes) }
    }

    /// Istio's metadata exchange: the peer named by `x-envoy-peer-metadata(-id)`.
    func readPeerMetadata(_ bytes: UnsafeRawBufferPointer, fields: [HTTPHeaderField], fromRequest: Bool) {
        var id = ByteSpan.empty
        var value = ByteSpan.empty
        for field in fields {
            if field.kind == .peerMetadataID { id = field.value } else if field.kind == .peerMetadata { value = field.value }
        }
        guard !value.isEmpty else { return }
        if fromRequest { requestCarriedPeerMetadata = true }
        peerSlot = worker.telemetry.peerSlot(id: id.bytes(in: bytes), value: value.bytes(in: bytes))
    }

    private func prepareAccessRecord(_ bytes: UnsafeRawBufferPointer?) {
        let format = listener.accessLogs[0].format
        if accessRecord == nil {
            var record = AccessLogRecord()
            if let remote = context?.channel.remoteAddress {
                record.downstreamRemote = Array((remote.ipAddress ?? "").utf8)
                record.downstreamRemotePort = remote.port ?? 0
            }
            if let local = context?.channel.localAddress {
                record.downstreamLocal = Array("\(local.ipAddress ?? ""):\(local.port ?? 0)".utf8)
            }
            record.downstreamPeerURISAN = Array(connection.peerURISAN.utf8)
            record.downstreamLocalURISAN = Array(connection.localURISAN.utf8)
            record.requestedServerName = Array(connection.serverName.utf8)
            accessRecord = record
        }
        accessRecord!.reset(format: format)
        if let bytes { accessRecord!.captureRequest(bytes, head: requestHead, format: format) }
        accessRecord!.isHTTP2 = servesHTTP2Stream
    }

    /// What the proxy added to the forwarded request, as the access log reports it.
    func noteForwardedHeaders(generatedRequestID: Int?) {
        guard accessRecord != nil, let format = listener.accessLogs.first?.format else { return }
        if let offset = generatedRequestID {
            let scratch = requestScratch
            accessRecord!.setRequestHeader(Self.requestIDName, format: format) { out in
                scratch.withUnsafeReadableBytes { out.append(contentsOf: $0[offset..<(offset + 36)]) }
            }
        }
        if listener.http.useRemoteAddress, !remoteAddressBytes.isEmpty,
           let slot = format.requestHeaders.firstIndex(where: { $0.name == Self.forwardedForName }) {
            let previous = accessRecord!.requestValue(slot)
            let remote = remoteAddressBytes
            accessRecord!.setRequestHeader(Self.forwardedForName, format: format) { out in
                if let previous, !previous.isEmpty {
                    out.append(contentsOf: previous)
                    out.append(UInt8(ascii: ","))
                }
                out.append(contentsOf: remote)
            }
        }
        if let cluster = currentCluster { accessRecord!.upstreamCluster = cluster.nameBytes }
        if let endpoint { accessRecord!.upstreamHost = endpoint.labelBytes }
    }

    /// A rewrite changed the path (`scratchRange`: where it went in `requestScratch`),
    /// for the access log (AccessLogRecord.rewritePath).
    func notePathRewrite(_ bytes: UnsafeRawBufferPointer, scratchRange: Range<Int>) {
        guard let format = listener.accessLogs.first?.format else { return }
        let original = listener.http.suppressEnvoyHeaders ? nil : requestHead.path.bytes(in: bytes)
        requestScratch.withUnsafeReadableBytes { scratch in
            accessRecord!.rewritePath(UnsafeRawBufferPointer(rebasing: scratch[scratchRange]), original: original, format: format)
        }
    }

    /// A redirect's rewritten path (and the request's), logged as a forwarded one's.
    func noteRedirectPath(_ path: [UInt8], original: [UInt8]) {
        guard let format = listener.accessLogs.first?.format else { return }
        let suppressed = listener.http.suppressEnvoyHeaders
        path.withUnsafeBytes { rewritten in
            original.withUnsafeBytes { accessRecord!.rewritePath(rewritten, original: suppressed ? nil : $0, format: format) }
        }
    }

    static let requestIDName = Array("x-request-id".utf8)
    static let forwardedForName = Array("x-forwarded-for".utf8)

    /// The upstream's response head arrived (before it is written downstream).
    func noteResponseHead(_ bytes: UnsafeRawBufferPointer) {
        responseCode = responseHead.status
        if listener.reporter == .source { readPeerMetadata(bytes, fields: responseHead.fields, fromRequest: false) }
        if accessRecord != nil, let format = listener.accessLogs.first?.format {
            accessRecord!.captureResponse(bytes, head: responseHead, format: format)
            accessRecord!.responseCodeDetails = "via_upstream"
        }
    }

    /// The exchange is over (completed, answered locally, or cut): count it and log it.
    func recordExchange() {
        let durationNanos = Int64(NIODeadline.now().uptimeNanoseconds &- exchangeStartNanos)
        worker.telemetry.recordRequest(scope: listener.telemetryScope, service: telemetryService, peer: peerSlot, code: responseCode,
                                       flags: responseFlags, durationMilliseconds: Double(durationNanos) / 1_000_000,
                                       requestBytes: requestHeadBytes + requestBodyBytes,
                                       responseBytes: responseHeadBytes + responseBodyBytes, grpcStatus: grpcResponseStatus,
                                       security: listener.reporter == .source ? upstreamSecuritySlot : securitySlot)
        if trace != nil { endTrace(durationNanos: durationNanos) }
        guard accessRecord != nil else { return }
        accessRecord!.durationNanos = durationNanos
        accessRecord!.startEpochNanos = Self.wallClockNanos() - durationNanos
        accessRecord!.responseCode = responseCode
        accessRecord!.flags = responseFlags
        if accessRecord!.responseCodeDetails.utf8CodeUnitCount == 1 { accessRecord!.responseCodeDetails = responseFlags.responseCodeDetails }
        accessRecord!.bytesReceived = requestBodyBytes
        accessRecord!.bytesSent = responseBodyBytes
        for log in listener.accessLogs {
            if let filter = log.filter, !filter.admits(accessRecord!, random: worker.random.next()) { continue }
            AccessLogFormatter.write(accessRecord!, format: log.format, into: &log.sink.pending)
            log.sink.lineAdded()
        }
    }

    static func wallClockNanos() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
