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
             "spanCount": trace.spanCount, "startTime": Self.isoTime(trace.startUnixNanos), "durationMicros": trace.durationMicros,
             "error": trace.hasError]
        }
        return ["received": recentSpans.received, "items": items]
    }

    func traceReport(_ traceID: String) -> [String: Any]? {
        let spans = recentSpans.trace(traceID)
        guard !spans.isEmpty else { return nil }
        let items: [[String: Any]] = spans.map { span, depth in
            ["spanId": span.spanID, "parentSpanId": span.parentSpanID, "depth": depth, "name": span.name, "kind": span.kind,
             "service": span.service, "startTime": Self.isoTime(span.startUnixNanos), "startUnixNanos": span.startUnixNanos,
             "durationMicros": span.durationMicros, "error": span.isError, "attributes": span.attributes]
        }
        return ["traceId": traceID.lowercased(), "spans": items]
    }

    /// RFC 3339 with milliseconds, UTC.
    static func isoTime(_ unixNanos: UInt64) -> String {
        let seconds = Int(unixNanos / 1_000_000_000)
        let millis = Int(unixNanos / 1_000_000 % 1000)
        var days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = days / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let millisText = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(two(month))-\(two(day))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)).\(millisText)Z"
    }
}
