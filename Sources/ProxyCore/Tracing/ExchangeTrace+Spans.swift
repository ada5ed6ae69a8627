/// The finished spans of a sampled exchange, named, kinded and tagged as Envoy
/// does: the connection manager's span (route decorator operation, else
/// "ingress" / "egress HOST"; CLIENT for outbound listeners unless a router span
/// is spawned, else SERVER) and, with `spawn_upstream_span`, the router's CLIENT
/// span "router CLUSTER egress".
extension ExchangeTrace {
    public struct Outcome: Sendable {
        public var operation: String?
        public var protocolName: String
        public var peerAddress: String
        public var requestSize: Int
        public var responseSize: Int
        /// 0: no response was sent.
        public var statusCode: Int
        public var responseFlags: String
        public var upstreamCluster: String?
        public var upstreamAddress: String?
        /// An x-request-id the proxy generated (the request had none).
        public var generatedRequestID: String?
        public var nodeID: String
        public var startUnixNanos: UInt64
        public var endUnixNanos: UInt64
        /// When the router started upstream (0: it did not).
        public var upstreamStartUnixNanos: UInt64

        public init(operation: String?, protocolName: String, peerAddress: String, requestSize: Int, responseSize: Int, statusCode: Int,
                    responseFlags: String, upstreamCluster: String?, upstreamAddress: String?, generatedRequestID: String?, nodeID: String,
                    startUnixNanos: UInt64, endUnixNanos: UInt64, upstreamStartUnixNanos: UInt64) {
            self.operation = operation
            self.protocolName = protocolName
            self.peerAddress = peerAddress
            self.requestSize = requestSize
            self.responseSize = responseSize
            self.statusCode = statusCode
            self.responseFlags = responseFlags
            self.upstreamCluster = upstreamCluster
            self.upstreamAddress = upstreamAddress
            self.generatedRequestID = generatedRequestID
            self.nodeID = nodeID
            self.startUnixNanos = startUnixNanos
            self.endUnixNanos = endUnixNanos
            self.upstreamStartUnixNanos = upstreamStartUnixNanos
        }
    }

    public func spans(_ outcome: Outcome, config: TracingConfig) -> [TraceSpan] {
        guard sampled, let request else { return [] }
        let failed = outcome.statusCode == 0 || outcome.statusCode >= 500
        let status = outcome.statusCode == 0 ? "0" : String(outcome.statusCode)
        var url = "http://" + request.authority + request.path
        if url.utf8.count > config.maxPathTagLength { url = String(decoding: url.utf8.prefix(config.maxPathTagLength), as: UTF8.self) }
        var tags: [TraceSpan.Attribute] = [
            .init("component", .string("proxy")),
            .init("node_id", .string(outcome.nodeID)),
            .init("guid:x-request-id", .string(outcome.generatedRequestID ?? request.requestID)),
            .init("http.url", .string(url)),
            .init("http.method", .string(request.method)),
            .init("downstream_cluster", .string(request.downstreamCluster)),
            .init("user_agent", .string(request.userAgent)),
            .init("http.protocol", .string(outcome.protocolName)),
            .init("peer.address", .string(outcome.peerAddress)),
            .init("request_size", .string(String(outcome.requestSize))),
            .init("response_size", .string(String(outcome.responseSize))),
            .init("response_flags", .string(outcome.responseFlags)),
        ]
        if let cluster = outcome.upstreamCluster {
            tags.append(.init("upstream_cluster", .string(cluster)))
            tags.append(.init("upstream_cluster.name", .string(cluster)))
        }
        if let address = outcome.upstreamAddress { tags.append(.init("upstream_address", .string(address))) }
        tags.append(.init("http.status_code", .string(status)))
        if failed { tags.append(.init("error", .string("true"))) }
        for (name, value) in request.customTags { tags.append(.init(name, .string(value))) }

        let spawned = upstreamSpanID != 0
        let name = outcome.operation ?? (config.operation == .egress ? "egress " + request.authority : "ingress")
        let kind: TraceSpan.Kind = config.operation == .egress && !spawned ? .client : .server
        var result = [TraceSpan(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: spanID, parentSpanID: parentSpanID,
                                traceState: request.traceState, name: name, kind: kind, startUnixNanos: outcome.startUnixNanos,
                                endUnixNanos: outcome.endUnixNanos, attributes: tags, isError: failed)]
        if spawned, outcome.upstreamStartUnixNanos != 0, let cluster = outcome.upstreamCluster {
            var upstream: [TraceSpan.Attribute] = [
                .init("component", .string("proxy")),
                .init("http.protocol", .string("HTTP/1.1")),
                .init("upstream_cluster", .string(cluster)),
                .init("upstream_cluster.name", .string(cluster)),
            ]
            if let address = outcome.upstreamAddress { upstream.append(.init("upstream_address", .string(address))) }
            upstream.append(.init("http.status_code", .string(status)))
            if failed { upstream.append(.init("error", .string("true"))) }
            result.append(TraceSpan(traceIDHigh: traceIDHigh, traceIDLow: traceIDLow, spanID: upstreamSpanID, parentSpanID: spanID,
                                    traceState: request.traceState, name: "router \(cluster) egress", kind: .client,
                                    startUnixNanos: outcome.upstreamStartUnixNanos, endUnixNanos: outcome.endUnixNanos,
                                    attributes: upstream, isError: failed))
        }
        return result
    }
}
