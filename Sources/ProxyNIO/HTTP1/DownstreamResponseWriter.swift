import NIOCore
import ProxyCore

/// Writes the response head sent downstream: the upstream's status line and
/// fields minus hop-by-hop ones, the route's response header changes, and this
/// connection's own `connection` header.
struct DownstreamResponseWriter {
    let bytes: UnsafeRawBufferPointer
    let head: HTTP1ResponseHead
    let selection: RouteTable.Selection?
    let weighted: WeightedClusterEntry?
    let close: Bool
    /// A 101 to an allowed upgrade: `upgrade` kept, `connection: upgrade` sent.
    var upgrade = false
    let downstreamVersion: HTTPVersion1
    /// Drop the upstream's metadata-exchange headers (the source side reads them).
    var stripPeerMetadata = false
    /// This proxy's metadata-exchange lines, answered to a peer that sent its own.
    var exchangeLines: [UInt8] = []
    /// The connection manager's `server` header (overwrite, add if absent, or keep).
    var serverTransformation = HTTPConnectionConfig.ServerHeaderTransformation.passThrough
    var serverLine: [UInt8] = []
    /// `date: ...\r\n`, added when the upstream sent no `date` (empty: never).
    var dateLine: [UInt8] = []
    /// The router's `x-envoy-upstream-service-time` in ms; negative: not added.
    var upstreamServiceMillis = -1

    func write(into buffer: inout ByteBuffer) {
        // The proxy speaks HTTP/1.1 whatever the upstream spoke.
        buffer.writeStaticString("HTTP/1.1")
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[8..<Int(head.statusLine.end)]))
        buffer.writeStaticString("\r\n")
        let mutations = selection.map { !$0.route.responseHeaders.isEmpty || !$0.virtualHost.responseHeaders.isEmpty } ?? false
            || !(weighted?.responseHeaders.isEmpty ?? true)
        var runStart = -1
        var runEnd = -1
        var sawServer = false
        var sawDate = false
        for field in head.fields {
            var keep = !field.kind.isHopByHop || (upgrade && field.kind == .upgrade)
            switch field.kind {
            case .peerMetadata, .peerMetadataID: if stripPeerMetadata { keep = false }
            case .server:
                sawServer = true
                if serverTransformation == .overwrite { keep = false }
            case .date: sawDate = true
            case .xEnvoyUpstreamServiceTime: if upstreamServiceMillis >= 0 { keep = false }
            default: break
            }
            if keep && mutations && dropped(field.name.bytes(in: bytes)) { keep = false }
            let start = Int(field.line.start), end = Int(field.line.end)
            if keep && end - start >= 2 && bytes[end - 2] == UInt8(ascii: "\r") {
                if runEnd == start {
                    runEnd = end
                } else {
                    copy(runStart, runEnd, into: &buffer)
                    runStart = start
                    runEnd = end
                }
                continue
            }
            copy(runStart, runEnd, into: &buffer)
            runStart = -1
            runEnd = -1
            if keep {
                buffer.writeBytes(field.name.bytes(in: bytes))
                buffer.writeStaticString(": ")
                buffer.writeBytes(field.value.bytes(in: bytes))
                buffer.writeStaticString("\r\n")
            }
        }
        copy(runStart, runEnd, into: &buffer)
        if mutations, let selection {
            // A route's `server` is what APPEND_IF_ABSENT keeps and OVERWRITE replaces.
            if let weighted, add(weighted.responseHeaders, into: &buffer) { sawServer = true }
            if add(selection.route.responseHeaders, into: &buffer) { sawServer = true }
            if add(selection.virtualHost.responseHeaders, into: &buffer) { sawServer = true }
        }
        if !exchangeLines.isEmpty { buffer.writeBytes(exchangeLines) }
        if serverTransformation == .overwrite || (serverTransformation == .appendIfAbsent && !sawServer) {
            buffer.writeBytes(serverLine)
        }
        if !sawDate { buffer.writeBytes(dateLine) }
        if upstreamServiceMillis >= 0 {
            buffer.writeStaticString("x-envoy-upstream-service-time: ")
            buffer.writeDecimal(upstreamServiceMillis)
            buffer.writeStaticString("\r\n")
        }
        if upgrade {
            buffer.writeStaticString("connection: upgrade\r\n")
        } else if close {
            buffer.writeStaticString("connection: close\r\n")
        } else if downstreamVersion == .http10 {
            buffer.writeStaticString("connection: keep-alive\r\n")
        }
        buffer.writeStaticString("\r\n")
    }

    @inline(__always) private func copy(_ start: Int, _ end: Int, into buffer: inout ByteBuffer) {
        guard start >= 0, end > start else { return }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    private func dropped(_ name: UnsafeRawBufferPointer) -> Bool {
        guard let selection else { return false }
        return (weighted?.responseHeaders.drops(name) ?? false) || selection.route.responseHeaders.drops(name)
            || selection.virtualHost.responseHeaders.drops(name)
    }

    private func add(_ mutation: HeaderMutation, into buffer: inout ByteBuffer) -> Bool {
        mutation.writeAdditions(into: &buffer, present: { name in head.fields.contains { ASCII.equalsLowercased($0.name.bytes(in: bytes), name) } },
                                serverOverwritten: serverTransformation == .overwrite)
    }
}
