import MeshCore
import XDSAPI
import XDSTranslator

extension ControlPlane {
    /// The OTLP/HTTP receiver (`POST /v1/traces`, protobuf body, as Envoy's
    /// OpenTelemetry tracer and our proxy send it). Answers an empty
    /// ExportTraceServiceResponse.
    func receiveTraces(_ request: DebugHTTPServer.Request) -> DebugHTTPServer.Response {
        guard request.method == "POST" else { return DebugHTTPServer.Response(405, "text/plain", "POST OTLP protobuf here\n") }
        let type = request.headers["content-type"] ?? "application/x-protobuf"
        guard type.hasPrefix("application/x-protobuf") || type.hasPrefix("application/protobuf") else {
            return DebugHTTPServer.Response(415, "text/plain", "only OTLP protobuf (application/x-protobuf) is accepted\n")
        }
        do {
            let export = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest(serializedBytes: request.body)
            recentSpans.add(export)
        } catch {
            return DebugHTTPServer.Response(400, "text/plain", "not an OTLP ExportTraceServiceRequest: \(error)\n")
        }
        return DebugHTTPServer.Response(200, "application/x-protobuf", "")
    }

    func tracesReport(limit: Int) -> [String: Any] {
        let items: [[String: Any]] = recentSpans.traces(limit: max(1, min(limit, 500))).map { trace in
            ["traceId": trace.traceID, "rootName": trace.rootName, "rootService": trace.rootService, "services": trace.services,
             "spanCount": trace.spanCount, "startTime": UTCTimestamp(unixNanos: trace.startUnixNanos).rfc3339, "durationMicros": trace.durationMicros,
             "error": trace.hasError]
        }
        return ["received": recentSpans.received, "items": items]
    }

    func traceReport(_ traceID: String) -> [String: Any]? {
        let spans = recentSpans.trace(traceID)
        guard !spans.isEmpty else { return nil }
        let items: [[String: Any]] = spans.map { span, depth in
            ["spanId": span.spanID, "parentSpanId": span.parentSpanID, "depth": depth, "name": span.name, "kind": span.kind,
             "service": span.service, "startTime": UTCTimestamp(unixNanos: span.startUnixNanos).rfc3339, "startUnixNanos": span.startUnixNanos,
             "durationMicros": span.durationMicros, "error": span.isError, "attributes": span.attributes]
        }
        return ["traceId": traceID.lowercased(), "spans": items]
    }
}
