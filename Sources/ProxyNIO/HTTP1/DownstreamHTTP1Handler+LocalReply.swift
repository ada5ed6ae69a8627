import NIOCore
import ProxyCore

extension DownstreamHTTP1Handler {
    static let noLines: [UInt8] = []

    /// Answers the current request from the proxy and ends the exchange.
    func sendLocalReply(_ reply: LocalReply) {
        responseFlags.formUnion(reply.flags)
        // Charged for the upstream request in flight; none during a retry's backoff (Envoy then has none to abort).
        if reply.chargesCluster, endpoint != nil { currentCluster?.counters.stats.recordStatus(reply.status) }
        if !reply.details.isEmpty, accessRecord != nil { accessRecord!.dynamicResponseCodeDetails = reply.details }
        if let path = reply.rewrittenPath, accessRecord != nil { noteRedirectPath(path.new, original: path.old) }
        // Envoy closes an HTTP/1 connection after any 400 it answers itself.
        if reply.status == 400 && !servesHTTP2Stream { closeAfterResponse = true }
        upstreamReusable = false
        releaseUpstream()
        var buffer = responseScratch
        responseScratch = ByteBuffer()
        buffer.clear()
        if grpcLocalReplies {
            writeGRPCLocalReply(reply, into: &buffer)
            return
        }
        buffer.writeString("HTTP/1.1 \(reply.status) \(HTTPStatus.reason(reply.status))\r\n")
        if let location = reply.location {
            buffer.writeString("location: ")
            buffer.writeBytes(location)
            buffer.writeString("\r\n")
        }
        if !reply.extraLines.isEmpty { buffer.writeBytes(reply.extraLines) }
        var routeServer = false
        if reply.routeHeaders, let selection { routeServer = writeRouteResponseHeaders(selection, into: &buffer) }
        buffer.writeString("content-length: \(reply.body.count)\r\n")
        if !reply.body.isEmpty { buffer.writeString("content-type: text/plain\r\n") }
        writeLocalReplyStamp(into: &buffer, routeServer: routeServer)
        if closeAfterResponse { buffer.writeString("connection: close\r\n") }
        buffer.writeString("\r\n")
        responseCode = reply.status
        responseHeadBytes = buffer.readableBytes
        if !requestWasHead {
            buffer.writeBytes(reply.body)
            responseBodyBytes = reply.body.count
        }
        writeDownstream(buffer)
        responseScratch = buffer
        responsePhase = .done
        finishExchange()
    }

    /// The `date` and `server` lines Envoy's connection manager puts on its own replies.
    /// `routeServer`: the route's response headers wrote a `server` (kept under APPEND_IF_ABSENT).
    func writeLocalReplyStamp(into buffer: inout ByteBuffer, routeServer: Bool) {
        buffer.writeBytes(worker.dateLine(now: NIODeadline.now().uptimeNanoseconds))
        switch listener.http.serverHeaderTransformation {
        case .overwrite: buffer.writeBytes(listener.http.serverLine)
        case .appendIfAbsent: if !routeServer { buffer.writeBytes(listener.http.serverLine) }
        case .passThrough: break
        }
    }

    /// The selected route's (weighted cluster's, virtual host's) response header
    /// additions, as Envoy's router finalizes the headers of a reply it makes itself.
    /// Nothing exists to overwrite or keep in a local reply.
    /// Returns whether they wrote a `server` (none under OVERWRITE, which replaces it).
    func writeRouteResponseHeaders(_ selection: RouteTable.Selection, into buffer: inout ByteBuffer) -> Bool {
        let overwritten = listener.http.serverHeaderTransformation == .overwrite
        var wroteServer = false
        if let weighted = weightedEntry, weighted.responseHeaders.writeAdditions(into: &buffer, present: Self.absent, serverOverwritten: overwritten) {
            wroteServer = true
        }
        if selection.route.responseHeaders.writeAdditions(into: &buffer, present: Self.absent, serverOverwritten: overwritten) { wroteServer = true }
        if selection.virtualHost.responseHeaders.writeAdditions(into: &buffer, present: Self.absent, serverOverwritten: overwritten) { wroteServer = true }
        return wroteServer
    }

    private static func absent(_ name: [UInt8]) -> Bool { false }
}
