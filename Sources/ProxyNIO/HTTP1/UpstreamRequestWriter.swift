import NIOCore
import ProxyCore

/// Writes the request head sent upstream: the downstream head with rewrites
/// applied, hop-by-hop headers dropped, and the headers Envoy adds
/// (`x-forwarded-proto`, `x-request-id`, `x-forwarded-for` at the edge, the route's
/// additions). Unchanged header lines are copied in runs, byte for byte.
struct UpstreamRequestWriter {
    let bytes: UnsafeRawBufferPointer
    let head: HTTP1RequestHead
    let http: HTTPConnectionConfig
    let action: ForwardAction
    let selection: RouteTable.Selection
    let weighted: WeightedClusterEntry?
    let skipExpect: Bool
    let remoteAddress: [UInt8]
    /// Istio's metadata-exchange header lines (outbound to a mesh cluster), or empty.
    let exchangeLines: [UInt8]
    /// Traced exchanges: the trace context the upstream gets (replacing the
    /// request's), where the request's `tracestate` is, and the trace reason a
    /// generated x-request-id records.
    var trace: TraceHeaderWriter? = nil
    var traceState = ByteSpan.empty
    var requestIDReason: UInt8 = TraceSampler.Reason.notTraceable.rawValue
    /// Egress: the route's decorator, sent as `x-envoy-decorator-operation`.
    var decoratorOperation: String? = nil
    /// The downstream connection is TLS the proxy terminated (`x-forwarded-proto: https`).
    var overTLS = false
    /// jwt_authn's header changes for this request (added lines, dropped names).
    var authnLines: [UInt8] = []
    var authnDrops: [[UInt8]] = []
    /// A protocol upgrade (WebSocket) goes through: `upgrade` is kept and
    /// `connection: upgrade` sent, as Envoy forwards them.
    var upgrade = false
    /// The router's `x-envoy-expected-rq-timeout-ms` (per-try timeout, else the
    /// route's); 0: not sent.
    var expectedTimeoutMillis = 0
    /// The request's `x-forwarded-client-cert` goes on (forward_client_cert_details).
    var forwardsClientCert = false
    /// This hop's `x-forwarded-client-cert` element (APPEND_FORWARD / SANITIZE_SET
    /// from an mTLS peer): sent after the request's values when `appendsClientCert`,
    /// instead of them otherwise. Empty: none.
    var clientCertElement: [UInt8] = []
    var appendsClientCert = false

    /// Where in the written buffer (from its reader index) a rewritten path went; nil
    /// when the path went out as it came.
    private(set) var rewrittenPath: Range<Int>?

    /// Returns where a generated `x-request-id` value starts in `buffer`, if one was.
    @discardableResult
    mutating func write(into buffer: inout ByteBuffer, random: inout FastRandom) -> Int? {
        var generatedID: Int?
        buffer.writeBytes(head.method.bytes(in: bytes))
        buffer.writeInteger(UInt8(ascii: " "))
        let pathStart = buffer.writerIndex - buffer.readerIndex
        if writePath(into: &buffer) { rewrittenPath = pathStart..<(buffer.writerIndex - buffer.readerIndex) }
        buffer.writeStaticString(head.version == .http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n")
        let hostRewrite = weighted?.hostRewrite ?? action.hostRewrite
        let dropsHost = hostRewrite != nil || head.absoluteForm
        let mutations = !(weighted?.requestHeaders.isEmpty ?? true) || !selection.route.requestHeaders.isEmpty
            || !selection.virtualHost.requestHeaders.isEmpty
        var runStart = -1
        var runEnd = -1
        let replacesTraceContext = trace != nil
        var retaggedRequestID = ByteSpan.empty
        for field in head.fields {
            var keep = !field.kind.isHopByHop || (upgrade && field.kind == .upgrade)
            switch field.kind {
            case .expect: keep = !skipExpect
            case .host: keep = !dropsHost
            case .xForwardedProto, .xForwardedFor: keep = !http.useRemoteAddress
            // The exchange is between proxies: the app never sees a peer's metadata.
            case .peerMetadata, .peerMetadataID: keep = false
            // Envoy's connection manager removes its internal-only headers from requests
            // it does not deem internal (all, here); the router sets its own timeout.
            case .envoyInternalOnly, .xEnvoyForceTrace, .xEnvoyExpectedRqTimeoutMs: keep = false
            case .xForwardedClientCert: keep = forwardsClientCert
            case .xRequestID:
                // Envoy writes its trace decision into the request id it forwards.
                if replacesTraceContext, Self.reasonDiffers(field.value.bytes(in: bytes), requestIDReason) {
                    keep = false
                    retaggedRequestID = field.value
                }
            default: if replacesTraceContext { keep = !field.kind.isTraceContext }
            }
            if keep && (mutations || !authnDrops.isEmpty) && dropped(field.name.bytes(in: bytes)) { keep = false }
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
            // A bare-LF line (tolerated on input) goes out normalised.
            if keep { writeField(field.name.bytes(in: bytes), field.value.bytes(in: bytes), into: &buffer) }
        }
        copy(runStart, runEnd, into: &buffer)
        if let hostRewrite {
            buffer.writeStaticString("host: ")
            buffer.writeBytes(hostRewrite)
            buffer.writeStaticString("\r\n")
        } else if head.absoluteForm {
            buffer.writeStaticString("host: ")
            buffer.writeBytes(head.authority.bytes(in: bytes))
            buffer.writeStaticString("\r\n")
        }
        if upgrade { buffer.writeStaticString("connection: upgrade\r\n") }
        if rewrittenPath != nil && !http.suppressEnvoyHeaders {
            // Envoy's router keeps the path it rewrote (unless suppress_envoy_headers).
            buffer.writeStaticString("x-envoy-original-path: ")
            buffer.writeBytes(head.path.isEmpty ? UnsafeRawBufferPointer(start: UnsafeRawPointer(StaticString("/").utf8Start), count: 1) : head.path.bytes(in: bytes))
            buffer.writeStaticString("\r\n")
        }
        if !head.hasForwardedProto || http.useRemoteAddress {
            buffer.writeStaticString(overTLS ? "x-forwarded-proto: https\r\n" : "x-forwarded-proto: http\r\n")
        }
        if http.generateRequestID && !head.hasRequestID {
            buffer.writeStaticString("x-request-id: ")
            generatedID = buffer.writerIndex - buffer.readerIndex
            RequestIDWriter.write(into: &buffer, random: &random)
            // Envoy's UUID request id carries the trace decision in its version nibble.
            if trace != nil { buffer.setInteger(requestIDReason, at: buffer.readerIndex + generatedID! + 14) }
            buffer.writeStaticString("\r\n")
        }
        if !retaggedRequestID.isEmpty {
            buffer.writeStaticString("x-request-id: ")
            let start = buffer.writerIndex
            buffer.writeBytes(retaggedRequestID.bytes(in: bytes))
            buffer.setInteger(requestIDReason, at: start + 14)
            buffer.writeStaticString("\r\n")
        }
        if expectedTimeoutMillis > 0 {
            buffer.writeStaticString("x-envoy-expected-rq-timeout-ms: ")
            buffer.writeDecimal(expectedTimeoutMillis)
            buffer.writeStaticString("\r\n")
        }
        if let trace {
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: TraceHeaderWriter.maxLength) { trace.write(into: $0) }
            // Envoy's tracer always sends tracestate, empty when the parent had none.
            buffer.writeStaticString("tracestate: ")
            if !traceState.isEmpty { buffer.writeBytes(traceState.bytes(in: bytes)) }
            buffer.writeStaticString("\r\n")
            if let decoratorOperation {
                buffer.writeStaticString("x-envoy-decorator-operation: ")
                buffer.writeString(decoratorOperation)
                buffer.writeStaticString("\r\n")
            }
        }
        if http.useRemoteAddress { writeForwardedFor(into: &buffer) }
        if !clientCertElement.isEmpty { writeClientCert(into: &buffer) }
        if mutations {
            if let weighted { add(weighted.requestHeaders, into: &buffer) }
            add(selection.route.requestHeaders, into: &buffer)
            add(selection.virtualHost.requestHeaders, into: &buffer)
        }
        if !authnLines.isEmpty { buffer.writeBytes(authnLines) }
        if !exchangeLines.isEmpty { buffer.writeBytes(exchangeLines) }
        buffer.writeStaticString("\r\n")
        return generatedID
    }


    /// A UUID-form request id whose trace reason is not `reason`.
    static func reasonDiffers(_ value: UnsafeRawBufferPointer, _ reason: UInt8) -> Bool {
        guard let current = TraceSampler.reason(requestID: value) else { return false }
        return current.rawValue != reason
    }

    @inline(__always) private func copy(_ start: Int, _ end: Int, into buffer: inout ByteBuffer) {
        guard start >= 0, end > start else { return }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    @inline(__always) private func writeField(_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        buffer.writeBytes(name)
        buffer.writeStaticString(": ")
        buffer.writeBytes(value)
        buffer.writeStaticString("\r\n")
    }

    /// True when a rewrite changed the path.
    private func writePath(into buffer: inout ByteBuffer) -> Bool {
        let path = head.path.isEmpty ? UnsafeRawBufferPointer(start: UnsafeRawPointer(StaticString("/").utf8Start), count: 1)
            : head.path.bytes(in: bytes)
        if let rewrite = action.prefixRewrite {
            let matched: Int
            if case .exact = selection.route.match.path.kind {
                matched = PathBytes.withoutQueryCount(path)
            } else {
                matched = min(selection.route.match.path.prefixLength, path.count)
            }
            buffer.writeBytes(rewrite)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: path[matched...]))
            return true
        }
        if let rewrite = action.regexRewrite {
            // Whole-path patterns with a literal substitution (what the control plane
            // emits); the converter refuses other forms.
            let bare = PathBytes.withoutQueryCount(path)
            if rewrite.pattern.fullMatch(String(decoding: UnsafeRawBufferPointer(rebasing: path[..<bare]), as: UTF8.self)) {
                buffer.writeString(rewrite.substitution)
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: path[bare...]))
                return true
            }
        }
        buffer.writeBytes(path)
        return false
    }

    private func writeForwardedFor(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("x-forwarded-for: ")
        var first = true
        for field in head.fields where field.kind == .xForwardedFor {
            if !first { buffer.writeStaticString(",") }
            buffer.writeBytes(field.value.bytes(in: bytes))
            first = false
        }
        if !first { buffer.writeStaticString(",") }
        buffer.writeBytes(remoteAddress)
        buffer.writeStaticString("\r\n")
    }

    /// One line, as Envoy's header map holds it: the request's values joined by
    /// `,` (APPEND_FORWARD), then this hop's element.
    private func writeClientCert(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("x-forwarded-client-cert: ")
        if appendsClientCert {
            for field in head.fields where field.kind == .xForwardedClientCert && !field.value.isEmpty {
                buffer.writeBytes(field.value.bytes(in: bytes))
                buffer.writeStaticString(",")
            }
        }
        buffer.writeBytes(clientCertElement)
        buffer.writeStaticString("\r\n")
    }

    private func dropped(_ name: UnsafeRawBufferPointer) -> Bool {
        authnDrops.contains { ASCII.equalsLowercased(name, $0) } || (weighted?.requestHeaders.drops(name) ?? false) || selection.route.requestHeaders.drops(name)
            || selection.virtualHost.requestHeaders.drops(name)
    }

    private func add(_ mutation: HeaderMutation, into buffer: inout ByteBuffer) {
        mutation.writeAdditions(into: &buffer, present: present)
    }

    private func present(_ name: [UInt8]) -> Bool {
        head.fields.contains { ASCII.equalsLowercased($0.name.bytes(in: bytes), name) }
    }
}

/// Path helpers on raw bytes.
enum PathBytes {
    /// Length of the path before `?` or `#`.
    static func withoutQueryCount(_ path: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index < path.count, path[index] != UInt8(ascii: "?"), path[index] != UInt8(ascii: "#") { index += 1 }
        return index
    }
}
